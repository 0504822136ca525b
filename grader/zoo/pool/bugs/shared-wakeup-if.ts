/**
 * waiting calls sleep on one shared "slot freed" promise and check the limit with `if`, not `while`: one wake-up lets them all through
 *
 * Every waiting call awaits the same promise, which is resolved whenever a call finishes. Each woken
 * call assumes the freed slot is its own and never checks the count again, so a single finished call
 * lets every waiting call start at once.
 * @breaks never runs more than `concurrency` calls at once
 * @breaks when a call settles, the next waiting call starts before any timer fires
 * @breaks activeCount and pendingCount are accurate between steps
 * @breaks raising concurrency starts waiting calls at once
 * @breaks lowering concurrency lets running calls finish and holds new ones back
 */

export interface Limiter {
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>>;
  /** Calls whose `fn` has started and not yet settled. */
  readonly activeCount: number;
  /** Calls waiting for a free slot. */
  readonly pendingCount: number;
  /** Can be changed at any time; same validation as `createLimiter`. */
  concurrency: number;
  /** Rejects every waiting call with an error whose `name` is "AbortError"; running calls are untouched. */
  clearQueue(): void;
}

/** An integer of at least 1, or Infinity. Checked by the limiter, its setter and `mapLimit`. */
function assertValidConcurrency(value: unknown): asserts value is number {
  const valid = value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1);
  if (!valid) {
    throw new TypeError(`Expected concurrency to be an integer from 1 upwards or Infinity, got ${String(value)}`);
  }
}

export function createLimiter(concurrency: number): Limiter {
  assertValidConcurrency(concurrency);
  let limit = concurrency;
  let active = 0;
  // The reject functions of the calls waiting for a slot (for clearQueue).
  const waiting = new Set<(error: Error) => void>();

  // One promise shared by every waiting call, resolved (and replaced) whenever a slot frees.
  let wakeUp!: () => void;
  let slotFreed = new Promise<void>((resolve) => (wakeUp = resolve));
  const signal = (): void => {
    const wake = wakeUp;
    slotFreed = new Promise<void>((resolve) => (wakeUp = resolve));
    wake();
  };

  const waitForSlot = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      waiting.add(reject);
      void slotFreed.then(() => {
        waiting.delete(reject);
        resolve();
      });
    });

  const limiter = (async <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A) => {
    await null; // never start fn inside limit()
    if (active >= limit) {
      await waitForSlot();
    }
    active++;
    try {
      return await fn(...args);
    } finally {
      active--;
      signal();
    }
  }) as Limiter;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => waiting.size },
    concurrency: {
      get: () => limit,
      set: (value: number) => {
        assertValidConcurrency(value);
        limit = value;
        signal();
      },
    },
    clearQueue: {
      value: (): void => {
        for (const reject of waiting) {
          const error = new Error('The call was removed from the queue by clearQueue()');
          error.name = 'AbortError';
          reject(error);
        }
        waiting.clear();
      },
    },
  });
  return limiter;
}

function iteratorOf<T>(items: Iterable<T> | AsyncIterable<T>): Iterator<T> | AsyncIterator<T> {
  if (items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
    return (items as AsyncIterable<T>)[Symbol.asyncIterator]();
  }
  return (items as Iterable<T>)[Symbol.iterator]();
}

export async function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  assertValidConcurrency(concurrency);
  const iterator = iteratorOf(items);

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    let nextIndex = 0;
    let running = 0; // items taken from the iterator whose mapper has not finished
    let exhausted = false;
    let failed = false;
    let pulling = false; // only one `iterator.next()` in flight: async iterators are not re-entrant

    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      reject(error);
      // Let a generator run its `finally`; its own errors cannot change the outcome.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => {});
    };

    const finishIfDone = (): void => {
      if (exhausted && running === 0 && !failed) resolve(results);
    };

    const runMapper = (item: T, index: number): void => {
      running++;
      // The async arrow turns a synchronous throw from `mapper` into a rejection.
      (async (): Promise<Awaited<R>> => await mapper(item, index))().then(
        (value) => {
          results[index] = value;
          running--;
          finishIfDone();
          void pull();
        },
        fail,
      );
    };

    // Take items only while a slot is free: the input is read lazily, so an
    // endless generator is fine and never more than `concurrency` items are held.
    const pull = async (): Promise<void> => {
      if (pulling) return;
      pulling = true;
      try {
        while (!failed && !exhausted && running < concurrency) {
          const step = await iterator.next();
          if (failed) return;
          if (step.done) {
            exhausted = true;
          } else {
            runMapper(step.value, nextIndex++);
          }
        }
        finishIfDone();
      } catch (error) {
        fail(error);
      } finally {
        pulling = false;
      }
    };

    void pull();
  });
}
