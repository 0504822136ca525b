/**
 * A counting semaphore (acquire/release permits) under an async/await limiter, and mapLimit as worker loops sharing one iterator
 *
 * The limiter is `await semaphore.acquire(); try { return await fn() } finally { semaphore.release() }`.
 * `mapLimit` runs up to `concurrency` worker loops; workers are spawned one at a time as items turn up
 * (so `Infinity` works), and every `next()` on the shared iterator goes through a promise chain so an
 * async iterator is never asked for two items at once.
 *
 * Fixed (hardening, issue 14): the semaphore used to keep a `permits` balance moved by
 * `capacity - oldCapacity` on resize. Once the concurrency went to Infinity and back to a number the
 * balance was Infinity + (2 - Infinity), which is NaN, and the limiter never started another call. It now
 * counts the permits held and compares them with the capacity.
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

const isValidConcurrency = (value: unknown): value is number =>
  value === Infinity || (Number.isSafeInteger(value) && (value as number) > 0);

function requireConcurrency(value: unknown): number {
  if (!isValidConcurrency(value)) throw new TypeError(`Invalid concurrency: ${String(value)}`);
  return value;
}

class Semaphore {
  private readonly waiters: { grant: () => void; deny: (reason: unknown) => void }[] = [];
  private held = 0;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get size(): number {
    return this.capacity;
  }

  /** Resize; with a smaller capacity, more permits may stay held until enough are released. */
  resize(capacity: number): void {
    this.capacity = capacity;
    this.dispatch();
  }

  acquire(): Promise<void> {
    return new Promise<void>((grant, deny) => {
      this.waiters.push({ grant, deny });
      this.dispatch();
    });
  }

  release(): void {
    this.held--;
    this.dispatch();
  }

  denyAll(makeError: () => Error): void {
    for (const waiter of this.waiters.splice(0, this.waiters.length)) waiter.deny(makeError());
  }

  private dispatch(): void {
    while (this.held < this.capacity && this.waiters.length > 0) {
      this.held++;
      this.waiters.shift()!.grant();
    }
  }
}

export function createLimiter(concurrency: number): Limiter {
  const semaphore = new Semaphore(requireConcurrency(concurrency));
  let active = 0;

  async function limit<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
    // Even a free permit is granted through a promise, so fn never runs inside limit().
    await semaphore.acquire();
    active++;
    try {
      return await fn(...args);
    } finally {
      active--;
      semaphore.release();
    }
  }

  return Object.defineProperties(limit, {
    activeCount: { get: () => active },
    pendingCount: { get: () => semaphore.waiting },
    concurrency: {
      get: () => semaphore.size,
      set: (value: unknown) => semaphore.resize(requireConcurrency(value)),
    },
    clearQueue: {
      value: () =>
        semaphore.denyAll(() => Object.assign(new Error('Cleared from the queue'), { name: 'AbortError' })),
    },
  }) as unknown as Limiter;
}

type Take<T> = { done: true } | { done: false; item: T; index: number };

export async function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  requireConcurrency(concurrency);
  const iterator =
    Symbol.asyncIterator in Object(items)
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();

  const results: Awaited<R>[] = [];
  let counter = 0;
  let exhausted = false;
  let failed = false;
  // One link per next(): the shared iterator is only ever asked for one item at a time.
  let readChain: Promise<unknown> = Promise.resolve();
  const take = (): Promise<Take<T>> => {
    const read = readChain.then(async (): Promise<Take<T>> => {
      if (exhausted || failed) return { done: true };
      const step = await iterator.next();
      if (step.done) {
        exhausted = true;
        return { done: true };
      }
      return { done: false, item: step.value, index: counter++ };
    });
    readChain = read.catch(() => undefined);
    return read;
  };

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    let live = 0;
    const worker = async (): Promise<void> => {
      try {
        while (!failed) {
          const next = await take();
          if (next.done || failed) return;
          // This worker is busy now: let another one look for the next item, up to the limit.
          if (live < concurrency && !exhausted) spawn();
          results[next.index] = await mapper(next.item, next.index);
        }
      } catch (error) {
        if (failed) return;
        failed = true;
        reject(error);
        // Let a generator run its cleanup, after any read in flight; its errors change nothing.
        readChain = readChain.then(() => iterator.return?.()).catch(() => undefined);
      }
    };
    const spawn = (): void => {
      live++;
      void worker().then(() => {
        live--;
        if (live === 0 && !failed) resolve(results);
      });
    };
    spawn();
  });
}
