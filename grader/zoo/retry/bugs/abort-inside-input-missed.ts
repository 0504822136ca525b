/**
 * Listens for the abort only after calling input: an abort made by input itself, before it succeeds, is missed
 *
 * Each attempt is raced against the signal, but the listener is added once `input` has already been called,
 * and nothing checks `signal.aborted` when the attempt succeeds. If `input` calls `controller.abort()` itself
 * and then returns a value, retry resolves with that value instead of rejecting with `signal.reason`.
 * @breaks aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  declare readonly name: 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    const original = messageOrError instanceof Error ? messageOrError : new Error(messageOrError);
    super(original.message);
    (this as { name: string }).name = 'AbortError';
    this.originalError = original;
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

function checked(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || value < 0 || value !== value) {
    throw new TypeError(`Expected ${name} to be a number from 0 up, got ${typeof value}`);
  }
  return value;
}

function* backoff(minTimeout: number, maxTimeout: number, factor: number, randomize: boolean): Generator<number> {
  for (let base = minTimeout; ; base *= factor) {
    const scaled = randomize ? base * (1 + Math.random()) : base;
    yield Math.min(Math.round(scaled), maxTimeout);
  }
}

/** Settles like `work`, or rejects with `signal.reason` as soon as the signal aborts; leaves no listener behind. */
async function unlessAborted<T>(work: PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return await work;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options?: RetryOptions,
): Promise<Awaited<R>> {
  const retries = checked('retries', options?.retries, 10);
  const delays = backoff(
    checked('minTimeout', options?.minTimeout, 1000),
    checked('maxTimeout', options?.maxTimeout, Infinity),
    checked('factor', options?.factor, 2),
    options?.randomize === true,
  );
  const signal = options?.signal;
  const onFailedAttempt = options?.onFailedAttempt;
  const shouldRetry = options?.shouldRetry;
  if (signal?.aborted) throw signal.reason;

  let attemptNumber = 0;
  while (true) {
    attemptNumber += 1;
    try {
      return await unlessAborted(
        new Promise<Awaited<R>>((resolve) => resolve(input(attemptNumber) as Awaited<R>)),
        signal,
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AbortError) throw error.originalError;
      const attempt: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft: retries - attemptNumber + 1 };
      await onFailedAttempt?.(attempt);
      if (attempt.retriesLeft === 0 || attempt.retriesLeft < 0) throw error;
      if (shouldRetry !== undefined && (await shouldRetry(attempt)) === false) throw error;
      try {
        await sleep(delays.next().value as number, undefined, { signal });
      } catch (sleepError) {
        if (signal?.aborted) throw signal.reason;
        throw sleepError;
      }
    }
  }
}
