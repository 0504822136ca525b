/**
 * A lazy delay generator pulled by an async loop; every pause is AbortSignal.any([caller, AbortSignal.timeout(ms)]).
 *
 * `backoff()` yields one delay per retry, so `Math.random` runs only when a retry really happens.
 * The pause owns no setTimeout: it waits for the combined signal and checks which source fired it; delays
 * above the 32-bit timer limit are slept in chunks, a 0 ms delay is not slept at all. Attempts and hooks run
 * under `underSignal`, which rejects the moment the caller aborts. Non-integer `retries` are a TypeError.
 * Unusual: `AbortSignal.timeout` cannot be cancelled, so an abort mid-pause leaves Node's unref'd timer to lapse.
 */

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    const original = typeof messageOrError === 'string' ? new Error(messageOrError) : messageOrError;
    super(original.message);
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

const LONGEST_TIMER = 2 ** 31 - 1;

interface Plan {
  readonly retries: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
  readonly factor: number;
  readonly randomize: boolean;
  readonly onFailedAttempt: RetryOptions['onFailedAttempt'];
  readonly shouldRetry: RetryOptions['shouldRetry'];
  readonly signal: AbortSignal | undefined;
}

function numberOption(options: RetryOptions, key: 'retries' | 'minTimeout' | 'maxTimeout' | 'factor', fallback: number): number {
  const value: unknown = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`retry: \`${key}\` must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

function plan(options: RetryOptions): Plan {
  const retries = numberOption(options, 'retries', 10);
  if (retries !== Infinity && !Number.isInteger(retries)) {
    throw new TypeError(`retry: \`retries\` must be a whole number or Infinity, got ${retries}`);
  }
  return {
    retries,
    minTimeout: numberOption(options, 'minTimeout', 1000),
    maxTimeout: numberOption(options, 'maxTimeout', Infinity),
    factor: numberOption(options, 'factor', 2),
    randomize: Boolean(options.randomize),
    onFailedAttempt: options.onFailedAttempt,
    shouldRetry: options.shouldRetry,
    signal: options.signal,
  };
}

function* backoff({ minTimeout, maxTimeout, factor, randomize }: Plan): Generator<number, never> {
  for (let failed = 1; ; failed++) {
    const jitter = randomize ? 1 + Math.random() : 1;
    const growth = factor ** (failed - 1);
    const raw = minTimeout === 0 || growth === 0 ? 0 : Math.round(jitter * minTimeout * growth);
    yield Math.min(maxTimeout, raw);
  }
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: unknown };

/** Runs `work` now; settles with its outcome, or rejects with the abort reason as soon as `signal` fires. */
function underSignal<T>(signal: AbortSignal | undefined, work: () => T | PromiseLike<T>): Promise<Settled<Awaited<T>>> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (outcome: Settled<Awaited<T>>): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    let pending: PromiseLike<Awaited<T>> | Awaited<T>;
    try {
      pending = work() as PromiseLike<Awaited<T>> | Awaited<T>;
    } catch (reason) {
      done({ ok: false, reason });
      return;
    }
    Promise.resolve(pending).then(
      (value) => done({ ok: true, value }),
      (reason: unknown) => done({ ok: false, reason }),
    );
  });
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  for (let remaining = ms; remaining > 0; remaining -= LONGEST_TIMER) {
    if (signal?.aborted) throw signal.reason;
    const clock = AbortSignal.timeout(Math.ceil(Math.min(remaining, LONGEST_TIMER)));
    const either = signal ? AbortSignal.any([signal, clock]) : clock;
    if (!either.aborted) {
      await new Promise<void>((wake) => either.addEventListener('abort', () => wake(), { once: true }));
    }
    if (either.reason !== clock.reason) throw either.reason; // the caller's signal won
  }
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options?: RetryOptions,
): Promise<Awaited<R>> {
  const settings = plan(options ?? {});
  const { signal } = settings;
  const delays = backoff(settings);

  for (let attemptNumber = 1; ; attemptNumber++) {
    const outcome = await underSignal(signal, () => input(attemptNumber));
    if (outcome.ok) return outcome.value;

    const error = outcome.reason as Error;
    if (error instanceof AbortError) throw error.originalError;

    const attempt: FailedAttempt = Object.freeze({
      error,
      attemptNumber,
      retriesLeft: settings.retries - (attemptNumber - 1),
    });

    const reported = await underSignal(signal, () => settings.onFailedAttempt?.(attempt));
    if (!reported.ok) throw reported.reason;
    if (attempt.retriesLeft < 1) throw error;

    if (settings.shouldRetry) {
      const verdict = await underSignal(signal, () => settings.shouldRetry!(attempt));
      if (!verdict.ok) throw verdict.reason;
      if (!verdict.value) throw error;
    }

    await pause(delays.next().value, signal);
  }
}
