/**
 * A promise-executor state machine in .then style (no async/await): one abort listener for the whole run, attempts raced against abort
 *
 * `retry` returns `new Promise(...)`; every path ends in one `finish` that clears the timer and removes
 * the single abort listener. An abort rejects at once, even while an attempt runs (its late result is
 * ignored). `input` is called synchronously inside `retry`. Hooks and delays are chained with `.then`,
 * and AbortError's name lives on its prototype.
 */

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  declare readonly name: 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(typeof messageOrError === 'string' ? messageOrError : messageOrError.message);
    this.originalError = typeof messageOrError === 'string' ? new Error(messageOrError) : messageOrError;
  }
}
Object.defineProperty(AbortError.prototype, 'name', { value: 'AbortError', writable: true, configurable: true });

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

const NUMERIC = ['retries', 'minTimeout', 'maxTimeout', 'factor'] as const;

export function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options?: RetryOptions,
): Promise<Awaited<R>> {
  return new Promise<Awaited<R>>((resolve, reject) => {
    const opts = options ?? {};
    for (const key of NUMERIC) {
      const value: unknown = opts[key];
      if (value !== undefined && !(typeof value === 'number' && value >= 0)) {
        reject(new TypeError(`${key} must be a non-negative number`));
        return;
      }
    }
    const retries = opts.retries ?? 10;
    const minTimeout = opts.minTimeout ?? 1000;
    const maxTimeout = opts.maxTimeout ?? Infinity;
    const factor = opts.factor ?? 2;
    const { randomize, onFailedAttempt, shouldRetry, signal } = opts;

    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }

    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (settle: () => void): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = (): void => finish(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort);

    const waitBefore = (failed: number): number => {
      const jitter = randomize ? Math.random() + 1 : 1;
      const raw = Math.round(jitter * minTimeout * Math.pow(factor, failed - 1));
      return raw > maxTimeout ? maxTimeout : raw;
    };

    const onFailure = (error: unknown, attemptNumber: number): void => {
      if (error instanceof AbortError) {
        finish(() => reject(error.originalError));
        return;
      }
      const retriesLeft = retries - attemptNumber + 1;
      const info: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft };
      Promise.resolve()
        .then(() => onFailedAttempt?.(info))
        .then(() => {
          if (retriesLeft < 1) throw error;
          return shouldRetry === undefined ? true : shouldRetry(info);
        })
        .then((again) => {
          if (!again) throw error;
          if (done) return;
          timer = setTimeout(() => {
            timer = undefined;
            run(attemptNumber + 1);
          }, waitBefore(attemptNumber));
        })
        .catch((reason: unknown) => finish(() => reject(reason)));
    };

    const run = (attemptNumber: number): void => {
      let pending: Promise<Awaited<R>>;
      try {
        pending = Promise.resolve(input(attemptNumber)) as Promise<Awaited<R>>;
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => {
          if (!done) onFailure(error, attemptNumber);
        },
      );
    };

    run(1);
  });
}
