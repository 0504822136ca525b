/**
 * The state pattern: one object per state, half-open by an awaited `node:timers/promises` sleep, timeouts from `node:timers`
 *
 * `Closed`, `Open` and `HalfOpen` each decide what `fire` does and what an outcome means; the breaker
 * holds the current one. A call remembers the state object it started in and reports its outcome to
 * it; a state object that is no longer current ignores every report. Opening starts an async sleep
 * (`await setTimeout(ms, undefined, { signal })` from node:timers/promises) that an AbortController
 * cancels if the state is left another way. Timeouts use `setTimeout`/`clearTimeout` from node:timers.
 */
import { clearTimeout as clearTimer, setTimeout as startTimer } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitOpenError extends Error {
  override get name(): 'CircuitOpenError' {
    return 'CircuitOpenError';
  }
  get code(): 'EOPENBREAKER' {
    return 'EOPENBREAKER';
  }
}

export class TimeoutError extends Error {
  override get name(): 'TimeoutError' {
    return 'TimeoutError';
  }
  get code(): 'ETIMEDOUT' {
    return 'ETIMEDOUT';
  }
}

export interface CircuitBreakerOptions {
  failureThreshold?: number;
  resetTimeout?: number;
  timeout?: number | false;
  errorFilter?: (error: unknown) => boolean;
  onStateChange?: (to: CircuitState, from: CircuitState) => void;
}

interface Settings {
  failureThreshold: number;
  resetTimeout: number;
  timeout: number | false;
  errorFilter: (error: unknown) => boolean;
  onStateChange: (to: CircuitState, from: CircuitState) => void;
}

interface Machine {
  readonly settings: Settings;
  current: StateObject;
  go(next: StateObject): void;
}

abstract class StateObject {
  abstract readonly name: CircuitState;
  constructor(protected readonly machine: Machine) {}
  get current(): boolean {
    return this.machine.current === this;
  }
  /** May this call run? */
  abstract admit(): boolean;
  abstract outcome(healthy: boolean): void;
  leave(): void {}
}

class Closed extends StateObject {
  readonly name = 'closed' as const;
  private inARow = 0;
  admit(): boolean {
    return true;
  }
  outcome(healthy: boolean): void {
    if (!this.current) return;
    if (healthy) {
      this.inARow = 0;
    } else {
      this.inARow += 1;
      if (this.inARow >= this.machine.settings.failureThreshold) this.machine.go(new Open(this.machine));
    }
  }
}

class Open extends StateObject {
  readonly name = 'open' as const;
  private readonly controller = new AbortController();
  constructor(machine: Machine) {
    super(machine);
    void this.wait();
  }
  private async wait(): Promise<void> {
    try {
      await sleep(this.machine.settings.resetTimeout, undefined, { signal: this.controller.signal });
    } catch {
      return; // left some other way
    }
    if (this.current) this.machine.go(new HalfOpen(this.machine));
  }
  admit(): boolean {
    return false;
  }
  outcome(): void {}
  override leave(): void {
    this.controller.abort();
  }
}

class HalfOpen extends StateObject {
  readonly name = 'half-open' as const;
  private trialTaken = false;
  admit(): boolean {
    if (this.trialTaken) return false;
    this.trialTaken = true;
    return true;
  }
  outcome(healthy: boolean): void {
    if (!this.current) return;
    this.machine.go(healthy ? new Closed(this.machine) : new Open(this.machine));
  }
}

function positiveOr(value: unknown, fallback: number | false, check: (n: number) => boolean, what: string): number | false {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !check(value)) throw new TypeError(`invalid ${what}: ${String(value)}`);
  return value;
}

export class CircuitBreaker<A extends unknown[], R> {
  private readonly machine: Machine;
  private readonly action: (...args: A) => R | PromiseLike<R>;

  constructor(action: (...args: A) => R | PromiseLike<R>, options: CircuitBreakerOptions = {}) {
    const timeout = options.timeout === false ? false : positiveOr(options.timeout, false, (n) => n > 0 && n < Infinity, 'timeout');
    const settings: Settings = {
      failureThreshold: positiveOr(options.failureThreshold, 5, (n) => Number.isInteger(n) && n >= 1, 'failureThreshold') as number,
      resetTimeout: positiveOr(options.resetTimeout, 30_000, (n) => Number.isFinite(n) && n >= 0, 'resetTimeout') as number,
      timeout,
      errorFilter: options.errorFilter ?? (() => false),
      onStateChange: options.onStateChange ?? (() => {}),
    };
    this.action = action;
    const machine: Machine = {
      settings,
      current: undefined as unknown as StateObject,
      go(next) {
        const previous = machine.current;
        previous.leave();
        machine.current = next;
        settings.onStateChange(next.name, previous.name);
      },
    };
    machine.current = new Closed(machine);
    this.machine = machine;
  }

  get state(): CircuitState {
    return this.machine.current.name;
  }

  async fire(...args: A): Promise<Awaited<R>> {
    const state = this.machine.current;
    if (!state.admit()) throw new CircuitOpenError('refused: the circuit is not closed');
    const { timeout, errorFilter } = this.machine.settings;

    let timer: ReturnType<typeof startTimer> | undefined;
    let timedOut = false;
    const expired = new Promise<never>((_, reject) => {
      if (timeout === false) return;
      timer = startTimer(() => {
        timedOut = true;
        state.outcome(false);
        reject(new TimeoutError(`no answer within ${timeout} ms`));
      }, timeout);
    });
    const running = (async () => this.action(...args))();
    try {
      const value = await Promise.race([running, expired]);
      if (!timedOut) state.outcome(true);
      return value as Awaited<R>;
    } catch (error) {
      if (!timedOut) state.outcome(errorFilter(error) === true);
      throw error;
    } finally {
      clearTimer(timer);
    }
  }
}
