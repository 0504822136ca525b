/**
 * An explicit state machine: a pure reducer `next(state, event) -> state` driven by a class with #private fields.
 *
 * Outcomes, the open timer firing and a trial starting are events; `next` returns a new immutable snapshot and
 * the class diffs old and new to report transitions and arm the timer. Snapshots carry a generation bumped on
 * each transition, and events stamped with an old one change nothing, so late outcomes are harmless.
 * Half-open comes from `node:timers` setTimeout (chained past 2^31-1 ms; a zero delay needs no timer at all);
 * call timeouts are `node:timers/promises` sleeps cancelled through an AbortController once the call settles.
 */
import { setTimeout as schedule } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Rejection for calls refused while the circuit is open or a half-open trial is running. */
export class CircuitOpenError extends Error {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';

  constructor(message = 'Breaker is open: call refused') {
    super(message);
  }

  static {
    Object.defineProperty(this.prototype, 'name', { value: 'CircuitOpenError', configurable: true, writable: true });
    Object.defineProperty(this.prototype, 'code', { value: 'EOPENBREAKER', configurable: true, writable: true });
  }
}

/** Rejection for a call that outlived `timeout`. */
export class TimeoutError extends Error {
  declare readonly name: 'TimeoutError';
  declare readonly code: 'ETIMEDOUT';

  constructor(message = 'Call timed out') {
    super(message);
  }

  static {
    Object.defineProperty(this.prototype, 'name', { value: 'TimeoutError', configurable: true, writable: true });
    Object.defineProperty(this.prototype, 'code', { value: 'ETIMEDOUT', configurable: true, writable: true });
  }
}

export interface CircuitBreakerOptions {
  /** Consecutive counted failures that open the circuit. Integer >= 1. Default 5. */
  failureThreshold?: number;
  /** Milliseconds the circuit stays open before it allows a trial call. Default 30_000. */
  resetTimeout?: number;
  /** Milliseconds before a call fails with `TimeoutError`; false for none. Default false. */
  timeout?: number | false;
  /** Returns true for errors that are the caller's fault: passed to the caller, counted as a success. */
  errorFilter?: (error: unknown) => boolean;
  /** Called once per transition, in order. */
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

type Snapshot =
  | { readonly kind: 'closed'; readonly gen: number; readonly failures: number }
  | { readonly kind: 'open'; readonly gen: number }
  | { readonly kind: 'half-open'; readonly gen: number; readonly trialRunning: boolean };

type Event =
  | { readonly type: 'success'; readonly gen: number }
  | { readonly type: 'failure'; readonly gen: number }
  | { readonly type: 'opened-timer-fired'; readonly gen: number }
  | { readonly type: 'trial-start' };

type Reducer = (state: Snapshot, event: Event) => Snapshot;

const MAX_TIMER_MS = 2 ** 31 - 1;

function reducerFor(threshold: number): Reducer {
  return function next(state, event) {
    if (event.type === 'trial-start') {
      return state.kind === 'half-open' && !state.trialRunning ? { ...state, trialRunning: true } : state;
    }
    if (event.gen !== state.gen) return state;
    switch (state.kind) {
      case 'closed':
        if (event.type === 'success') return state.failures === 0 ? state : { ...state, failures: 0 };
        if (event.type === 'failure') {
          const failures = state.failures + 1;
          return failures >= threshold ? { kind: 'open', gen: state.gen + 1 } : { ...state, failures };
        }
        return state;
      case 'open':
        return event.type === 'opened-timer-fired'
          ? { kind: 'half-open', gen: state.gen + 1, trialRunning: false }
          : state;
      case 'half-open':
        if (!state.trialRunning) return state;
        if (event.type === 'success') return { kind: 'closed', gen: state.gen + 1, failures: 0 };
        if (event.type === 'failure') return { kind: 'open', gen: state.gen + 1 };
        return state;
    }
  };
}

function admits(state: Snapshot): boolean {
  return state.kind === 'closed' || (state.kind === 'half-open' && !state.trialRunning);
}

function readThreshold(value: unknown): number {
  if (value === undefined) return 5;
  if (typeof value !== 'number') throw new TypeError('failureThreshold must be a number');
  if (!Number.isInteger(value) || value < 1) throw new RangeError('failureThreshold must be an integer >= 1');
  return value;
}

function readResetTimeout(value: unknown): number {
  if (value === undefined) return 30_000;
  if (typeof value !== 'number') throw new TypeError('resetTimeout must be a number');
  if (!Number.isFinite(value) || value < 0) throw new RangeError('resetTimeout must be a finite number >= 0');
  return value;
}

function readTimeout(value: unknown): number | false {
  if (value === undefined || value === false) return false;
  if (typeof value !== 'number') throw new TypeError('timeout must be false or a number');
  if (!Number.isFinite(value) || value <= 0) throw new RangeError('timeout must be a positive finite number');
  return value;
}

function readCallback<F>(value: unknown, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function`);
  return value as F;
}

/** Node truncates sub-millisecond delays and overflows past 2^31-1 ms, so round up and sleep in chunks. */
async function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  for (let left = Math.ceil(ms); left > 0; left -= MAX_TIMER_MS) {
    await sleep(Math.min(left, MAX_TIMER_MS), undefined, { signal });
  }
}

export class CircuitBreaker<A extends unknown[], R> {
  readonly #action: (...args: A) => R | PromiseLike<R>;
  readonly #next: Reducer;
  readonly #resetTimeout: number;
  readonly #timeout: number | false;
  readonly #errorFilter: ((error: unknown) => boolean) | undefined;
  readonly #onStateChange: ((to: CircuitState, from: CircuitState) => void) | undefined;
  #snapshot: Snapshot = { kind: 'closed', gen: 0, failures: 0 };

  constructor(action: (...args: A) => R | PromiseLike<R>, options?: CircuitBreakerOptions) {
    if (typeof action !== 'function') throw new TypeError('action must be a function');
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw new TypeError('options must be an object');
    }
    const { failureThreshold, resetTimeout, timeout, errorFilter, onStateChange } = options ?? {};
    this.#action = action;
    this.#next = reducerFor(readThreshold(failureThreshold));
    this.#resetTimeout = readResetTimeout(resetTimeout);
    this.#timeout = readTimeout(timeout);
    this.#errorFilter = readCallback(errorFilter, 'errorFilter');
    this.#onStateChange = readCallback(onStateChange, 'onStateChange');
  }

  get state(): CircuitState {
    return this.#snapshot.kind;
  }

  fire(...args: A): Promise<Awaited<R>> {
    if (!admits(this.#snapshot)) return Promise.reject(new CircuitOpenError());
    this.#dispatch({ type: 'trial-start' });
    const gen = this.#snapshot.gen;

    let outcome: Promise<Awaited<R>>;
    try {
      outcome = Promise.resolve(this.#action(...args)) as Promise<Awaited<R>>;
    } catch (error) {
      outcome = Promise.reject(error);
    }

    return new Promise<Awaited<R>>((resolve, reject) => {
      let settled = false;
      const canceller = this.#timeout === false ? undefined : new AbortController();
      const finish = (classify: () => 'success' | 'failure', settle: () => void): void => {
        if (settled) return;
        settled = true;
        canceller?.abort();
        this.#dispatch({ type: classify(), gen });
        settle();
      };

      outcome.then(
        (value) => finish(() => 'success', () => resolve(value)),
        (error: unknown) =>
          finish(() => (this.#isCallersFault(error) ? 'success' : 'failure'), () => reject(error)),
      );
      if (canceller !== undefined && this.#timeout !== false) {
        const ms = this.#timeout;
        waitFor(ms, canceller.signal).then(
          () => finish(() => 'failure', () => reject(new TimeoutError(`Call timed out after ${ms} ms`))),
          () => {},
        );
      }
    });
  }

  #isCallersFault(error: unknown): boolean {
    if (this.#errorFilter === undefined) return false;
    try {
      return Boolean(this.#errorFilter(error));
    } catch {
      return false;
    }
  }

  #dispatch(event: Event): void {
    const before = this.#snapshot;
    const after = this.#next(before, event);
    this.#snapshot = after;
    if (after.kind === before.kind) return;
    this.#report(after.kind, before.kind);
    if (after.kind === 'open') this.#armHalfOpen(after.gen);
  }

  #armHalfOpen(gen: number): void {
    if (this.#resetTimeout === 0) {
      this.#dispatch({ type: 'opened-timer-fired', gen });
      return;
    }
    const tick = (left: number): void => {
      const step = Math.min(left, MAX_TIMER_MS);
      schedule(() => (left > step ? tick(left - step) : this.#dispatch({ type: 'opened-timer-fired', gen })), step);
    };
    tick(Math.ceil(this.#resetTimeout));
  }

  #report(to: CircuitState, from: CircuitState): void {
    try {
      this.#onStateChange?.(to, from);
    } catch {
      // A throwing listener must not leave the breaker half-updated or crash a timer callback.
    }
  }
}
