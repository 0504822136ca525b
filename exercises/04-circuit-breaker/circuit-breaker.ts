/**
 * Exercise 04 — circuit-breaker: closed, open, half-open.
 *
 * Read lessons/04-circuit-breaker.md first. Replace each `throw` below with
 * your code, run the practice tests (`npx vitest exercises/04-circuit-breaker`),
 * then grade your work with `npm run grade -- circuit-breaker`.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Rejection for calls refused while the circuit is open or a half-open trial is running. */
export class CircuitOpenError extends Error {
  // Give these their values: name 'CircuitOpenError', code 'EOPENBREAKER'.
  declare readonly name: 'CircuitOpenError';
  declare readonly code: 'EOPENBREAKER';

  constructor(message?: string) {
    super(message);
    throw new Error('Not implemented yet: CircuitOpenError');
  }
}

/** Rejection for a call that outlived `timeout`. */
export class TimeoutError extends Error {
  // Give these their values: name 'TimeoutError', code 'ETIMEDOUT'.
  declare readonly name: 'TimeoutError';
  declare readonly code: 'ETIMEDOUT';

  constructor(message?: string) {
    super(message);
    throw new Error('Not implemented yet: TimeoutError');
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

export class CircuitBreaker<A extends unknown[], R> {
  constructor(action: (...args: A) => R | PromiseLike<R>, options?: CircuitBreakerOptions) {
    throw new Error('Not implemented yet: CircuitBreaker');
  }

  get state(): CircuitState {
    throw new Error('Not implemented yet: state');
  }

  fire(...args: A): Promise<Awaited<R>> {
    throw new Error('Not implemented yet: fire');
  }
}
