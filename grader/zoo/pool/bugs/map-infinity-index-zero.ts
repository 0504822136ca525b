/**
 * mapLimit with concurrency Infinity calls every mapper with index 0
 *
 * The finite path passes the item's index; the Infinity path passes 0 to every call.
 * Found by the second red team (redteam2, class-pool/r3-map-infinity-index-zero).
 * @breaks accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order
 */

export interface Limiter {
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>>;
  readonly activeCount: number;
  readonly pendingCount: number;
  concurrency: number;
  clearQueue(): void;
}

function check(c: unknown): number {
  if (typeof c !== 'number' || !(c === Infinity || (Number.isInteger(c) && c >= 1))) {
    throw new TypeError('concurrency must be an integer >= 1 or Infinity');
  }
  return c;
}

interface Job { start: () => void; reject: (e: unknown) => void; }

export function createLimiter(concurrency: number): Limiter {
  let limit = check(concurrency);
  let active = 0;
  let queue: (Job | undefined)[] = [];
  let head = 0;

  const pending = () => queue.length - head;

  const drain = () => {
    while (active < limit && pending() > 0) {
      const job = queue[head]!;
      queue[head] = undefined;
      head++;
      if (head > 1024 && head * 2 > queue.length) { queue = queue.slice(head); head = 0; }
      active++;
      job.start();
    }
  };

  const limiter = (<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> =>
    new Promise<Awaited<R>>((resolve, reject) => {
      const start = () => {
        let p: Promise<Awaited<R>>;
        try {
          p = Promise.resolve(fn(...args)) as Promise<Awaited<R>>;
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(
          (v) => { active--; resolve(v); drain(); },
          (e) => { active--; reject(e); drain(); },
        );
      };
      queue.push({ start, reject });
      queueMicrotask(drain);
    })) as Limiter;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => pending() },
    concurrency: {
      get: () => limit,
      set: (v: number) => { limit = check(v); queueMicrotask(drain); },
    },
    clearQueue: {
      value: () => {
        const jobs = queue.slice(head) as Job[];
        queue = []; head = 0;
        for (const j of jobs) {
          const err = new Error('The queue was cleared');
          err.name = 'AbortError';
          j.reject(err);
        }
      },
    },
  });
  return limiter;
}

export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  return new Promise<Awaited<R>[]>((resolve, reject) => {
    check(concurrency);
    const isAsync = typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
    const it: Iterator<T> | AsyncIterator<T> = isAsync
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
    const results: Awaited<R>[] = [];
    let index = 0, active = 0, done = false, failed = false, pulling = false;
    const fail = (e: unknown) => { if (!failed) { failed = true; reject(e); } };
    const pump = async () => {
      if (pulling || failed) return;
      pulling = true;
      try {
        while (!failed && !done && active < concurrency) {
          const r = isAsync ? await (it as AsyncIterator<T>).next() : (it as Iterator<T>).next();
          if (failed) return;
          if (r.done) { done = true; break; }
          const i = index++;
          active++;
          let p: Promise<Awaited<R>>;
          try { p = Promise.resolve(mapper(r.value, concurrency === Infinity ? 0 : i)) as Promise<Awaited<R>>; } catch (e) { p = Promise.reject(e); }
          p.then((v) => { results[i] = v; active--; void pump(); }, (e) => { active--; fail(e); });
        }
        if (done && active === 0 && !failed) resolve(results);
      } catch (e) {
        fail(e);
      } finally {
        pulling = false;
      }
    };
    void pump();
  });
}
