/**
 * mapLimit checks concurrency with its own `Number.isInteger(n) && n >= 1`, so mapLimit(items, Infinity, mapper) rejects
 *
 * createLimiter shares the right check, but mapLimit got a hand-written one that forgets Infinity is
 * allowed: `Number.isInteger(Infinity)` is false, so "no limit" is refused with a TypeError.
 * @breaks accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order
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

interface Waiting {
  start: () => void;
  reject: (reason: unknown) => void;
}

export function createLimiter(concurrency: number): Limiter {
  assertValidConcurrency(concurrency);
  let limit = concurrency;
  let active = 0;
  // A plain array used as a FIFO queue: push at the back, shift from the front.
  const waiting: Waiting[] = [];

  // Start as many waiting calls as there are free slots. Called from a
  // microtask or after a call settles, never synchronously inside `limit()`.
  const startWaiting = (): void => {
    while (active < limit && waiting.length > 0) {
      active++;
      waiting.shift()!.start();
    }
  };

  const limiter = (<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A) =>
    new Promise<Awaited<R>>((resolve, reject) => {
      const start = async (): Promise<void> => {
        try {
          // `await` of a plain value is fine; a synchronous throw lands in `catch`.
          resolve(await fn(...args));
        } catch (error) {
          reject(error);
        } finally {
          // Fulfilled or rejected, the slot is freed: a failure never stalls the queue.
          active--;
          startWaiting();
        }
      };
      waiting.push({ start, reject });
      // Even with a free slot, start on a microtask: `fn` never runs inside `limit()`.
      queueMicrotask(startWaiting);
    })) as Limiter;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => waiting.length },
    concurrency: {
      get: () => limit,
      set: (value: number) => {
        assertValidConcurrency(value);
        limit = value;
        // Raising the limit may free slots for calls that are waiting now.
        queueMicrotask(startWaiting);
      },
    },
    clearQueue: {
      value: (): void => {
        // splice empties the queue first, so nothing cleared can start later.
        for (const call of waiting.splice(0)) {
          const error = new Error('The call was removed from the queue by clearQueue()');
          error.name = 'AbortError';
          call.reject(error);
        }
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
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`Expected concurrency to be a whole number from 1 upwards, got ${String(concurrency)}`);
  }
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
