/**
 * Exercise 03 — retry: retry with exponential backoff, jitter and abort.
 *
 * Read lessons/03-retry.md first. Replace each `throw` below with your code,
 * run the practice tests (`npx vitest exercises/03-retry`), then grade your
 * work with `npm run grade -- retry`.
 */

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super();
    throw new Error('Not implemented yet: AbortError');
  }
}

export interface FailedAttempt {
  readonly error: Error;
  /** 1 for the first call of `input`. */
  readonly attemptNumber: number;
  readonly retriesLeft: number;
}

export interface RetryOptions {
  /** Retries after the first attempt: `retries: 3` means at most 4 calls. Default 10. */
  retries?: number;
  /** Delay before the first retry, in ms. Default 1000. */
  minTimeout?: number;
  /** Upper bound on any delay, in ms. Default Infinity. */
  maxTimeout?: number;
  /** Growth per retry. Default 2. */
  factor?: number;
  /** Multiply each delay by a random factor in [1, 2), from `Math.random`. Default false. */
  randomize?: boolean;
  /** Called after every failed attempt, the last one too; awaited. */
  onFailedAttempt?: (attempt: FailedAttempt) => void | Promise<void>;
  /** Called after `onFailedAttempt` when retries are left; false stops with that error; awaited. */
  shouldRetry?: (attempt: FailedAttempt) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}

export function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options?: RetryOptions,
): Promise<Awaited<R>> {
  throw new Error('Not implemented yet: retry');
}
