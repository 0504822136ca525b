/**
 * A semaphore whose free-permit balance moves by newLimit - oldLimit, which breaks after Infinity
 *
 * Resizing adds `capacity - oldCapacity` to the count of free permits. From 2 to Infinity the balance
 * becomes Infinity; back from Infinity to 2 it becomes Infinity + (2 - Infinity), which is NaN, and no call
 * ever gets a permit again: the limiter stalls for good.
 * @breaks lowering concurrency lets running calls finish and holds new ones back
 * @breaks stays exact over 1,000 random steps of new calls, finishes, failures, new limits and clearQueue()
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
  private permits: number;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.permits = capacity;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get size(): number {
    return this.capacity;
  }

  /** Resize; with fewer permits the balance may go negative until enough are released. */
  resize(capacity: number): void {
    this.permits += capacity - this.capacity;
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
    this.permits++;
    this.dispatch();
  }

  denyAll(makeError: () => Error): void {
    for (const waiter of this.waiters.splice(0, this.waiters.length)) waiter.deny(makeError());
  }

  private dispatch(): void {
    while (this.permits > 0 && this.waiters.length > 0) {
      this.permits--;
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
