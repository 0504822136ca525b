/**
 * An explicit state machine: a pure reducer over (state, event) and a class with #private fields.
 *
 * `reduce` maps a state and one event (call, timer, abort, settled) to the next state plus effects (arm,
 * disarm, listen, unlisten, invoke, settle) that only the class performs. Phases: idle / waiting (trailing
 * burst collecting calls) / cooling (leading call made, burst open) / aborted; started invocations live
 * beside the phase as "flights" owning their callers until `settled`. Timers come from `node:timers`.
 * With `before`, later callers share the leading outcome (a rejection too) and no abort listener is needed.
 */
import { clearTimeout, setTimeout } from 'node:timers';

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

type Outcome<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: unknown };

interface Waiter<V> {
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

interface Flight<V> {
  readonly waiters: readonly Waiter<V>[];
}

type Phase<T, A, V> =
  | { readonly tag: 'idle' }
  | { readonly tag: 'waiting'; readonly self: T; readonly args: A; readonly waiters: readonly Waiter<V>[] }
  | { readonly tag: 'cooling'; readonly flight: number; readonly outcome: Outcome<V> | null }
  | { readonly tag: 'aborted'; readonly reason: unknown };

interface State<T, A, V> {
  readonly leading: boolean;
  readonly phase: Phase<T, A, V>;
  readonly flights: ReadonlyMap<number, Flight<V>>;
  readonly nextFlight: number;
}

type Event<T, A, V> =
  | { readonly type: 'call'; readonly self: T; readonly args: A; readonly waiter: Waiter<V> }
  | { readonly type: 'timer' }
  | { readonly type: 'abort'; readonly reason: unknown }
  | { readonly type: 'settled'; readonly flight: number; readonly outcome: Outcome<V> };

type Effect<T, A, V> =
  | { readonly type: 'arm' }
  | { readonly type: 'disarm' }
  | { readonly type: 'listen' }
  | { readonly type: 'unlisten' }
  | { readonly type: 'invoke'; readonly flight: number; readonly self: T; readonly args: A }
  | { readonly type: 'settle'; readonly waiters: readonly Waiter<V>[]; readonly outcome: Outcome<V> };

interface Step<T, A, V> {
  readonly state: State<T, A, V>;
  readonly effects: readonly Effect<T, A, V>[];
}

function withFlight<V>(
  flights: ReadonlyMap<number, Flight<V>>,
  id: number,
  flight: Flight<V> | undefined,
): ReadonlyMap<number, Flight<V>> {
  const next = new Map(flights);
  if (flight === undefined) next.delete(id);
  else next.set(id, flight);
  return next;
}

function onCall<T, A, V>(state: State<T, A, V>, self: T, args: A, waiter: Waiter<V>): Step<T, A, V> {
  const { phase } = state;
  switch (phase.tag) {
    case 'aborted':
      return { state, effects: [{ type: 'settle', waiters: [waiter], outcome: { ok: false, error: phase.reason } }] };
    case 'waiting':
      return {
        state: { ...state, phase: { tag: 'waiting', self, args, waiters: [...phase.waiters, waiter] } },
        effects: [{ type: 'arm' }],
      };
    case 'cooling': {
      if (phase.outcome !== null) {
        return { state, effects: [{ type: 'arm' }, { type: 'settle', waiters: [waiter], outcome: phase.outcome }] };
      }
      const waiters = [...(state.flights.get(phase.flight)?.waiters ?? []), waiter];
      return { state: { ...state, flights: withFlight(state.flights, phase.flight, { waiters }) }, effects: [{ type: 'arm' }] };
    }
    case 'idle': {
      if (!state.leading) {
        return {
          state: { ...state, phase: { tag: 'waiting', self, args, waiters: [waiter] } },
          effects: [{ type: 'listen' }, { type: 'arm' }],
        };
      }
      const id = state.nextFlight;
      return {
        state: {
          ...state,
          phase: { tag: 'cooling', flight: id, outcome: null },
          flights: withFlight(state.flights, id, { waiters: [waiter] }),
          nextFlight: id + 1,
        },
        effects: [{ type: 'arm' }, { type: 'invoke', flight: id, self, args }],
      };
    }
  }
}

function onTimer<T, A, V>(state: State<T, A, V>): Step<T, A, V> {
  const { phase } = state;
  if (phase.tag === 'cooling') return { state: { ...state, phase: { tag: 'idle' } }, effects: [] };
  if (phase.tag !== 'waiting') return { state, effects: [] };
  const id = state.nextFlight;
  return {
    state: {
      ...state,
      phase: { tag: 'idle' },
      flights: withFlight(state.flights, id, { waiters: phase.waiters }),
      nextFlight: id + 1,
    },
    effects: [{ type: 'unlisten' }, { type: 'invoke', flight: id, self: phase.self, args: phase.args }],
  };
}

function onAbort<T, A, V>(state: State<T, A, V>, reason: unknown): Step<T, A, V> {
  const { phase } = state;
  const aborted: State<T, A, V> = { ...state, phase: { tag: 'aborted', reason } };
  switch (phase.tag) {
    case 'aborted':
      return { state, effects: [] };
    case 'idle':
      return { state: aborted, effects: [] };
    case 'cooling':
      return { state: aborted, effects: [{ type: 'disarm' }] };
    case 'waiting':
      return {
        state: aborted,
        effects: [
          { type: 'disarm' },
          { type: 'unlisten' },
          { type: 'settle', waiters: phase.waiters, outcome: { ok: false, error: reason } },
        ],
      };
  }
}

function onSettled<T, A, V>(state: State<T, A, V>, id: number, outcome: Outcome<V>): Step<T, A, V> {
  const flight = state.flights.get(id);
  if (flight === undefined) return { state, effects: [] };
  const { phase } = state;
  const next: Phase<T, A, V> = phase.tag === 'cooling' && phase.flight === id ? { ...phase, outcome } : phase;
  return {
    state: { ...state, phase: next, flights: withFlight(state.flights, id, undefined) },
    effects: [{ type: 'settle', waiters: flight.waiters, outcome }],
  };
}

/** The pure transition function: no timers, no promises, no signal; only data in, data out. */
function reduce<T, A, V>(state: State<T, A, V>, event: Event<T, A, V>): Step<T, A, V> {
  switch (event.type) {
    case 'call':
      return onCall(state, event.self, event.args, event.waiter);
    case 'timer':
      return onTimer(state);
    case 'abort':
      return onAbort(state, event.reason);
    case 'settled':
      return onSettled(state, event.flight, event.outcome);
  }
}

class DebounceMachine<T, A extends unknown[], R> {
  #state: State<T, A, Awaited<R>>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #fn: (this: T, ...args: A) => R | PromiseLike<R>;
  readonly #wait: number;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.#dispatch({ type: 'abort', reason: this.#signal?.reason });
  };

  constructor(fn: (this: T, ...args: A) => R | PromiseLike<R>, wait: number, leading: boolean, signal?: AbortSignal) {
    this.#fn = fn;
    this.#wait = wait;
    this.#signal = signal;
    this.#state = { leading, phase: { tag: 'idle' }, flights: new Map(), nextFlight: 0 };
  }

  call(self: T, args: A): Promise<Awaited<R>> {
    const signal = this.#signal;
    if (signal?.aborted && this.#state.phase.tag !== 'aborted') {
      this.#dispatch({ type: 'abort', reason: signal.reason });
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.#dispatch({ type: 'call', self, args, waiter: { resolve, reject } });
    });
  }

  #dispatch(event: Event<T, A, Awaited<R>>): void {
    const { state, effects } = reduce(this.#state, event);
    this.#state = state;
    for (const effect of effects) this.#perform(effect);
  }

  #perform(effect: Effect<T, A, Awaited<R>>): void {
    switch (effect.type) {
      case 'arm':
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#dispatch({ type: 'timer' });
        }, this.#wait);
        return;
      case 'disarm':
        clearTimeout(this.#timer);
        this.#timer = undefined;
        return;
      case 'listen':
        this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
        return;
      case 'unlisten':
        this.#signal?.removeEventListener('abort', this.#onAbort);
        return;
      case 'invoke': {
        const { flight, self, args } = effect;
        const fn = this.#fn;
        new Promise<Awaited<R>>((resolve) => resolve(fn.apply(self, args) as Awaited<R> | PromiseLike<Awaited<R>>)).then(
          (value) => this.#dispatch({ type: 'settled', flight, outcome: { ok: true, value } }),
          (error: unknown) => this.#dispatch({ type: 'settled', flight, outcome: { ok: false, error } }),
        );
        return;
      }
      case 'settle': {
        const { outcome } = effect;
        for (const waiter of effect.waiters) {
          if (outcome.ok) waiter.resolve(outcome.value);
          else waiter.reject(outcome.error);
        }
        return;
      }
    }
  }
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (!Number.isFinite(wait)) {
    throw new TypeError(`debounceAsync: wait must be a finite number, got ${typeof wait === 'number' ? wait : typeof wait}`);
  }
  const machine = new DebounceMachine<This, A, R>(fn, Math.max(0, wait), options?.before === true, options?.signal);
  return function (this: This, ...args: A): Promise<Awaited<R>> {
    return machine.call(this, args);
  };
}
