/**
 * Draws one random factor per retry() call and reuses it for every delay
 *
 * Each wait should get a fresh Math.random(); one shared factor makes every delay of a run move together.
 * @breaks with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout
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

function assertNonNegative(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${String(value)}`);
  }
}

function backoff(attemptNumber: number, minTimeout: number, maxTimeout: number, factor: number, random: number): number {
  return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));
}

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
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
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
  assertNonNegative('retries', retries);
  assertNonNegative('minTimeout', minTimeout);
  assertNonNegative('maxTimeout', maxTimeout);
  assertNonNegative('factor', factor);

  signal?.throwIfAborted();
  const jitter = randomize ? 1 + Math.random() : 1;

  for (let attemptNumber = 1; ; attemptNumber++) {
    let value: Awaited<R>;
    try {
      value = await input(attemptNumber);
    } catch (error) {
      signal?.throwIfAborted();
      if (error instanceof AbortError) throw error.originalError;

      const retriesLeft = retries - (attemptNumber - 1);
      const failed: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft };
      await onFailedAttempt?.(failed);
      if (retriesLeft <= 0) throw error;
      if (shouldRetry && !(await shouldRetry(failed))) throw error;

      await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, jitter), signal);
      continue;
    }
    signal?.throwIfAborted();
    return value;
  }
}
