/**
 * lodash-style: one node:timers timer per burst that re-arms itself from Date.now(), and an async settle loop
 *
 * Calls only record the time, `this` and arguments; the single timer, started by the first call of
 * a burst, checks on firing how long ago the last call was and re-arms for the rest. Callers wait on
 * one shared promise per burst, built with an async function that awaits a "go" signal. The abort
 * listener is registered per burst through an AbortController's signal option.
 *
 * Fixed in round 2: leading mode stored the burst's promise only after fn returned (`leading ??= ...`),
 * so a call fn made to the debounced function from inside itself started a second invocation in the
 * same burst; the promise is now stored before fn is called.
 */
import { clearTimeout, setTimeout } from 'node:timers';

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Burst<This, A> {
  promise: Promise<unknown>;
  go: (call: { self: This; args: A }) => void;
  cancel: (reason: unknown) => void;
  detach: AbortController;
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (!Number.isFinite(wait)) throw new TypeError('Expected a finite wait');
  const quiet = Math.max(wait, 0);
  const before = !!options?.before;
  const signal = options?.signal;

  let lastCallAt = 0;
  let last: { self: This; args: A } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let burst: Burst<This, A> | undefined;
  let leading: Promise<Awaited<R>> | undefined;

  const newBurst = (): Burst<This, A> => {
    let go!: Burst<This, A>['go'];
    let cancel!: Burst<This, A>['cancel'];
    const started = new Promise<{ self: This; args: A }>((resolve, reject) => {
      go = resolve;
      cancel = reject;
    });
    const promise = (async (): Promise<unknown> => {
      const { self, args } = await started;
      return await fn.apply(self, args);
    })();
    const detach = new AbortController();
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        timer = undefined;
        burst = undefined;
        last = undefined;
        cancel(signal.reason);
      },
      { once: true, signal: detach.signal },
    );
    return { promise, go, cancel, detach };
  };

  const tick = (): void => {
    const remaining = lastCallAt + quiet - Date.now();
    if (remaining > 0) {
      timer = setTimeout(tick, remaining);
      return;
    }
    timer = undefined;
    if (before) {
      leading = undefined;
      return;
    }
    const current = burst!;
    burst = undefined;
    current.detach.abort();
    const call = last!;
    last = undefined;
    current.go(call);
  };

  return function (this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    lastCallAt = Date.now();
    if (timer === undefined) timer = setTimeout(tick, quiet);
    if (before) {
      if (leading === undefined) {
        // Record the burst before calling fn: a call fn makes from inside itself joins it.
        let settle!: (outcome: Promise<Awaited<R>>) => void;
        leading = new Promise<Awaited<R>>((resolve) => {
          settle = resolve;
        });
        settle((async (): Promise<Awaited<R>> => await fn.apply(this, args))());
      }
      return leading;
    }
    burst ??= newBurst();
    last = { self: this, args };
    return burst.promise as Promise<Awaited<R>>;
  };
}
