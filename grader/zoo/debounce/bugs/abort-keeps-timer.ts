/**
 * Aborting rejects the waiting callers but leaves the burst's timer running, so fn is still called
 *
 * The callers are told the work was aborted, and then the trailing call happens anyway: the abort does
 * not stop what it was meant to stop.
 * @breaks aborting rejects every waiting caller with signal.reason at once, clears the timer, and fn is never called
 * @breaks whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)
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
  if (!Number.isFinite(wait)) {
    throw new TypeError(`Expected wait to be a finite number of milliseconds, got ${String(wait)}`);
  }
  const delay = Math.max(0, wait);
  const before = Boolean(options.before);
  const signal = options.signal;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiting: Deferred<Awaited<R>> | undefined;
  let leading: Promise<Awaited<R>> | undefined;

  const invoke = (thisArg: This, args: A): Promise<Awaited<R>> =>
    new Promise<Awaited<R>>((resolve) => resolve(fn.apply(thisArg, args) as Awaited<R> | PromiseLike<Awaited<R>>));

  const onAbort = (): void => {
    const abandoned = waiting!;
    waiting = undefined;
    abandoned.reject(signal!.reason);
  };

  const stopListening = (): void => signal?.removeEventListener('abort', onAbort);

  return function debounced(this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const startsBurst = timer === undefined;
    clearTimeout(timer);

    if (before) {
      if (startsBurst) leading = invoke(this, args);
      timer = setTimeout(() => {
        timer = undefined;
        leading = undefined;
      }, delay);
      return leading!;
    }

    if (waiting === undefined) {
      waiting = deferred<Awaited<R>>();
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    const burst = waiting;
    const thisArg = this;
    timer = setTimeout(() => {
      timer = undefined;
      waiting = undefined;
      stopListening();
      burst.resolve(invoke(thisArg, args));
    }, delay);
    return burst.promise;
  };
}
