/**
 * before: true, a plain call (no `this`) calls fn with globalThis instead of undefined
 *
 * Red team 3 variant `b-this-arrow-keep`.
 * @breaks calls fn at once on the first call of a burst, with that call's arguments and `this`
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (typeof wait !== 'number' || !Number.isFinite(wait)) {
    throw new TypeError(`wait must be a finite number, got ${String(wait)}`);
  }
  const delay = Math.max(0, wait);
  const before = Boolean(options?.before);
  const signal = options?.signal;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Waiter<Awaited<R>>[] = [];
  let lastArgs: A | undefined;
  let lastThis: This | undefined;
  let leading: Promise<Awaited<R>> | undefined;
  let listening = false;

  const onAbort = (): void => {
    listening = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    leading = undefined;
    const waiting = pending;
    pending = [];
    lastArgs = undefined;
    lastThis = undefined;
    for (const w of waiting) w.reject(signal!.reason);
  };
  const listen = (): void => {
    if (signal && !listening) {
      signal.addEventListener('abort', onAbort, { once: true });
      listening = true;
    }
  };
  const unlisten = (): void => {
    if (signal && listening) {
      signal.removeEventListener('abort', onAbort);
      listening = false;
    }
  };
  const invoke = (thisArg: This, args: A): Promise<Awaited<R>> =>
    new Promise<Awaited<R>>((resolve) => resolve(fn.apply(thisArg, args) as Awaited<R>));

  return function (this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (before) {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        leading = undefined;
        unlisten();
      }, delay);
      if (!leading) {
        listen();
        // Claim the burst before fn runs, so a re-entrant call from inside fn joins it.
        let settle!: (p: Promise<Awaited<R>>) => void;
        leading = new Promise<Awaited<R>>((resolve) => { settle = resolve; });
        settle(invoke((this ?? (globalThis as unknown)) as This, args));
      }
      return leading;
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      pending.push({ resolve, reject });
      lastArgs = args;
      lastThis = this;
      if (timer !== undefined) clearTimeout(timer);
      listen();
      timer = setTimeout(() => {
        timer = undefined;
        const batch = pending;
        pending = [];
        unlisten();
        const thisArg = lastThis as This;
        const callArgs = lastArgs as A;
        lastArgs = undefined;
        lastThis = undefined;
        invoke(thisArg, callArgs).then(
          (v) => { for (const w of batch) w.resolve(v); },
          (e) => { for (const w of batch) w.reject(e); },
        );
      }, delay);
    });
  };
}
