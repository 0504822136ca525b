/**
 * the concurrency setter resets the free permits to the new limit, forgetting the calls already running
 *
 * The limiter counts free permits. `free = value` is right when nothing runs, but with calls in flight
 * it hands out permits that are still in use: lowering the limit starts a new call anyway, and raising it
 * starts one call too many.
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

interface Waiting {
  start: () => void;
  reject: (reason: unknown) => void;
}

export function createLimiter(concurrency: number): Limiter {
  assertValidConcurrency(concurrency);
  let limit = concurrency;
  let free = concurrency; // permits not handed out
  let active = 0;
  const queue: Waiting[] = [];

  const dispatch = (): void => {
    while (free > 0 && queue.length > 0) {
      free--;
      queue.shift()!.start();
    }
  };

  const limiter = (<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A) =>
    new Promise<Awaited<R>>((resolve, reject) => {
      const start = async (): Promise<void> => {
        active++;
        try {
          resolve(await fn(...args));
        } catch (error) {
          reject(error);
        } finally {
          active--;
          free++;
          dispatch();
        }
      };
      queue.push({ start, reject });
      queueMicrotask(dispatch);
    })) as Limiter;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length },
    concurrency: {
      get: () => limit,
      set: (value: number) => {
        assertValidConcurrency(value);
        limit = value;
        free = value;
        queueMicrotask(dispatch);
      },
    },
    clearQueue: {
      value: (): void => {
        for (const call of queue.splice(0)) {
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
