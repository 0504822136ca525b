/**
 * mapLimit maps in batches of `concurrency` items with Promise.all instead of a pool
 *
 * Each batch waits for its slowest item before the next batch starts, so one slow item holds every
 * other slot idle. Items are still read lazily, one batch at a time.
 * @breaks never runs more than `concurrency` mappers, and starts the next as soon as one finishes
 * @breaks starts no further mappers after the first error
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
  assertValidConcurrency(concurrency);
  const iterator = iteratorOf(items);
  const results: Awaited<R>[] = [];
  let index = 0;
  for (;;) {
    // Take the next `concurrency` items...
    const batch: { item: T; index: number }[] = [];
    while (batch.length < concurrency) {
      const step = await iterator.next();
      if (step.done) break;
      batch.push({ item: step.value, index: index++ });
    }
    if (batch.length === 0) return results;
    // ...and map them all at once.
    const values = await Promise.all(batch.map(async ({ item, index }) => await mapper(item, index)));
    batch.forEach(({ index }, k) => {
      results[index] = values[k]!;
    });
    if (batch.length < concurrency) return results;
  }
}
