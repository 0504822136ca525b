/**
 * Runs and awaits the hooks for an attempt the signal aborted, before checking the signal
 *
 * The signal is checked only after onFailedAttempt: when the signal aborted while the attempt ran, retry still waits
 * for the hook, so a slow (or never settling) hook holds back the rejection the contract wants by the time the
 * attempt settles.
 * @breaks aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call
 */

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    if (messageOrError instanceof Error) {
      super(messageOrError.message);
      this.originalError = messageOrError;
    } else {
      super(messageOrError);
      // For a plain message the caller gets an ordinary Error, not this AbortError.
      this.originalError = new Error(messageOrError);
    }
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

/** A number, not NaN, not negative. Infinity passes: it is a number and it is not negative. */
function assertNonNegative(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${String(value)}`);
  }
}

/**
 * The wait before the retry that follows failed attempt `attemptNumber`:
 * min(maxTimeout, round(r * minTimeout * factor ** (attemptNumber - 1))), r in [1, 2) with randomize.
 * The cap comes last, so even a randomized delay never exceeds maxTimeout.
 */
function backoff(attemptNumber: number, minTimeout: number, maxTimeout: number, factor: number, randomize: boolean): number {
  const random = randomize ? 1 + Math.random() : 1;
  return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));
}

/**
 * Sleep `ms` milliseconds, or reject with `signal.reason` the moment the signal aborts.
 * Whichever happens first undoes the other: no timer and no listener outlive the sleep.
 */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // `once`: the listener removes itself if it fires.
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  // Read the options once, into locals: the caller's object is never written to,
  // so one options object can be shared by many calls.
  const {
    retries = 10,
    minTimeout = 1000,
    maxTimeout = Infinity,
    factor = 2,
    randomize = false,
    onFailedAttempt,
    shouldRetry,
    signal,
  } = options;
  // Inside an async function a throw is a rejection: invalid options reject with a TypeError.
  assertNonNegative('retries', retries);
  assertNonNegative('minTimeout', minTimeout);
  assertNonNegative('maxTimeout', maxTimeout);
  assertNonNegative('factor', factor);

  // Already aborted: reject with the signal's own reason, and never call input.
  signal?.throwIfAborted();

  for (let attemptNumber = 1; ; attemptNumber++) {
    let value: Awaited<R>;
    try {
      // `await` turns a synchronous throw from input into the same catch as a rejection.
      value = await input(attemptNumber);
    } catch (error) {
      if (error instanceof AbortError) throw error.originalError;

      const retriesLeft = retries - (attemptNumber - 1);
      const failed: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft };
      // A hook that throws (or rejects) ends retrying with the hook's error: no try/catch here.
      await onFailedAttempt?.(failed);
      signal?.throwIfAborted();
      // The last attempt: no more hooks, no sleep, reject with this very error.
      if (retriesLeft <= 0) throw error;
      if (shouldRetry && !(await shouldRetry(failed))) throw error;

      await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, randomize), signal);
      continue;
    }
    // Aborted while this attempt ran, even if it succeeded: reject with the reason.
    signal?.throwIfAborted();
    return value;
  }
}
