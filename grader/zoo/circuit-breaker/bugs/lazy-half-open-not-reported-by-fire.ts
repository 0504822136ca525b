/**
 * works half-open out lazily, but fire lets the trial through without reporting the move to half-open
 *
 * fire compares the clock itself and slips into half-open quietly; only a read of state reports it, so a
 * caller who never reads state never hears of the move.
 * @breaks reports the move to half-open no later than the next fire
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  readonly code = 'EOPENBREAKER' as const;
  declare readonly name: 'CircuitOpenError';

  constructor(message = 'Breaker is open') {
    super(message);
    Object.defineProperty(this, 'name', { value: 'CircuitOpenError', enumerable: false, configurable: true });
  }
}

export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT' as const;
  declare readonly name: 'TimeoutError';

  constructor(message = 'Timed out') {
    super(message);
    Object.defineProperty(this, 'name', { value: 'TimeoutError', enumerable: false, configurable: true });
  }
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeout?: number;
  timeout?: number | false;
  errorFilter?: (error: unknown) => boolean;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

interface Period {
  readonly state: CircuitState;
}

export class CircuitBreaker<A extends unknown[], R> {
  #action: (...args: A) => R | PromiseLike<R>;
  #threshold: number;
  #resetTimeout: number;
  #timeout: number | false;
  #isCallersFault: (error: unknown) => boolean;
  #report: (to: CircuitState, from: CircuitState) => void;

  #period: Period = { state: 'closed' };
  #failuresInARow = 0;
  #openedAt = 0;
  #trialStarted = false;

  constructor(action: (...args: A) => R | PromiseLike<R>, options?: CircuitBreakerOptions) {
    const failureThreshold = options?.failureThreshold === undefined ? 5 : options.failureThreshold;
    const resetTimeout = options?.resetTimeout === undefined ? 30_000 : options.resetTimeout;
    const timeout = options?.timeout === undefined ? false : options.timeout;
    if (!Number.isSafeInteger(failureThreshold) || failureThreshold < 1) throw new RangeError('bad failureThreshold');
    if (typeof resetTimeout !== 'number' || !(resetTimeout >= 0) || resetTimeout === Infinity) {
      throw new RangeError('bad resetTimeout');
    }
    if (timeout !== false && (typeof timeout !== 'number' || !(timeout > 0) || timeout === Infinity)) {
      throw new RangeError('bad timeout');
    }
    this.#action = action;
    this.#threshold = failureThreshold;
    this.#resetTimeout = resetTimeout;
    this.#timeout = timeout;
    const filter = options?.errorFilter;
    this.#isCallersFault = filter ? (error) => Boolean(filter(error)) : () => false;
    const listener = options?.onStateChange;
    this.#report = listener ? (to, from) => listener(to, from) : () => {};
  }

  get state(): CircuitState {
    this.#sync();
    return this.#period.state;
  }

  #sync(): void {
    if (this.#period.state === 'open' && Date.now() - this.#openedAt >= this.#resetTimeout) this.#enter('half-open');
  }

  #enter(state: CircuitState): void {
    const from = this.#period.state;
    this.#period = { state };
    this.#trialStarted = false;
    if (state === 'open') this.#openedAt = Date.now();
    if (state === 'closed') this.#failuresInARow = 0;
    this.#report(state, from);
  }

  #settle(period: Period, healthy: boolean): void {
    if (period !== this.#period) return;
    if (period.state === 'half-open') {
      this.#enter(healthy ? 'closed' : 'open');
      return;
    }
    this.#failuresInARow = healthy ? 0 : this.#failuresInARow + 1;
    if (this.#failuresInARow >= this.#threshold) this.#enter('open');
  }

  fire(...args: A): Promise<Awaited<R>> {
    if (this.#period.state === 'open' && Date.now() - this.#openedAt >= this.#resetTimeout) {
      this.#period = { state: 'half-open' };
      this.#trialStarted = false;
    }
    const period = this.#period;
    if (period.state === 'open' || (period.state === 'half-open' && this.#trialStarted)) {
      return Promise.reject(new CircuitOpenError());
    }
    if (period.state === 'half-open') this.#trialStarted = true;

    return new Promise<Awaited<R>>((resolve, reject) => {
      let over = false;
      const signal = this.#timeout === false ? undefined : AbortSignal.timeout(this.#timeout);
      const onAbort = (): void => {
        if (over) return;
        over = true;
        this.#settle(period, false);
        reject(new TimeoutError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      let outcome: PromiseLike<Awaited<R>>;
      try {
        outcome = Promise.resolve(this.#action(...args));
      } catch (error) {
        outcome = Promise.reject(error);
      }
      outcome.then(
        (value) => {
          if (over) return;
          over = true;
          signal?.removeEventListener('abort', onAbort);
          this.#settle(period, true);
          resolve(value);
        },
        (error: unknown) => {
          if (over) return;
          over = true;
          signal?.removeEventListener('abort', onAbort);
          this.#settle(period, this.#isCallersFault(error));
          reject(error);
        },
      );
    });
  }
}
