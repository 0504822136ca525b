/**
 * A class-based RetryOperation (in the style of node-retry) on node:timers, with one shared abort promise and a listener added lazily
 *
 * The operation object owns the state: attempt counter, timer handle, abort listener. `retry` builds
 * one and awaits `operation.run()`. The abort promise is made once per run (its rejection handled at
 * birth, so it is never "unhandled") and raced against every attempt and every sleep; `dispose()`
 * runs in a finally and removes the listener and any timer. Options are validated by a table of
 * checks before anything else.
 */
import { clearTimeout, setTimeout } from 'node:timers';

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  override readonly name = 'AbortError' as const;
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(String(typeof messageOrError === 'string' ? messageOrError : messageOrError.message));
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

interface Settings {
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  factor: number;
  randomize: boolean;
}

const DEFAULTS: Settings = { retries: 10, minTimeout: 1000, maxTimeout: Infinity, factor: 2, randomize: false };

function settingsFrom(options: RetryOptions): Settings {
  const settings = { ...DEFAULTS };
  for (const key of ['retries', 'minTimeout', 'maxTimeout', 'factor'] as const) {
    if (!(key in options) || options[key] === undefined) continue;
    const value = options[key] as unknown;
    if (typeof value !== 'number' || Number.isNaN(value) || Math.sign(value) === -1) {
      throw new TypeError(`Invalid option ${key}: ${String(value)}`);
    }
    settings[key] = value;
  }
  settings.randomize = Boolean(options.randomize);
  return settings;
}

class RetryOperation<R> {
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly abortion: Promise<never> | null = null;
  private readonly onAbort: (() => void) | null = null;

  constructor(
    private readonly input: (attemptNumber: number) => R | PromiseLike<R>,
    private readonly settings: Settings,
    private readonly hooks: Pick<RetryOptions, 'onFailedAttempt' | 'shouldRetry'>,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal) {
      let rejectAbortion!: (reason: unknown) => void;
      this.abortion = new Promise<never>((_, reject) => (rejectAbortion = reject));
      this.abortion.catch(() => {}); // handled at birth: raced later, maybe never
      this.onAbort = () => rejectAbortion(signal.reason);
      signal.addEventListener('abort', this.onAbort);
    }
  }

  private guard<T>(work: Promise<T>): Promise<T> {
    return this.abortion ? Promise.race([work, this.abortion]) : work;
  }

  private timeout(): number {
    const { minTimeout, maxTimeout, factor, randomize } = this.settings;
    const grown = minTimeout * factor ** (this.attempts - 1);
    const jittered = randomize ? grown * (Math.random() + 1) : grown;
    return Math.min(maxTimeout, Math.round(jittered));
  }

  private sleep(ms: number): Promise<void> {
    return this.guard(
      new Promise<void>((resolve) => {
        this.timer = setTimeout(() => {
          this.timer = null;
          resolve();
        }, ms);
      }),
    );
  }

  async run(): Promise<Awaited<R>> {
    try {
      for (;;) {
        this.attempts++;
        const attemptNumber = this.attempts;
        let outcome: { ok: true; value: Awaited<R> } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, value: await this.guard(Promise.resolve().then(() => this.input(attemptNumber))) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        if (this.signal?.aborted) throw this.signal.reason;
        if (outcome.ok) return outcome.value;
        const { error } = outcome;
        if (error instanceof AbortError) throw error.originalError;
        const details: FailedAttempt = {
          error: error as Error,
          attemptNumber,
          retriesLeft: this.settings.retries - attemptNumber + 1,
        };
        await this.hooks.onFailedAttempt?.(details);
        if (attemptNumber > this.settings.retries) throw error;
        if (this.hooks.shouldRetry && !(await this.hooks.shouldRetry(details))) throw error;
        await this.sleep(this.timeout());
      }
    } finally {
      this.dispose();
    }
  }

  private dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.signal && this.onAbort) this.signal.removeEventListener('abort', this.onAbort);
  }
}

export function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  try {
    const settings = settingsFrom(options);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new RetryOperation(input, settings, { onFailedAttempt: options.onFailedAttempt, shouldRetry: options.shouldRetry }, options.signal).run();
  } catch (error) {
    return Promise.reject(error);
  }
}
