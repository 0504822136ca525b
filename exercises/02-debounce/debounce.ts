/**
 * Exercise 02 — debounce: an async debounce whose callers all get an answer.
 *
 * Read lessons/02-debounce.md first. Replace the `throw` below with your code,
 * run the practice tests (`npx vitest exercises/02-debounce`), then grade your
 * work with `npm run grade -- debounce`.
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  throw new Error('Not implemented yet: debounceAsync');
}
