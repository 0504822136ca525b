/**
 * An event-driven debounce: the debounced function only dispatches events on a private EventTarget bus.
 *
 * A call dispatches a 'call' event and returns the answer its listener wrote onto the event (dispatch is
 * synchronous). Listeners own everything else: each burst is an object in a Map keyed by its number, with
 * a hand-built deferred that every caller of the burst shares (one promise object per burst); the burst's
 * timer dispatches 'fire', and the signal is relayed to the bus as 'abort'. With `before`, like p-debounce,
 * the later callers of a burst are answered when the burst goes quiet (or the leading call settles, if later).
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Deferred<V> {
  readonly promise: Promise<V>;
  readonly resolve: (value: V | PromiseLike<V>) => void;
  readonly reject: (reason: unknown) => void;
}

function defer<V>(): Deferred<V> {
  let resolve: Deferred<V>['resolve'] = () => {};
  let reject: Deferred<V>['reject'] = () => {};
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

class CallEvent<T, A> extends Event {
  answer: Promise<unknown> | undefined;
  constructor(
    readonly self: T,
    readonly args: A,
  ) {
    super('call');
  }
}

class FireEvent extends Event {
  constructor(readonly burst: number) {
    super('fire');
  }
}

interface Burst<T, A, V> {
  readonly id: number;
  self: T;
  args: A;
  /** Trailing: every caller. Leading: the callers after the first; created only once one exists. */
  shared: Deferred<V> | undefined;
  /** Leading only: the invocation made by the first call. */
  leading: Promise<V> | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (typeof wait !== 'number' || wait !== wait || wait === Infinity || wait === -Infinity) {
    throw new TypeError('debounceAsync: `wait` must be a finite number');
  }
  type V = Awaited<R>;
  const delay = wait < 0 ? 0 : wait;
  const leadingMode = Boolean(options?.before);
  const signal = options?.signal;

  const bus = new EventTarget();
  const bursts = new Map<number, Burst<This, A, V>>();
  let open: number | undefined;
  let counter = 0;

  const invoke = (self: This, args: A): Promise<V> => {
    try {
      return Promise.resolve(fn.apply(self, args)) as Promise<V>;
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const relayAbort = (): void => {
    bus.dispatchEvent(new Event('abort'));
  };

  bus.addEventListener('call', (event) => {
    const call = event as CallEvent<This, A>;
    if (signal?.aborted) {
      call.answer = Promise.reject(signal.reason);
      return;
    }
    let burst = open === undefined ? undefined : bursts.get(open);
    if (burst === undefined) {
      burst = { id: ++counter, self: call.self, args: call.args, shared: undefined, leading: undefined, timer: undefined };
      bursts.set(burst.id, burst);
      open = burst.id;
      if (leadingMode) {
        burst.leading = invoke(call.self, call.args);
        call.answer = burst.leading;
      } else {
        signal?.addEventListener('abort', relayAbort, { once: true });
      }
    }
    if (call.answer === undefined) {
      if (!leadingMode) {
        burst.self = call.self;
        burst.args = call.args;
      }
      burst.shared ??= defer<V>();
      call.answer = burst.shared.promise;
    }
    clearTimeout(burst.timer);
    const id = burst.id;
    burst.timer = setTimeout(() => bus.dispatchEvent(new FireEvent(id)), delay);
  });

  bus.addEventListener('fire', (event) => {
    const id = (event as FireEvent).burst;
    const burst = bursts.get(id);
    if (burst === undefined || open !== id) return;
    open = undefined;
    burst.timer = undefined;
    if (leadingMode) {
      bursts.delete(id);
      if (burst.leading !== undefined) burst.shared?.resolve(burst.leading);
      return;
    }
    signal?.removeEventListener('abort', relayAbort);
    const outcome = invoke(burst.self, burst.args);
    burst.shared?.resolve(outcome);
    const forget = (): void => {
      bursts.delete(id);
    };
    outcome.then(forget, forget);
  });

  bus.addEventListener('abort', () => {
    if (leadingMode || open === undefined) return;
    const burst = bursts.get(open);
    open = undefined;
    if (burst === undefined) return;
    clearTimeout(burst.timer);
    bursts.delete(burst.id);
    signal?.removeEventListener('abort', relayAbort);
    burst.shared?.reject(signal?.reason);
  });

  return function (this: This, ...args: A): Promise<V> {
    const call = new CallEvent<This, A>(this, args);
    bus.dispatchEvent(call);
    return call.answer as Promise<V>;
  };
}
