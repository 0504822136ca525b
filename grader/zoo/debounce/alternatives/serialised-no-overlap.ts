/**
 * Never overlaps invocations: each burst's call of fn waits for the previous one to finish first
 *
 * A burst closes when its timer fires, but fn is only invoked once every earlier invocation has
 * settled (a promise chain). The contract allows this: it leaves open whether invocations may
 * overlap. A burst that closed but has not started yet still counts as waiting, so an abort rejects
 * it, and the listener stays until no burst is waiting; the abort handler removes it itself (after an
 * abort nothing can wait any more). Leading mode chains the same way.
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Pending {
  /** Every caller of the burst gets this one promise, even one that joins after fn settled. */
  outcome: Promise<any>;
  resolve: (value: any) => void;
  reject: (reason: unknown) => void;
  thisArg?: unknown;
  args?: unknown[];
}

function pending(): Pending {
  const burst = {} as Pending;
  burst.outcome = new Promise((resolve, reject) => Object.assign(burst, { resolve, reject }));
  return burst;
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options: DebounceOptions = {},
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (typeof wait !== 'number' || !Number.isFinite(wait)) throw new TypeError('wait must be finite');
  const delay = wait < 0 ? 0 : wait;
  const before = options.before ?? false;
  const signal = options.signal;

  let chain: Promise<unknown> = Promise.resolve();
  let collecting: Pending | undefined; // the burst still taking calls
  let timer: ReturnType<typeof setTimeout> | undefined;
  const notStarted = new Set<Pending>(); // bursts whose fn call has not begun
  let listening = false;

  const onAbort = (): void => {
    signal!.removeEventListener('abort', onAbort);
    listening = false;
    clearTimeout(timer);
    timer = undefined;
    collecting = undefined;
    for (const burst of notStarted) burst.reject(signal!.reason);
    notStarted.clear();
  };

  const sync = (): void => {
    if (!signal) return;
    if (notStarted.size > 0 && !listening) {
      signal.addEventListener('abort', onAbort);
      listening = true;
    } else if (notStarted.size === 0 && listening) {
      signal.removeEventListener('abort', onAbort);
      listening = false;
    }
  };

  const enqueue = (burst: Pending): void => {
    chain = chain.then(async () => {
      if (!notStarted.has(burst)) return; // aborted before its turn
      notStarted.delete(burst);
      sync();
      try {
        burst.resolve(await fn.apply(burst.thisArg as This, burst.args as A));
      } catch (error) {
        burst.reject(error);
      }
    });
  };

  return function (this: This, ...args: A): Promise<Awaited<R>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    clearTimeout(timer);
    const fresh = collecting === undefined;
    if (fresh) {
      collecting = pending();
      notStarted.add(collecting);
      sync();
    }
    const burst = collecting!;
    // Leading: the first call's this/args, queued at once. Trailing: the last call's, queued when the timer fires.
    if (!before || fresh) {
      burst.thisArg = this;
      burst.args = args;
    }
    if (before && fresh) enqueue(burst);
    timer = setTimeout(() => {
      timer = undefined;
      collecting = undefined;
      if (!before) enqueue(burst);
    }, delay);
    return burst.outcome;
  };
}
