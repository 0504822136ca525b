/**
 * Exercise 01 — pool: a concurrency limiter and a bounded parallel map.
 *
 * Read lessons/01-pool.md first. Replace each `throw` below with your code,
 * run the practice tests (`npx vitest exercises/01-pool`), then grade your
 * work with `npm run grade -- pool`.
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

export function createLimiter(concurrency: number): Limiter {
  throw new Error('Not implemented yet: createLimiter');
}

export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  throw new Error('Not implemented yet: mapLimit');
}
