/**
 * node:timers/promises sleeps, one AbortController per call, and a Map of bursts by number
 *
 * Every call aborts the previous call's sleep and starts its own `setTimeout(wait, …, { signal })` from
 * `node:timers/promises`; the sleep that completes belongs to the last call of the burst. Bursts are
 * numbered and their callers kept in a Map; the user's signal aborts the current sleep and rejects
 * the current burst. Leading mode needs no timer at all: it compares `Date.now()` with the time of the last call.
 *
 * Fixed in round 2: leading mode stored the burst (its promise and the time of the call) only after
 * fn returned, so a call fn made to the debounced function from inside itself started a second
 * invocation in the same burst; the burst is now recorded before fn is called.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

type Settle = [resolve: (value: any) => void, reject: (reason: unknown) => void];

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options: DebounceOptions = {},
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (!(typeof wait === 'number' && isFinite(wait))) throw new TypeError(`bad wait: ${String(wait)}`);
  const ms = wait > 0 ? wait : 0;
  const { before = false, signal } = options;

  const bursts = new Map<number, Settle[]>();
  let burstNo = 0;
  let sleeper: AbortController | undefined;
  let lastCallAt = -Infinity;
  let leading: Promise<Awaited<R>> | undefined;

  const attempt = (self: This, args: A): Promise<Awaited<R>> => {
    try {
      return Promise.resolve(fn.apply(self, args)) as Promise<Awaited<R>>;
    } catch (error) {
      return Promise.reject(error);
    }
  };

  function onUserAbort(): void {
    sleeper?.abort();
    sleeper = undefined;
    const waiting = bursts.get(burstNo) ?? [];
    bursts.delete(burstNo);
    for (const [, reject] of waiting) reject(signal!.reason);
  }

  return function (this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);

    if (before) {
      const now = Date.now();
      const startsBurst = leading === undefined || now - lastCallAt >= ms;
      lastCallAt = now;
      if (startsBurst) {
        // Record the burst before calling fn: a call fn makes from inside itself joins it.
        let settle!: (outcome: Promise<Awaited<R>>) => void;
        leading = new Promise<Awaited<R>>((resolve) => {
          settle = resolve;
        });
        settle(attempt(this, args));
      }
      return leading!;
    }

    sleeper?.abort();
    const mine = new AbortController();
    sleeper = mine;
    let waiting = bursts.get(burstNo);
    if (!waiting) {
      waiting = [];
      bursts.set(burstNo, waiting);
      signal?.addEventListener('abort', onUserAbort, { once: true });
    }
    const self = this;
    const promise = new Promise<Awaited<R>>((resolve, reject) => waiting!.push([resolve, reject]));
    sleep(ms, undefined, { signal: mine.signal }).then(
      () => {
        if (sleeper !== mine) return;
        sleeper = undefined;
        const callers = bursts.get(burstNo)!;
        bursts.delete(burstNo);
        burstNo++;
        signal?.removeEventListener('abort', onUserAbort);
        attempt(self, args).then(
          (value) => callers.forEach(([resolve]) => resolve(value)),
          (error) => callers.forEach(([, reject]) => reject(error)),
        );
      },
      () => {
        // This sleep was cut short by a later call or by the user's abort.
      },
    );
    return promise;
  };
}
