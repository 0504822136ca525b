/**
 * the late rejection of a timed-out call with an error errorFilter accepts resets the failure count
 * @breaks the late outcome of a call that timed out changes nothing
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';
  constructor(message = 'Breaker is open') {
    super(message);
    (this as { name: string }).name = 'CircuitOpenError';
    (this as { code: string }).code = 'EOPENBREAKER';
  }
}

export class TimeoutError extends Error {
  declare readonly name: 'TimeoutError';
  declare readonly code: 'ETIMEDOUT';
  constructor(message = 'Timed out') {
    super(message);
    (this as { name: string }).name = 'TimeoutError';
    (this as { code: string }).code = 'ETIMEDOUT';
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
  private readonly action: (...args: A) => R | PromiseLike<R>;
  private readonly threshold: number;
  private readonly resetTimeout: number;
  private readonly timeout: number | false;
  private readonly errorFilter?: (error: unknown) => boolean;
  private readonly onStateChange?: (to: CircuitState, from: CircuitState) => void;
  private _state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private gen = 0;
  private trialRunning = false;

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
    this.action = action;
    this.threshold = failureThreshold;
    this.resetTimeout = resetTimeout;
    this.timeout = timeout;
    this.errorFilter = errorFilter;
    this.onStateChange = onStateChange;
  }

  get state(): CircuitState {
    this.refresh();
    return this._state;
  }

  private refresh(): void {
    if (this._state === 'open' && Date.now() - this.openedAt >= this.resetTimeout) {
      this.moveTo('half-open');
    }
  }

  private moveTo(to: CircuitState): void {
    const from = this._state;
    if (from === to) return;
    this._state = to;
    this.gen++;
    if (to === 'open') this.openedAt = Date.now();
    if (to === 'closed') this.failures = 0;
    this.onStateChange?.(to, from);
  }

  fire(...args: A): Promise<Awaited<R>> {
    this.refresh();
    if (this._state === 'open') return Promise.reject(new CircuitOpenError());
    let isTrial = false;
    if (this._state === 'half-open') {
      if (this.trialRunning) return Promise.reject(new CircuitOpenError());
      this.trialRunning = true;
      isTrial = true;
    }
    const gen = this.gen;
    return new Promise<Awaited<R>>((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (ok: boolean, value: unknown, counted: boolean) => {
        if (done) { if (!ok && !counted) this.record(true, isTrial, gen); return; }
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        this.record(ok || !counted, isTrial, gen);
        if (ok) resolve(value as Awaited<R>);
        else reject(value);
      };
      const onError = (error: unknown) => {
        let accepted = false;
        if (this.errorFilter) accepted = Boolean(this.errorFilter(error));
        finish(false, error, !accepted);
      };
      if (this.timeout !== false) {
        timer = setTimeout(() => finish(false, new TimeoutError(), true), this.timeout);
      }
      let result: R | PromiseLike<R>;
      try {
        result = this.action(...args);
      } catch (error) {
        onError(error);
        return;
      }
      Promise.resolve(result).then(
        (value) => finish(true, value, false),
        onError,
      );
    });
  }

  private record(success: boolean, isTrial: boolean, gen: number): void {
    if (isTrial) {
      this.trialRunning = false;
      this.moveTo(success ? 'closed' : 'open');
      return;
    }
    if (gen !== this.gen || this._state !== 'closed') return;
    if (success) {
      this.failures = 0;
    } else {
      this.failures++;
      if (this.failures >= this.threshold) this.moveTo('open');
    }
  }
}
