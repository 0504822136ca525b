/**
 * A recursive async function, one level per attempt, sleeping with scheduler.wait({ signal }) from node:timers/promises
 *
 * `attempt(n, remaining)` calls input (deferred by a microtask), and on failure runs the hooks, sleeps
 * and returns `attempt(n + 1, remaining - 1)`. The signal is checked before the first call and after
 * every attempt settles (like p-retry), never raced. AbortError is recognised by `instanceof`, and its
 * name is assigned in the constructor.
 */
import { scheduler } from 'node:timers/promises';

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  declare readonly name: 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(messageOrError instanceof Error ? messageOrError.message : messageOrError);
    Object.defineProperty(this, 'name', { value: 'AbortError', enumerable: false, writable: true, configurable: true });
    this.originalError = messageOrError instanceof Error ? messageOrError : new Error(messageOrError);
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

function option(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && !Number.isNaN(value) && !(value < 0)) return value;
  throw new TypeError(`retry: option ${name} must be a non-negative number or Infinity`);
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  const retries = option(options.retries, 'retries', 10);
  const minTimeout = option(options.minTimeout, 'minTimeout', 1000);
  const maxTimeout = option(options.maxTimeout, 'maxTimeout', Infinity);
  const factor = option(options.factor, 'factor', 2);
  const { randomize, onFailedAttempt, shouldRetry, signal } = options;

  const abortIfNeeded = (): void => {
    if (signal !== undefined && signal.aborted) throw signal.reason;
  };

  const attempt = async (attemptNumber: number, remaining: number): Promise<Awaited<R>> => {
    let value: Awaited<R>;
    try {
      value = await Promise.resolve().then(() => input(attemptNumber));
    } catch (error) {
      abortIfNeeded();
      if (error instanceof AbortError) throw error.originalError;
      const details: FailedAttempt = Object.freeze({ error: error as Error, attemptNumber, retriesLeft: remaining });
      if (onFailedAttempt) await onFailedAttempt(details);
      if (!(remaining > 0)) throw error;
      if (shouldRetry) {
        const again = await shouldRetry(details);
        if (!again) throw error;
      }
      let wait = minTimeout * Math.pow(factor, attemptNumber - 1);
      if (randomize) wait *= Math.random() + 1;
      try {
        await scheduler.wait(Math.min(Math.round(wait), maxTimeout), signal ? { signal } : undefined);
      } catch (sleepError) {
        abortIfNeeded();
        throw sleepError;
      }
      return attempt(attemptNumber + 1, remaining - 1);
    }
    abortIfNeeded();
    return value;
  };

  abortIfNeeded();
  return attempt(1, retries);
}
