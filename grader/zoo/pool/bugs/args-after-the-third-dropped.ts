/**
 * limit(fn, ...args) passes only the first three arguments on to fn
 *
 * `fn(...args.slice(0, 3))`: calls with up to three arguments look right, a fourth and later
 * argument never reach fn. Found by the red team (class-pool2/limiter-this-args-dropped-extra).
 * @breaks calls fn with the arguments given after it
 */

export interface Limiter {
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>>;
  readonly activeCount: number;
  readonly pendingCount: number;
  concurrency: number;
  clearQueue(): void;
}

function validate(c: unknown): number {
  if (typeof c !== 'number' || !(c === Infinity || (Number.isInteger(c) && c >= 1))) {
    throw new TypeError('concurrency must be an integer >= 1 or Infinity');
  }
  return c;
}

interface Job { run: () => void; reject: (e: unknown) => void }

export function createLimiter(concurrency: number): Limiter {
  let limit = validate(concurrency);
  const queue: Job[] = [];
  let head = 0;
  let active = 0;

  const next = () => {
    while (active < limit && head < queue.length) {
      const job = queue[head]!;
      queue[head] = undefined as unknown as Job;
      head++;
      if (head > 1024 && head * 2 > queue.length) { queue.splice(0, head); head = 0; }
      active++;
      job.run();
    }
  };

  const limiter = (<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> => {
    return new Promise<Awaited<R>>((resolve, reject) => {
      queue.push({
        run: () => {
          let p: Promise<Awaited<R>>;
          try {
            p = Promise.resolve(fn(...(args.slice(0, 3) as A))) as Promise<Awaited<R>>;
          } catch (e) {
            p = Promise.reject(e);
          }
          p.then(resolve, reject).finally(() => { active--; next(); });
        },
        reject,
      });
      queueMicrotask(next);
    });
  }) as Limiter;

  Object.defineProperties(limiter, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length - head },
    concurrency: {
      get: () => limit,
      set: (v: number) => { limit = validate(v); queueMicrotask(next); },
    },
    clearQueue: {
      value: () => {
        const waiting = queue.slice(head);
        queue.length = 0; head = 0;
        for (const j of waiting) {
          const e = new Error('Queue cleared'); e.name = 'AbortError';
          j.reject(e);
        }
      },
    },
  });
  return limiter;
}

export async function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  validate(concurrency);
  const isAsync = items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
  const it: Iterator<T> | AsyncIterator<T> = isAsync
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    let index = 0;
    let running = 0;
    let done = false;
    let failed = false;
    let pulling = false;

    const fail = (e: unknown) => { if (!failed) { failed = true; reject(e); } };

    const pump = async () => {
      if (pulling) return;
      pulling = true;
      try {
        while (!failed && !done && running < concurrency) {
          running++;
          let r: IteratorResult<T>;
          try {
            r = await it.next();
          } catch (e) { running--; fail(e); return; }
          if (failed) { running--; return; }
          if (r.done) { running--; done = true; break; }
          const i = index++;
          const item = r.value;
          (async () => mapper(item, i))().then(
            (v) => { results[i] = v as Awaited<R>; running--; if (!failed) { if (done && running === 0) resolve(results); else void pump(); } },
            (e) => { running--; fail(e); },
          );
        }
        if (done && running === 0 && !failed) resolve(results);
      } finally {
        pulling = false;
      }
    };
    void pump();
  });
}
