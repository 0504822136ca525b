/**
 * With before: true, the burst is recorded only after fn returns: a call from inside fn calls it again
 *
 * The reference solution before it was fixed: the leading invocation starts before the burst's timer
 * and promise are stored, so a call that fn makes to the debounced function synchronously (re-entrant)
 * finds no burst running and starts a second invocation in the same burst.
 * @breaks a call made from inside the leading fn belongs to its burst: fn is not called again for it
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason: unknown) => void;
}

/** `Promise.withResolvers()` (Node 22+), written out for Node 20. */
function deferred<T>(): Deferred<T> {
  let resolve!: Deferred<T>['resolve'];
  let reject!: Deferred<T>['reject'];
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options: DebounceOptions = {},
): (this: This, ...args: A) => Promise<Awaited<R>> {
  // Number.isFinite is false for NaN, ±Infinity and anything that is not a number (no coercion).
  if (!Number.isFinite(wait)) {
    throw new TypeError(`Expected wait to be a finite number of milliseconds, got ${String(wait)}`);
  }
  const delay = Math.max(0, wait);
  // Read the options once: the caller's object is never written to, and
  // changing it later does not change this debounced function.
  const before = Boolean(options.before);
  const signal = options.signal;

  let timer: ReturnType<typeof setTimeout> | undefined;
  // Trailing mode: the callers waiting for an invocation that has not started yet.
  let waiting: Deferred<Awaited<R>> | undefined;
  // Leading mode: the outcome of the current burst's invocation.
  let leading: Promise<Awaited<R>> | undefined;

  // One place that calls `fn`: a synchronous throw becomes a rejected promise,
  // and a returned promise or thenable is adopted.
  const invoke = (thisArg: This, args: A): Promise<Awaited<R>> =>
    new Promise<Awaited<R>>((resolve) => resolve(fn.apply(thisArg, args) as Awaited<R> | PromiseLike<Awaited<R>>));

  const onAbort = (): void => {
    clearTimeout(timer);
    timer = undefined;
    // The listener is registered only while a burst waits, so there is one here.
    const abandoned = waiting!;
    waiting = undefined;
    // Their invocation never started: they get the signal's reason, the same object.
    abandoned.reject(signal!.reason);
  };

  const stopListening = (): void => signal?.removeEventListener('abort', onAbort);

  return function debounced(this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // No timer running means the quiet period is over: this call starts a new burst.
    const startsBurst = timer === undefined;
    clearTimeout(timer);

    if (before) {
      // fn starts with the first call, so nobody ever waits for an invocation that
      // has not started: no abort listener is needed, and the check above refuses
      // calls made after an abort.
      if (startsBurst) leading = invoke(this, args);
      // Every call pushes the end of the burst back by `wait` ms; there is no trailing call.
      timer = setTimeout(() => {
        timer = undefined;
        leading = undefined;
      }, delay);
      return leading!;
    }

    if (waiting === undefined) {
      waiting = deferred<Awaited<R>>();
      // One listener per waiting burst: `once` removes it if the signal aborts,
      // and the timer below removes it when fn is invoked.
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    const burst = waiting;
    // The closure keeps THIS call's `this` and arguments; the timer of an
    // earlier call is cleared above, so only the last call's closure runs.
    const thisArg = this;
    timer = setTimeout(() => {
      timer = undefined;
      // Hand the burst over before calling fn: a call made from now on starts a
      // new burst, and an abort can no longer reject these callers.
      waiting = undefined;
      stopListening();
      burst.resolve(invoke(thisArg, args));
    }, delay);
    return burst.promise;
  };
}
