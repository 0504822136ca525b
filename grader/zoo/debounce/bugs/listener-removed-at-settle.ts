/**
 * Trailing mode removes the abort listener when fn's invocation settles, not when it starts
 *
 * Red-team variant (listener-removed-at-settle): while fn runs nothing waits, yet the listener stays on
 * the signal until fn settles, forever if it never does. The abort handler always removes it, so it is
 * gone right after an abort, and a fn that settles at once hides it after every burst.
 * (Its leading mode also stores the burst's promise only after fn returns, so a re-entrant call calls fn again.)
 * @breaks removes its abort listener when fn is invoked, not when fn settles: a fn that never settles leaves no listener
 * @breaks a call made from inside the leading fn belongs to its burst: fn is not called again for it
 */

export interface DebounceOptions {
  before?: boolean;
  signal?: AbortSignal;
}

interface Waiter<R> { resolve: (v: R) => void; reject: (e: unknown) => void }

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (typeof wait !== 'number' || !Number.isFinite(wait)) throw new TypeError('wait must be a finite number');
  const ms = Math.max(0, wait);
  const before = options?.before ?? false;
  const signal = options?.signal;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: Waiter<Awaited<R>>[] = [];
  let lastThis: This;
  let lastArgs: A;
  // leading mode: the promise of the current burst's invocation
  let leading: Promise<Awaited<R>> | undefined;
  let listening = false;

  const onAbort = () => {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    const ws = waiters; waiters = [];
    leading = undefined;
    for (const w of ws) w.reject(signal!.reason);
    detach();
  };
  const attach = () => { if (signal && !listening) { signal.addEventListener('abort', onAbort); listening = true; } };
  const detach = () => { if (signal && listening) { signal.removeEventListener('abort', onAbort); listening = false; } };

  const invoke = (self: This, args: A): Promise<Awaited<R>> => {
    try {
      return Promise.resolve(fn.apply(self, args)) as Promise<Awaited<R>>;
    } catch (e) {
      return Promise.reject(e);
    }
  };

  return function (this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (before) {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => { timer = undefined; leading = undefined; }, ms);
      if (leading === undefined) {
        leading = invoke(this, args);
        leading.catch(() => {});
      }
      return leading;
    }
    lastThis = this; lastArgs = args;
    if (timer !== undefined) clearTimeout(timer);
    attach();
    const p = new Promise<Awaited<R>>((resolve, reject) => { waiters.push({ resolve, reject }); });
    timer = setTimeout(() => {
      timer = undefined;
      const ws = waiters; waiters = [];
      const ip = invoke(lastThis, lastArgs); ip.then(() => { if (waiters.length === 0) detach(); }, () => { if (waiters.length === 0) detach(); });
      ip.then(
        (v) => { for (const w of ws) w.resolve(v); },
        (e) => { for (const w of ws) w.reject(e); },
      );
    }, ms);
    return p;
  };
}
