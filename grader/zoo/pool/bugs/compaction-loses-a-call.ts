/**
 * An index-based queue compacted with an off-by-one, so a long queue loses a call
 *
 * The queue is an array read from a moving `head` index. Once 1,000 calls have been taken it is
 * compacted with `slice(head + 1)`, as if `head` still pointed at the call just taken; it already points
 * at the next one, which is dropped: that call never runs and its promise never settles. Short queues
 * never reach the compaction, so only a long queue shows it.
 * @breaks runs a queue of 2,000 waiting calls exactly once each, in order, keeping every slot busy
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

function validated(concurrency: unknown): number {
  if (typeof concurrency === 'number' && (concurrency === Infinity || (concurrency >= 1 && concurrency % 1 === 0))) {
    return concurrency;
  }
  throw new TypeError(`concurrency must be an integer >= 1 or Infinity (got ${String(concurrency)})`);
}

type Job = [start: () => void, cancel: (error: Error) => void];

export function createLimiter(concurrency: number): Limiter {
  let max = validated(concurrency);
  let running = 0;
  let queue: Job[] = [];
  let head = 0;

  const waitingCount = (): number => queue.length - head;

  const takeJob = (): Job => {
    const job = queue[head++]!;
    if (head >= 1000) {
      // Drop the calls already taken (up to the one just taken) so the array does not grow for ever.
      queue = queue.slice(head + 1);
      head = 0;
    }
    return job;
  };

  function fill(): void {
    while (running < max && waitingCount() > 0) {
      running++;
      takeJob()[0]();
    }
  }

  function done(): void {
    running--;
    fill();
  }

  function limit<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
    return new Promise<Awaited<R>>((resolve, reject) => {
      const start = (): void => {
        let outcome: R | PromiseLike<R>;
        try {
          outcome = fn(...args);
        } catch (error) {
          reject(error);
          done();
          return;
        }
        Promise.resolve(outcome).then(
          (value) => {
            resolve(value as Awaited<R>);
            done();
          },
          (error: unknown) => {
            reject(error);
            done();
          },
        );
      };
      queue.push([start, reject]);
      process.nextTick(fill);
    });
  }

  Object.defineProperty(limit, 'activeCount', { get: () => running, enumerable: true });
  Object.defineProperty(limit, 'pendingCount', { get: waitingCount, enumerable: true });
  Object.defineProperty(limit, 'concurrency', {
    enumerable: true,
    get: () => max,
    set(value: number) {
      max = validated(value);
      process.nextTick(fill);
    },
  });
  Object.defineProperty(limit, 'clearQueue', {
    value() {
      const cleared = queue.slice(head);
      queue = [];
      head = 0;
      for (const [, cancel] of cleared) {
        const error = new Error('This call was cleared from the queue before it started');
        error.name = 'AbortError';
        cancel(error);
      }
    },
  });
  return limit as Limiter;
}

export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  const max = validated(concurrency);

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    const inFlight = new Set<Promise<void>>();
    let failed = false;

    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      reject(error);
    };

    const feed = async (): Promise<void> => {
      let index = 0;
      // `for await` also walks sync iterables; it asks for the next item only when the body is done.
      for await (const item of items as AsyncIterable<T>) {
        if (failed) break; // break also closes a generator
        const position = index++;
        const entry: Promise<void> = Promise.resolve()
          .then(() => mapper(item, position))
          .then((value) => {
            results[position] = value as Awaited<R>;
          }, fail)
          .then(() => {
            inFlight.delete(entry);
          });
        inFlight.add(entry);
        // Entries never reject, so this race only ever means "a slot is free".
        while (inFlight.size >= max && !failed) await Promise.race(inFlight);
        if (failed) break;
      }
      while (inFlight.size > 0 && !failed) await Promise.race(inFlight);
      if (!failed) resolve(results);
    };

    feed().catch(fail);
  });
}
