/**
 * An explicit state machine: a pure reducer over (state, event) returning one effect, run by a class with #private fields.
 *
 * `transition` never touches the outside world: it maps a phase and an event to the next phase and an effect
 * (call input, run hooks, wait, resolve, reject). `Retrier` performs each effect and feeds its outcome back as an
 * event through `.then` callbacks; there is no async/await. The first call happens one microtask after `retry()`.
 * The signal is read only at transitions, so an abort during an attempt or a hook wins when that step settles;
 * during a wait, timers/promises' own `signal` cancels the timer. `retries` is floored; only `false` stops `shouldRetry`.
 */
import { setTimeout as wait } from 'node:timers/promises';

/** Thrown by `input` to stop retrying at once; `retry` then rejects with `originalError`. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(messageOrError instanceof Error ? messageOrError.message : messageOrError);
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

interface Rules {
  readonly retries: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
  readonly factor: number;
  readonly randomize: boolean;
  readonly onFailedAttempt: RetryOptions['onFailedAttempt'];
  readonly shouldRetry: RetryOptions['shouldRetry'];
  readonly signal: AbortSignal | undefined;
}

type State =
  | { readonly phase: 'idle' }
  | { readonly phase: 'attempting'; readonly attemptNumber: number }
  | { readonly phase: 'reporting'; readonly attempt: FailedAttempt }
  | { readonly phase: 'sleeping'; readonly nextAttempt: number }
  | { readonly phase: 'settled' };

type Event =
  | { readonly type: 'start' }
  | { readonly type: 'attempt-fulfilled'; readonly value: unknown }
  | { readonly type: 'attempt-rejected'; readonly error: unknown }
  | { readonly type: 'hooks-done'; readonly proceed: boolean; readonly jitter: number }
  | { readonly type: 'hook-failed'; readonly error: unknown }
  | { readonly type: 'slept'; readonly remaining: number }
  | { readonly type: 'aborted'; readonly reason: unknown };

type Effect =
  | { readonly run: 'call-input'; readonly attemptNumber: number }
  | { readonly run: 'hooks'; readonly attempt: FailedAttempt; readonly askShouldRetry: boolean }
  | { readonly run: 'wait'; readonly ms: number }
  | { readonly run: 'resolve'; readonly value: unknown }
  | { readonly run: 'reject'; readonly reason: unknown }
  | { readonly run: 'nothing' };

const SETTLED: State = { phase: 'settled' };
const NOTHING: Effect = { run: 'nothing' };
const LONGEST_TIMER = 2 ** 31 - 1;

function delayAfter(rules: Rules, failedAttempt: number, jitter: number): number {
  const growth = rules.factor ** (failedAttempt - 1);
  const raw = rules.minTimeout === 0 || growth === 0 ? 0 : Math.round(jitter * rules.minTimeout * growth);
  return Math.min(rules.maxTimeout, raw);
}

function transition(rules: Rules, state: State, event: Event): readonly [State, Effect] {
  if (state.phase === 'settled') return [state, NOTHING];
  if (event.type === 'aborted') return [SETTLED, { run: 'reject', reason: event.reason }];

  switch (state.phase) {
    case 'idle':
      if (event.type === 'start') return [{ phase: 'attempting', attemptNumber: 1 }, { run: 'call-input', attemptNumber: 1 }];
      break;
    case 'attempting':
      if (event.type === 'attempt-fulfilled') return [SETTLED, { run: 'resolve', value: event.value }];
      if (event.type === 'attempt-rejected') {
        if (event.error instanceof AbortError) return [SETTLED, { run: 'reject', reason: event.error.originalError }];
        const retriesLeft = rules.retries - (state.attemptNumber - 1);
        const attempt: FailedAttempt = Object.freeze({ error: event.error as Error, attemptNumber: state.attemptNumber, retriesLeft });
        return [{ phase: 'reporting', attempt }, { run: 'hooks', attempt, askShouldRetry: retriesLeft > 0 }];
      }
      break;
    case 'reporting':
      if (event.type === 'hook-failed') return [SETTLED, { run: 'reject', reason: event.error }];
      if (event.type === 'hooks-done') {
        const { attempt } = state;
        if (!event.proceed) return [SETTLED, { run: 'reject', reason: attempt.error }];
        return [{ phase: 'sleeping', nextAttempt: attempt.attemptNumber + 1 }, { run: 'wait', ms: delayAfter(rules, attempt.attemptNumber, event.jitter) }];
      }
      break;
    case 'sleeping':
      if (event.type === 'slept') {
        if (event.remaining > 0) return [state, { run: 'wait', ms: event.remaining }];
        return [{ phase: 'attempting', attemptNumber: state.nextAttempt }, { run: 'call-input', attemptNumber: state.nextAttempt }];
      }
      break;
  }
  return [state, NOTHING];
}

/** Calls `fn` now; a synchronous throw becomes a rejection. */
function invoke<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

class Retrier<R> {
  #state: State = { phase: 'idle' };
  readonly #rules: Rules;
  readonly #input: (attemptNumber: number) => R | PromiseLike<R>;
  readonly #resolve: (value: Awaited<R>) => void;
  readonly #reject: (reason: unknown) => void;

  constructor(
    input: (attemptNumber: number) => R | PromiseLike<R>,
    rules: Rules,
    resolve: (value: Awaited<R>) => void,
    reject: (reason: unknown) => void,
  ) {
    this.#input = input;
    this.#rules = rules;
    this.#resolve = resolve;
    this.#reject = reject;
    Promise.resolve().then(() => this.#dispatch({ type: 'start' }));
  }

  #dispatch(event: Event): void {
    const { signal } = this.#rules;
    const seen: Event = signal?.aborted && event.type !== 'aborted' ? { type: 'aborted', reason: signal.reason } : event;
    const [next, effect] = transition(this.#rules, this.#state, seen);
    this.#state = next;
    this.#perform(effect);
  }

  #perform(effect: Effect): void {
    switch (effect.run) {
      case 'call-input':
        invoke(() => this.#input(effect.attemptNumber)).then(
          (value) => this.#dispatch({ type: 'attempt-fulfilled', value }),
          (error: unknown) => this.#dispatch({ type: 'attempt-rejected', error }),
        );
        return;
      case 'hooks': {
        const { onFailedAttempt, shouldRetry, randomize } = this.#rules;
        const { attempt, askShouldRetry } = effect;
        invoke(() => onFailedAttempt?.(attempt))
          .then(() => (askShouldRetry ? invoke(() => (shouldRetry ? shouldRetry(attempt) : true)) : false))
          .then(
            (verdict) => {
              const proceed = askShouldRetry && verdict !== false;
              const jitter = proceed && randomize ? 1 + Math.random() : 1;
              this.#dispatch({ type: 'hooks-done', proceed, jitter });
            },
            (error: unknown) => this.#dispatch({ type: 'hook-failed', error }),
          );
        return;
      }
      case 'wait': {
        const { signal } = this.#rules;
        const chunk = Math.min(effect.ms, LONGEST_TIMER);
        wait(chunk, undefined, signal ? { signal } : {}).then(
          () => this.#dispatch({ type: 'slept', remaining: effect.ms - chunk }),
          () => this.#dispatch({ type: 'aborted', reason: signal?.reason }),
        );
        return;
      }
      case 'resolve':
        this.#resolve(effect.value as Awaited<R>);
        return;
      case 'reject':
        this.#reject(effect.reason);
        return;
      case 'nothing':
        return;
    }
  }
}

function readRules(options: RetryOptions): Rules {
  const numeric = (key: 'retries' | 'minTimeout' | 'maxTimeout' | 'factor', fallback: number): number => {
    const value: unknown = options[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && value >= 0) return value;
    throw new TypeError(`Expected \`${key}\` to be a number >= 0, received ${typeof value === 'number' ? value : typeof value}`);
  };
  return {
    retries: Math.floor(numeric('retries', 10)),
    minTimeout: numeric('minTimeout', 1000),
    maxTimeout: numeric('maxTimeout', Infinity),
    factor: numeric('factor', 2),
    randomize: options.randomize === true,
    onFailedAttempt: options.onFailedAttempt,
    shouldRetry: options.shouldRetry,
    signal: options.signal,
  };
}

export function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options?: RetryOptions,
): Promise<Awaited<R>> {
  return new Promise<Awaited<R>>((resolve, reject) => {
    const signal = options?.signal;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    new Retrier(input, readRules(options ?? {}), resolve, reject);
  });
}
