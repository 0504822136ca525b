/**
 * Slots reserved synchronously inside limit() with fn started several microtasks later, and mapLimit composed from createLimiter
 *
 * Probes what the contract leaves open: a call counts in `activeCount` from the moment its slot is
 * reserved (inside `limit()` when a slot is free, or at the release that hands it the slot), and `fn`
 * only runs after a few `await`s. `mapLimit` owns a limiter and a single feeder loop that sleeps on a
 * one-shot wake-up until fewer than `concurrency` mapped items are in flight before reading the next one.
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

function assertConcurrency(value: unknown): asserts value is number {
  const ok = typeof value === 'number' && (value === Infinity || (Number.isInteger(value) && value > 0));
  if (!ok) throw new TypeError(`concurrency: expected an integer >= 1 or Infinity, received ${typeof value} ${String(value)}`);
}

export function createLimiter(concurrency: number): Limiter {
  assertConcurrency(concurrency);
  let max = concurrency;
  let reserved = 0; // slots handed out: calls about to start or running
  const queue: { go: () => void; abort: (error: Error) => void }[] = [];

  const hop = async (): Promise<void> => {
    // Three microtask hops before fn: nothing in the contract depends on how many.
    await null;
    await null;
    await null;
  };

  const release = (): void => {
    reserved--;
    handOut();
  };

  // Give free slots to waiting calls, oldest first; each one's slot is reserved right here.
  const handOut = (): void => {
    while (reserved < max && queue.length > 0) {
      reserved++;
      queue.shift()!.go();
    }
  };

  const run = async <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, args: A): Promise<Awaited<R>> => {
    try {
      await hop();
      return await fn(...args);
    } finally {
      release();
    }
  };

  const limit = <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> => {
    if (queue.length === 0 && reserved < max) {
      reserved++;
      return run(fn, args);
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      queue.push({ go: () => run(fn, args).then(resolve, reject), abort: reject });
    });
  };

  return Object.defineProperties(limit as Limiter, {
    activeCount: { get: () => reserved },
    pendingCount: { get: () => queue.length },
    concurrency: {
      get: () => max,
      set: (value: unknown) => {
        assertConcurrency(value);
        max = value;
        handOut();
      },
    },
    clearQueue: {
      value: () => {
        const dropped = queue.splice(0);
        dropped.forEach(({ abort }) => abort(Object.assign(new Error('Queue cleared'), { name: 'AbortError' })));
      },
    },
  });
}

export async function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  const limit = createLimiter(concurrency); // validates: a bad concurrency rejects this async function
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in Object(items)
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();

  const results: Awaited<R>[] = [];
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  let wakeFeeder: (() => void) | undefined;
  const wake = (): void => {
    const resume = wakeFeeder;
    wakeFeeder = undefined;
    resume?.();
  };
  const sleep = (): Promise<void> => new Promise<void>((resolve) => (wakeFeeder = resolve));

  let rejectAll!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (rejectAll = reject));
  failed.catch(() => {}); // observed through Promise.race below

  const feeder = async (): Promise<Awaited<R>[]> => {
    let index = 0;
    for (;;) {
      while (inFlight >= concurrency && !failure) await sleep();
      if (failure) break;
      const step = await iterator.next();
      if (failure || step.done) break;
      const position = index++;
      inFlight++;
      limit(mapper, step.value, position).then(
        (value) => {
          results[position] = value;
          inFlight--;
          wake();
        },
        (error: unknown) => {
          if (!failure) {
            failure = { error };
            rejectAll(error);
          }
          wake();
        },
      );
    }
    if (failure) {
      await iterator.return?.();
      return failed;
    }
    while (inFlight > 0 && !failure) await sleep();
    return failure ? failed : results;
  };

  const feeding = feeder();
  feeding.catch(() => {}); // its failures also reach the race below
  return Promise.race([failed, feeding]);
}
