/**
 * A closure-based core behind a thin class: `fire` is an async arrow made in the constructor, calls in flight are a Set
 *
 * Everything lives in closures created by `createCore`; the class only forwards `state` and `fire`.
 * Each running call registers a token in `inFlight`; every transition empties the set, so a call whose
 * token is gone started in an earlier period and its outcome is dropped. Half-open comes from a
 * `setTimeout` armed on opening (cleared on every transition). A timeout is a second promise that
 * the call races against, with a `decided` flag so whichever loses is ignored.
 *
 * Fixed after the red team's second round: the options were read with `??`, so `null` silently took the
 * default; the contract makes `null` invalid (not an integer >= 1, not a finite number, not false), and
 * the constructor now throws for it like for any other invalid value.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';
}
Object.defineProperty(CircuitOpenError.prototype, 'name', { value: 'CircuitOpenError' });
Object.defineProperty(CircuitOpenError.prototype, 'code', { value: 'EOPENBREAKER' });

export class TimeoutError extends Error {
  declare readonly name: 'TimeoutError';
  declare readonly code: 'ETIMEDOUT';
}
Object.defineProperty(TimeoutError.prototype, 'name', { value: 'TimeoutError' });
Object.defineProperty(TimeoutError.prototype, 'code', { value: 'ETIMEDOUT' });

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeout?: number;
  timeout?: number | false;
  errorFilter?: (error: unknown) => boolean;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

type Verdict = 'healthy' | 'unhealthy';

function createCore<A extends unknown[], R>(action: (...args: A) => R | PromiseLike<R>, options: Readonly<CircuitBreakerOptions>) {
  // Only a missing option (undefined) takes the default: null is an invalid value, not a missing one.
  const threshold = options.failureThreshold === undefined ? 5 : options.failureThreshold;
  const reset = options.resetTimeout === undefined ? 30_000 : options.resetTimeout;
  const limit = options.timeout === undefined ? false : options.timeout;
  const filter = options.errorFilter;
  const notify = options.onStateChange;
  if (typeof threshold !== 'number' || threshold % 1 !== 0 || threshold < 1 || !Number.isFinite(threshold)) {
    throw new TypeError('failureThreshold: an integer >= 1');
  }
  if (typeof reset !== 'number' || Number.isNaN(reset) || reset < 0 || reset === Infinity) {
    throw new TypeError('resetTimeout: a finite number >= 0');
  }
  if (limit !== false && (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0)) {
    throw new TypeError('timeout: false or a positive finite number');
  }

  let state: CircuitState = 'closed';
  let streak = 0;
  let trialOut = false;
  let halfOpenTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = new Set<symbol>();

  const change = (to: CircuitState): void => {
    const from = state;
    state = to;
    inFlight = new Set();
    trialOut = false;
    clearTimeout(halfOpenTimer);
    halfOpenTimer = undefined;
    if (to === 'open') halfOpenTimer = setTimeout(() => change('half-open'), reset);
    if (to === 'closed') streak = 0;
    notify?.(to, from);
  };

  const judge = (token: symbol, verdict: Verdict): void => {
    if (!inFlight.delete(token)) return;
    if (state === 'half-open') return change(verdict === 'healthy' ? 'closed' : 'open');
    if (verdict === 'healthy') streak = 0;
    else if (++streak >= threshold) change('open');
  };

  const withTimeout = (work: Promise<Awaited<R>>, token: symbol): Promise<Awaited<R>> => {
    if (limit === false) return work;
    let decided = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (decided) return;
        decided = true;
        judge(token, 'unhealthy');
        reject(new TimeoutError(`exceeded ${limit} ms`));
      }, limit);
    });
    const guarded = work.then(
      (value) => {
        decided = true;
        clearTimeout(timer);
        return value;
      },
      (error: unknown) => {
        decided = true;
        clearTimeout(timer);
        throw error;
      },
    );
    return Promise.race([guarded, deadline]);
  };

  const fire = async (...args: A): Promise<Awaited<R>> => {
    if (state === 'open') throw new CircuitOpenError('open');
    if (state === 'half-open') {
      if (trialOut) throw new CircuitOpenError('half-open: a trial is running');
      trialOut = true;
    }
    const token = Symbol('call');
    inFlight.add(token);
    let timedOut = true;
    try {
      const value = await withTimeout(
        (async (): Promise<Awaited<R>> => {
          const result = (await action(...args)) as Awaited<R>;
          timedOut = false;
          return result;
        })().catch((error: unknown) => {
          timedOut = false;
          throw error;
        }),
        token,
      );
      judge(token, 'healthy');
      return value;
    } catch (error) {
      if (!timedOut) judge(token, filter?.(error) ? 'healthy' : 'unhealthy');
      throw error;
    }
  };

  return { fire, state: () => state };
}

export class CircuitBreaker<A extends unknown[], R> {
  readonly fire: (...args: A) => Promise<Awaited<R>>;
  readonly #readState: () => CircuitState;

  constructor(action: (...args: A) => R | PromiseLike<R>, options?: CircuitBreakerOptions) {
    const core = createCore(action, { ...options });
    this.fire = core.fire;
    this.#readState = core.state;
  }

  get state(): CircuitState {
    return this.#readState();
  }
}
