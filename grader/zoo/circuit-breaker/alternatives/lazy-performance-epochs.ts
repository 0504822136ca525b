/**
 * A lazy clock: no half-open timer; the state is worked out from performance.now() when read, and epoch objects fence off stale calls.
 *
 * Outcomes only ever set 'closed' or 'open'; 'half-open' is discovered by `catchUp()` in the `state` getter and in
 * `fire`, comparing performance.now() with the moment the circuit opened. Every transition installs a fresh `{}`
 * epoch, and a call's outcome is dropped unless the epoch it captured is still current. Synchronous throws and
 * primitive results are recorded before `fire` returns; call timeouts listen for 'abort' on `AbortSignal.timeout`,
 * re-armed in whole-millisecond chunks because that API only takes integers up to 2^31-1 reliably.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Rejection for calls refused while the circuit is open or a half-open trial is running. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError' as const;
  readonly code = 'EOPENBREAKER' as const;

  constructor(message?: string) {
    super(message ?? 'Circuit open');
  }
}

/** Rejection for a call that outlived `timeout`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError' as const;
  readonly code = 'ETIMEDOUT' as const;

  constructor(message?: string) {
    super(message ?? 'Timed out');
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

type Epoch = Record<string, never>;
type Verdict = 'counted' | 'harmless';

const LONGEST_SIGNAL_MS = 2 ** 31 - 1;

function option<T>(value: T | undefined, fallback: T, valid: (v: unknown) => boolean, what: string): T {
  if (value === undefined) return fallback;
  if (!valid(value)) {
    const message = `Invalid ${what}: ${String(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}

function onTimeout(ms: number, callback: () => void): () => void {
  let left = ms;
  let step = 0;
  let signal: AbortSignal;
  const arm = (): void => {
    step = Math.min(Math.ceil(left), LONGEST_SIGNAL_MS);
    signal = AbortSignal.timeout(step);
    signal.addEventListener('abort', elapsed, { once: true });
  };
  function elapsed(): void {
    left -= step;
    if (left > 0) arm();
    else callback();
  }
  arm();
  return () => signal.removeEventListener('abort', elapsed);
}

export class CircuitBreaker<A extends unknown[], R> {
  private readonly action: (...args: A) => R | PromiseLike<R>;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly callMs: number | false;
  private readonly isCallersFault: (error: unknown) => boolean;
  private readonly listener: ((to: CircuitState, from: CircuitState) => void) | undefined;

  private phase: CircuitState = 'closed';
  private epoch: Epoch = {};
  private streak = 0;
  private openedAt = 0;
  private trialBusy = false;

  constructor(action: (...args: A) => R | PromiseLike<R>, options?: CircuitBreakerOptions) {
    if (typeof action !== 'function') throw new TypeError('action must be a function');
    const o: CircuitBreakerOptions = options ?? {};
    this.action = action;
    this.threshold = option(o.failureThreshold, 5, (v) => Number.isInteger(v) && (v as number) >= 1, 'failureThreshold');
    this.openMs = option(o.resetTimeout, 30_000, (v) => Number.isFinite(v) && (v as number) >= 0, 'resetTimeout');
    this.callMs = option(o.timeout, false, (v) => v === false || (Number.isFinite(v) && (v as number) > 0), 'timeout');
    const filter = o.errorFilter;
    this.isCallersFault = typeof filter === 'function' ? (e) => Boolean(filter(e)) : () => false;
    this.listener = typeof o.onStateChange === 'function' ? o.onStateChange : undefined;
  }

  get state(): CircuitState {
    this.catchUp();
    return this.phase;
  }

  fire(...args: A): Promise<Awaited<R>> {
    this.catchUp();
    if (this.phase === 'open' || (this.phase === 'half-open' && this.trialBusy)) {
      return Promise.reject(new CircuitOpenError());
    }
    if (this.phase === 'half-open') this.trialBusy = true;
    const epoch = this.epoch;

    let result: R | PromiseLike<R>;
    try {
      result = this.action(...args);
    } catch (error) {
      this.record(epoch, this.judge(error));
      return Promise.reject(error);
    }
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null) {
      this.record(epoch, 'harmless');
      return Promise.resolve(result as Awaited<R>);
    }

    const pending = result;
    return new Promise<Awaited<R>>((resolve, reject) => {
      let live = true;
      const disarm =
        this.callMs === false
          ? () => {}
          : onTimeout(this.callMs, () => {
              if (!live) return;
              live = false;
              this.record(epoch, 'counted');
              reject(new TimeoutError(`No answer within ${String(this.callMs)} ms`));
            });
      Promise.resolve(pending).then(
        (value) => {
          if (!live) return;
          live = false;
          disarm();
          this.record(epoch, 'harmless');
          resolve(value);
        },
        (error: unknown) => {
          if (!live) return;
          live = false;
          disarm();
          this.record(epoch, this.judge(error));
          reject(error);
        },
      );
    });
  }

  private judge(error: unknown): Verdict {
    try {
      return this.isCallersFault(error) ? 'harmless' : 'counted';
    } catch {
      return 'counted';
    }
  }

  private catchUp(): void {
    if (this.phase === 'open' && performance.now() - this.openedAt >= this.openMs) this.moveTo('half-open');
  }

  private record(epoch: Epoch, verdict: Verdict): void {
    if (epoch !== this.epoch) return;
    if (this.phase === 'half-open') {
      this.moveTo(verdict === 'counted' ? 'open' : 'closed');
    } else if (verdict === 'harmless') {
      this.streak = 0;
    } else if (++this.streak >= this.threshold) {
      this.moveTo('open');
    }
  }

  private moveTo(to: CircuitState): void {
    const from = this.phase;
    this.phase = to;
    this.epoch = {};
    this.streak = 0;
    this.trialBusy = false;
    if (to === 'open') this.openedAt = performance.now();
    try {
      this.listener?.(to, from);
    } catch {
      // The listener's failure is its own; the breaker has already moved.
    }
  }
}
