/**
 * a TimeoutError is passed to errorFilter, so a filter that accepts it turns a timeout into a success
 *
 * The contract says a call that times out counts as a failure, with no exception; this breaker asks errorFilter
 * about its own TimeoutError, so with `errorFilter: () => true` a hanging service never opens the circuit. (Red team, round 2.)
 * @breaks a timeout counts as a failure even when errorFilter accepts every error
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';
  constructor(message = 'Circuit is open') {
    super(message);
    Object.defineProperty(this, 'name', { value: 'CircuitOpenError', enumerable: false, configurable: true });
    Object.defineProperty(this, 'code', { value: 'EOPENBREAKER', enumerable: true, configurable: true });
  }
}

export class TimeoutError extends Error {
  declare readonly name: 'TimeoutError';
  declare readonly code: 'ETIMEDOUT';
  constructor(message = 'Call timed out') {
    super(message);
    Object.defineProperty(this, 'name', { value: 'TimeoutError', enumerable: false, configurable: true });
    Object.defineProperty(this, 'code', { value: 'ETIMEDOUT', enumerable: true, configurable: true });
  }
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeout?: number;
  timeout?: number | false;
  errorFilter?: (error: unknown) => boolean;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

export class CircuitBreaker<A extends unknown[], R> {
  #action: (...args: A) => R | PromiseLike<R>;
  #threshold: number;
  #resetTimeout: number;
  #timeout: number | false;
  #errorFilter: (error: unknown) => boolean;
  #onStateChange?: (to: CircuitState, from: CircuitState) => void;

  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #epoch = 0;
  #trialRunning = false;

  constructor(action: (...args: A) => R | PromiseLike<R>, options: CircuitBreakerOptions = {}) {
    const { failureThreshold = 5, resetTimeout = 30_000, timeout = false, errorFilter, onStateChange } = options;
    if (typeof failureThreshold !== 'number' || !Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError('failureThreshold must be an integer >= 1');
    }
    if (typeof resetTimeout !== 'number' || !Number.isFinite(resetTimeout) || resetTimeout < 0) {
      throw new RangeError('resetTimeout must be a finite number >= 0');
    }
    if (timeout !== false && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
      throw new RangeError('timeout must be false or a positive finite number');
    }
    this.#action = action;
    this.#threshold = failureThreshold;
    this.#resetTimeout = resetTimeout;
    this.#timeout = timeout;
    this.#errorFilter = errorFilter ?? (() => false);
    this.#onStateChange = onStateChange;
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#epoch++;
    if (to === 'open') this.#openedAt = Date.now();
    if (to === 'closed') this.#failures = 0;
    if (to !== 'half-open') this.#trialRunning = false;
    this.#onStateChange?.(to, from);
  }

  #refresh(): void {
    if (this.#state === 'open' && Date.now() - this.#openedAt >= this.#resetTimeout) {
      this.#transition('half-open');
    }
  }

  get state(): CircuitState {
    this.#refresh();
    return this.#state;
  }

  fire(...args: A): Promise<Awaited<R>> {
    this.#refresh();
    if (this.#state === 'open' || (this.#state === 'half-open' && this.#trialRunning)) {
      return Promise.reject(new CircuitOpenError());
    }
    const isTrial = this.#state === 'half-open';
    if (isTrial) this.#trialRunning = true;
    const epoch = this.#epoch;

    const onSuccess = () => {
      if (epoch !== this.#epoch) return;
      if (isTrial) this.#transition('closed');
      else this.#failures = 0;
    };
    const onFailure = () => {
      if (epoch !== this.#epoch) return;
      if (isTrial) { this.#transition('open'); return; }
      this.#failures++;
      if (this.#failures >= this.#threshold) this.#transition('open');
    };

    return new Promise<Awaited<R>>((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (this.#timeout !== false) {
        timer = setTimeout(() => {
          if (done) return;
          done = true;
          const te = new TimeoutError();
          if (this.#errorFilter(te)) onSuccess(); else onFailure();
          reject(te);
        }, this.#timeout);
      }
      const settle = (ok: boolean, value: unknown) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        if (ok) { onSuccess(); resolve(value as Awaited<R>); return; }
        let filtered = false;
        try { filtered = Boolean(this.#errorFilter(value)); } catch { filtered = false; }
        if (filtered) onSuccess(); else onFailure();
        reject(value);
      };
      let result: R | PromiseLike<R>;
      try {
        result = this.#action(...args);
      } catch (error) {
        settle(false, error);
        return;
      }
      Promise.resolve(result).then((v) => settle(true, v), (e) => settle(false, e));
    });
  }
}
