/**
 * Reference solution — circuit-breaker: closed, open, half-open.
 *
 * Read it next to opossum: `fire`, `errorFilter`, one half-open trial and
 * fast rejection while open come from there; the failure rule is a count of
 * *consecutive* failures, like cockatiel's ConsecutiveBreaker. Three ideas
 * carry the whole file:
 *   1. One place changes the state (`#moveTo`), so `onStateChange` is called
 *      exactly once per real transition, and never for closed → closed.
 *   2. Every transition starts a new "generation". A call remembers the
 *      generation it started in; when it settles in a later one, its outcome
 *      is ignored. That is the fix for opossum#385: calls started before the
 *      circuit opened cannot extend the open period or reopen it.
 *   3. A call settles exactly once: whichever comes first of the action's
 *      outcome and the timeout wins, and the loser changes nothing. That is
 *      what keeps the late result of a timed-out call from counting.
 *
 * This solution moves to half-open with a timer, unref'd so that an open
 * circuit never keeps a process alive. Working it out from `Date.now()`
 * whenever `state` is read is just as correct (see the lesson).
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Rejection for calls refused while the circuit is open or a half-open trial is running. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  readonly code = 'EOPENBREAKER';
}

/** Rejection for a call that outlived `timeout`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
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

export class CircuitBreaker<A extends unknown[], R> {
  readonly #action: (...args: A) => R | PromiseLike<R>;
  // The options are read once, here: the caller's object is never touched again.
  readonly #failureThreshold: number;
  readonly #resetTimeout: number;
  readonly #timeout: number | false;
  readonly #errorFilter: ((error: unknown) => boolean) | undefined;
  readonly #onStateChange: ((to: CircuitState, from: CircuitState) => void) | undefined;

  #state: CircuitState = 'closed';
  /** Consecutive counted failures while closed. */
  #failures = 0;
  /** True while the one half-open trial runs. */
  #trialRunning = false;
  /** Bumped on every transition: outcomes of calls from an earlier generation are ignored. */
  #generation = 0;
  #resetTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(action: (...args: A) => R | PromiseLike<R>, options: CircuitBreakerOptions = {}) {
    // Destructuring defaults apply to `undefined` only: `null` is rejected below like any other bad value.
    const { failureThreshold = 5, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;

    // Number.isInteger and Number.isFinite are false for anything that is not a number ('3', true, NaN).
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new TypeError(`failureThreshold must be an integer of at least 1, got ${String(failureThreshold)}`);
    }
    if (!Number.isFinite(resetTimeout) || resetTimeout < 0) {
      throw new TypeError(`resetTimeout must be a finite number of at least 0, got ${String(resetTimeout)}`);
    }
    if (timeout !== false && !(Number.isFinite(timeout) && timeout > 0)) {
      throw new TypeError(`timeout must be false or a positive finite number, got ${String(timeout)}`);
    }

    this.#action = action;
    this.#failureThreshold = failureThreshold;
    this.#resetTimeout = resetTimeout;
    this.#timeout = timeout;
    this.#errorFilter = errorFilter;
    this.#onStateChange = onStateChange;
  }

  get state(): CircuitState {
    return this.#state;
  }

  fire(...args: A): Promise<Awaited<R>> {
    // Open, or half-open with the trial already running: refuse at once, without calling the action.
    if (this.#state === 'half-open') {
      if (this.#trialRunning) return this.#refuse();
      this.#trialRunning = true; // this call is the trial
    } else if (this.#state === 'open') {
      return this.#refuse();
    }
    const generation = this.#generation;

    return new Promise<Awaited<R>>((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;

      // The first of the action's outcome and the timeout wins; the loser finds
      // `settled` already true and changes nothing. The outcome is recorded
      // before the caller hears of it, so a caller who reads `state` in its
      // `.then` already sees the transition this call caused.
      const finish = (healthy: boolean, settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#record(generation, healthy);
        settle();
      };

      if (this.#timeout !== false) {
        const ms = this.#timeout;
        timer = setTimeout(() => finish(false, () => reject(new TimeoutError(`The call did not settle within ${ms} ms`))), ms);
      }

      // `new Promise` turns a synchronous throw into a rejection, and `resolve`
      // adopts whatever the action returns: a value, a promise or a thenable.
      new Promise<Awaited<R>>((resolveAction) => resolveAction(this.#action(...args) as Awaited<R>)).then(
        (value) => finish(true, () => resolve(value)),
        // An error errorFilter accepts is the caller's fault: it says nothing bad about the service.
        (error: unknown) => finish(this.#errorFilter?.(error) === true, () => reject(error)),
      );
    });
  }

  #refuse(): Promise<never> {
    return Promise.reject(new CircuitOpenError(`The circuit is ${this.#state}: the call was refused without running the action`));
  }

  /** One call's outcome, as the breaker counts it. */
  #record(generation: number, success: boolean): void {
    // Started before the last transition (say, before the circuit opened): it changes nothing.
    if (generation !== this.#generation) return;
    if (this.#state === 'half-open') {
      // Only the trial can get here: it alone decides.
      if (success) this.#close();
      else this.#open();
    } else if (success) {
      this.#failures = 0;
    } else if (++this.#failures >= this.#failureThreshold) {
      this.#open();
    }
  }

  #open(): void {
    this.#moveTo('open');
    // The wait starts now, on every opening, including after a failed trial.
    clearTimeout(this.#resetTimer);
    this.#resetTimer = setTimeout(() => {
      this.#resetTimer = undefined;
      this.#moveTo('half-open');
    }, this.#resetTimeout);
    // An open circuit is no work to wait for: unref'd, the timer does not keep the process alive, so a
    // command-line program whose breaker has just opened exits at once instead of resetTimeout later.
    // (`?.`: a timer from another runtime, or a test's fake clock, might have no unref.)
    this.#resetTimer.unref?.();
  }

  #close(): void {
    this.#failures = 0;
    this.#moveTo('closed');
  }

  /** The only place the state changes; every caller really changes it, so closed → closed is never reported. */
  #moveTo(to: CircuitState): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#trialRunning = false;
    this.#onStateChange?.(to, from);
  }
}
