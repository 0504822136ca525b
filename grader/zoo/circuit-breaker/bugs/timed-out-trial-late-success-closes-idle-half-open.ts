/**
 * the late success of a trial that timed out closes the circuit when it lands in the next half-open period before a new trial
 *
 * The trial timed out and reopened the circuit; resetTimeout later the circuit is half-open again with no trial
 * running, and the old trial's late success closes it, although only a new trial may decide. (Red team, round 2.)
 * @breaks the late outcome of a call that timed out changes nothing
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
          onFailure();
          reject(new TimeoutError());
        }, this.#timeout);
      }
      const settle = (ok: boolean, value: unknown) => {
        if (done) { if (ok && isTrial && this.state === 'half-open' && !this.#trialRunning) this.#transition('closed'); return; }
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
