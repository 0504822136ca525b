/**
 * The debounced function is an arrow function calling fn(...args), so fn never sees the caller's `this`
 *
 * An arrow function has no `this` of its own and fn(...args) calls fn with `this` undefined: a debounced
 * method (obj.save = debounceAsync(save, 100)) loses its object.
 * @breaks calls fn with the arguments and `this` of the last call of the burst
 * @breaks calls fn at once on the first call of a burst, with that call's arguments and `this`
 * @breaks whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)
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
    new Promise<Awaited<R>>((resolve) => resolve((fn as (...args: A) => R | PromiseLike<R>)(...args) as Awaited<R> | PromiseLike<Awaited<R>>));

  const onAbort = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const abandoned = waiting!;
    waiting = undefined;
    abandoned.reject(signal!.reason);
  };

  const stopListening = (): void => signal?.removeEventListener('abort', onAbort);

  return ((...args: A): Promise<Awaited<R>> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const startsBurst = timer === undefined;
    clearTimeout(timer);

    if (before) {
      if (startsBurst) leading = invoke(undefined as This, args);
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
    const thisArg = undefined as This;
    timer = setTimeout(() => {
      timer = undefined;
      waiting = undefined;
      stopListening();
      burst.resolve(invoke(thisArg, args));
    }, delay);
    return burst.promise;
  }) as (this: This, ...args: A) => Promise<Awaited<R>>;
}
