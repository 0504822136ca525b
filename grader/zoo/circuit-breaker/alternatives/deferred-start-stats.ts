/**
 * Starts the action a microtask after fire(), counts refused calls in public stats, half-open worked out lazily, timeouts from node:timers/promises
 *
 * Probes what the contract leaves open: the action does not run inside `fire` but after an `await`;
 * refused calls are counted (in `stats.refused`, and they do not touch anything else); the move to
 * half-open is worked out from `Date.now()` by a `#refresh()` that `state` and `fire` call. A call from
 * the closed state keeps the number of openings it saw; the trial is recognised by its own token. The
 * timeout is an awaited `setTimeout` from node:timers/promises, cancelled with an AbortController.
 */
import { setTimeout as delay } from 'node:timers/promises';

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  override readonly name: 'CircuitOpenError' = 'CircuitOpenError';
  readonly code: 'EOPENBREAKER' = 'EOPENBREAKER';
}

export class TimeoutError extends Error {
  override readonly name: 'TimeoutError' = 'TimeoutError';
  readonly code: 'ETIMEDOUT' = 'ETIMEDOUT';
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeout?: number;
  timeout?: number | false;
  errorFilter?: (error: unknown) => boolean;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

interface CallTicket {
  openings: number;
  trial: boolean;
}

const TIMED_OUT = Symbol('timed out');

export class CircuitBreaker<A extends unknown[], R> {
  readonly stats = { fired: 0, refused: 0, succeeded: 0, failed: 0, timedOut: 0 };

  readonly #options: Required<Omit<CircuitBreakerOptions, 'errorFilter' | 'onStateChange'>> &
    Pick<CircuitBreakerOptions, 'errorFilter' | 'onStateChange'>;
  readonly #action: (...args: A) => R | PromiseLike<R>;
  #state: CircuitState = 'closed';
  #openings = 0;
  #openedAt = Number.NaN;
  #failures = 0;
  #trial: CallTicket | undefined;

  constructor(action: (...args: A) => R | PromiseLike<R>, options: CircuitBreakerOptions = {}) {
    const merged = { failureThreshold: 5, resetTimeout: 30_000, timeout: false as number | false, ...stripUndefined(options) };
    const { failureThreshold, resetTimeout, timeout } = merged;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) throw new RangeError('failureThreshold');
    if (!Number.isFinite(resetTimeout) || resetTimeout < 0 || typeof resetTimeout !== 'number') throw new RangeError('resetTimeout');
    if (timeout !== false && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) throw new RangeError('timeout');
    this.#options = merged;
    this.#action = action;
  }

  get state(): CircuitState {
    this.#refresh();
    return this.#state;
  }

  #refresh(): void {
    if (this.#state === 'open' && Date.now() >= this.#openedAt + this.#options.resetTimeout) this.#set('half-open');
  }

  #set(next: CircuitState): void {
    const previous = this.#state;
    this.#state = next;
    if (next === 'open') {
      this.#openings += 1;
      this.#openedAt = Date.now();
    }
    if (next !== 'half-open') this.#trial = undefined;
    if (next === 'closed') this.#failures = 0;
    this.#options.onStateChange?.(next, previous);
  }

  #counts(ticket: CallTicket): boolean {
    if (ticket.trial) return this.#trial === ticket && this.#state === 'half-open';
    return ticket.openings === this.#openings && this.#state === 'closed';
  }

  #record(ticket: CallTicket, ok: boolean): void {
    if (!this.#counts(ticket)) return;
    if (ticket.trial) {
      this.#set(ok ? 'closed' : 'open');
    } else if (ok) {
      this.#failures = 0;
    } else if (++this.#failures >= this.#options.failureThreshold) {
      this.#set('open');
    }
  }

  async fire(...args: A): Promise<Awaited<R>> {
    this.stats.fired++;
    this.#refresh();
    if (this.#state === 'open' || (this.#state === 'half-open' && this.#trial)) {
      this.stats.refused++;
      throw new CircuitOpenError(`circuit ${this.#state}`);
    }
    const ticket: CallTicket = { openings: this.#openings, trial: this.#state === 'half-open' };
    if (ticket.trial) this.#trial = ticket;

    await undefined; // the action starts a microtask later
    const work = (async (): Promise<Awaited<R>> => (await this.#action(...args)) as Awaited<R>)();
    const { timeout } = this.#options;
    let outcome: Awaited<R> | typeof TIMED_OUT;
    if (timeout === false) {
      outcome = await this.#watch(work, ticket);
    } else {
      const cancel = new AbortController();
      // Aborted only once the race is decided: the rejection then has nobody to tell.
      const timer = delay(timeout, TIMED_OUT, { signal: cancel.signal }).catch(() => new Promise<never>(() => {}));
      const watched = this.#watch(work, ticket);
      try {
        outcome = await Promise.race([watched, timer]);
      } finally {
        cancel.abort();
      }
      watched.catch(() => {}); // a late failure is nobody's business now
    }
    if (outcome === TIMED_OUT) {
      this.stats.timedOut++;
      this.#record(ticket, false);
      ticket.openings = -1; // consumed: the late outcome must not count
      ticket.trial = false;
      throw new TimeoutError(`no result within ${String(timeout)} ms`);
    }
    return outcome;
  }

  /** Records the action's own outcome unless the call timed out first. */
  async #watch(work: Promise<Awaited<R>>, ticket: CallTicket): Promise<Awaited<R>> {
    try {
      const value = await work;
      this.stats.succeeded++;
      this.#record(ticket, true);
      return value;
    } catch (error) {
      this.stats.failed++;
      this.#record(ticket, this.#options.errorFilter?.(error) === true);
      throw error;
    }
  }
}

function stripUndefined(options: CircuitBreakerOptions): Partial<CircuitBreakerOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
