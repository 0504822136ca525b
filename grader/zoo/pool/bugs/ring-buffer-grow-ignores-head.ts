/**
 * A ring-buffer queue that, when it grows, copies the slots from index 0 instead of from its head
 *
 * The waiting line is a power-of-two ring addressed by head and size. When it is full it doubles, copying
 * `old[i]` into `grown[i]` and setting head to 0: right only while the head is still at 0. Once calls have
 * been taken and new ones wrapped around, a resize reorders the waiting calls, so they start out of order
 * (and the calls taken before are not the ones started). A queue filled in one go never shows it; a queue
 * that fills while it drains does.
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

class AbortError extends Error {
  override readonly name = 'AbortError';
}

function validConcurrency(value: unknown): number {
  if (Number.isInteger(value) ? (value as number) >= 1 : value === Infinity) return value as number;
  throw new TypeError(`concurrency must be a positive integer or Infinity (received ${String(value)})`);
}

interface Job {
  run(): unknown;
  settle(outcome: Promise<unknown>): void;
  abort(reason: Error): void;
}

const INITIAL_CAPACITY = 8;

class Pool {
  #ring: (Job | undefined)[] = new Array<Job | undefined>(INITIAL_CAPACITY);
  #head = 0;
  #size = 0;
  #active = 0;
  #limit: number;

  constructor(limit: number) {
    this.#limit = validConcurrency(limit);
  }

  get activeCount(): number {
    return this.#active;
  }

  get pendingCount(): number {
    return this.#size;
  }

  get concurrency(): number {
    return this.#limit;
  }

  set concurrency(value: number) {
    this.#limit = validConcurrency(value);
    this.#pump();
  }

  schedule<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.#push({
        run: () => fn(...args),
        settle: (outcome) => resolve(outcome as Promise<Awaited<R>>),
        abort: reject,
      });
      queueMicrotask(this.#pump);
    });
  }

  clearQueue(): void {
    const mask = this.#ring.length - 1;
    const cleared: Job[] = [];
    for (let i = 0; i < this.#size; i++) cleared.push(this.#ring[(this.#head + i) & mask] as Job);
    this.#ring = new Array<Job | undefined>(INITIAL_CAPACITY);
    this.#head = 0;
    this.#size = 0;
    for (const job of cleared) job.abort(new AbortError('Cleared from the queue before it could start'));
  }

  #push(job: Job): void {
    if (this.#size === this.#ring.length) {
      const old = this.#ring;
      const grown = new Array<Job | undefined>(old.length * 2);
      for (let i = 0; i < this.#size; i++) grown[i] = old[i];
      this.#ring = grown;
      this.#head = 0;
    }
    this.#ring[(this.#head + this.#size) & (this.#ring.length - 1)] = job;
    this.#size += 1;
  }

  #take(): Job | undefined {
    if (this.#size === 0) return undefined;
    const job = this.#ring[this.#head];
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#size -= 1;
    return job;
  }

  #pump = (): void => {
    while (this.#active < this.#limit) {
      const job = this.#take();
      if (job === undefined) return;
      this.#start(job);
    }
  };

  #start(job: Job): void {
    this.#active += 1;
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(job.run());
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(this.#release, this.#release);
    job.settle(outcome);
  }

  #release = (): void => {
    this.#active -= 1;
    this.#pump();
  };
}

export function createLimiter(concurrency: number): Limiter {
  const pool = new Pool(concurrency);
  const limit = pool.schedule.bind(pool);
  return Object.defineProperties(limit, {
    activeCount: { get: () => pool.activeCount, enumerable: true },
    pendingCount: { get: () => pool.pendingCount, enumerable: true },
    concurrency: {
      get: () => pool.concurrency,
      set: (value: number) => {
        pool.concurrency = value;
      },
      enumerable: true,
    },
    clearQueue: { value: () => pool.clearQueue(), enumerable: true },
  }) as Limiter;
}

async function* numbered<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<readonly [T, number], void> {
  let index = 0;
  if (typeof (items as Partial<AsyncIterable<T>> | null | undefined)?.[Symbol.asyncIterator] === 'function') {
    for await (const item of items as AsyncIterable<T>) yield [item, index++] as const;
  } else {
    for (const item of items as Iterable<T>) yield [item, index++] as const;
  }
}

export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  const limit = validConcurrency(concurrency);
  const source = numbered(items);

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    let workers = 0;
    let failed = false;

    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      reject(error);
      source.return(undefined).then(undefined, () => {});
    };

    const work = async (): Promise<void> => {
      while (!failed) {
        const step = await source.next();
        if (step.done || failed) return;
        const [item, index] = step.value;
        if (workers < limit) spawn();
        results[index] = await mapper(item, index);
      }
    };

    const spawn = (): void => {
      workers += 1;
      work().then(() => {
        workers -= 1;
        if (workers === 0 && !failed) resolve(results);
      }, fail);
    };

    spawn();
  });
}
