/**
 * Closures and an explicit queue of waiting next() calls, served one at a time by a pump; items flattened by a separate pump
 *
 * No generators and no classes: `paginate` returns a plain object whose next() pushes a waiter
 * ({ resolve, reject }) onto an array; a `pump` serves the front waiter, and only when its answer is
 * settled does it serve the next one, so no page is requested twice. The abort race is an
 * `addEventListener('abort')` set up per wait. `paginateItems` keeps its own item buffer and waiter queue
 * on top of `paginate`, and `take` walks the iterator with a recursive helper.
 *
 * Fixed after round 2 (the contract: once the signal aborts, the next `next()` rejects with
 * `signal.reason`): `paginateItems` used to hand out the rest of a page already fetched after an abort.
 */

export interface Page<T> {
  items: T[];
  /** Absent, null or "" means this was the last page. */
  nextToken?: string | null;
}

export interface PageRequest {
  /** undefined for the first page unless `startingToken` is given. */
  token: string | undefined;
  pageSize?: number;
  signal?: AbortSignal;
}

export type FetchPage<T> = (request: PageRequest) => Promise<Page<T>>;

export interface PaginateOptions {
  startingToken?: string;
  /** Passed through in every request. */
  pageSize?: number;
  /** Stop quietly when a page returns the token that requested it. Default false: throw instead. */
  stopOnSameToken?: boolean;
  /** Fetch no more than this many pages. */
  maxPages?: number;
  /** Start fetching page n + 1 as soon as page n has been handed out. Default false. */
  prefetch?: boolean;
  signal?: AbortSignal;
}

interface Waiter<V> {
  resolve: (result: IteratorResult<V>) => void;
  reject: (reason: unknown) => void;
}

/** An async iterator over `produce`, which is called once per next(), strictly one at a time. */
function serialIterator<V>(produce: () => Promise<IteratorResult<V>>, onReturn: () => Promise<void> | void): AsyncIterableIterator<V> {
  const waiters: Waiter<V>[] = [];
  let serving = false;
  const pump = (): void => {
    if (serving || waiters.length === 0) return;
    serving = true;
    const waiter = waiters.shift()!;
    produce().then(
      (result) => {
        serving = false;
        waiter.resolve(result);
        pump();
      },
      (error: unknown) => {
        serving = false;
        waiter.reject(error);
        pump();
      },
    );
  };
  const iterator: AsyncIterableIterator<V> = {
    next: () =>
      new Promise<IteratorResult<V>>((resolve, reject) => {
        waiters.push({ resolve, reject });
        pump();
      }),
    return: async () => {
      await onReturn();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function raceAbort<V>(promise: Promise<V>, signal: AbortSignal | undefined): Promise<V> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<V>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort);
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  const { pageSize, signal } = options;
  const limit = options.maxPages ?? Infinity;
  let token = options.startingToken;
  let made = 0;
  let finished = false;
  let ahead: Promise<Page<T>> | null = null;

  const ask = (requestToken: string | undefined): Promise<Page<T>> => {
    made += 1;
    const request: PageRequest = { token: requestToken };
    if (pageSize !== undefined) request.pageSize = pageSize;
    if (signal !== undefined) request.signal = signal;
    try {
      return Promise.resolve(fetchPage(request));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const produce = async (): Promise<IteratorResult<Page<T>>> => {
    if (finished) return { done: true, value: undefined };
    if (ahead === null && made >= limit) {
      finished = true;
      return { done: true, value: undefined };
    }
    let current: Page<T>;
    try {
      if (signal?.aborted) throw signal.reason;
      const pending = ahead ?? ask(token);
      ahead = null;
      current = await raceAbort(pending, signal);
    } catch (error) {
      finished = true;
      throw error;
    }
    if (finished) return { done: true, value: undefined };
    const following = current.nextToken;
    if (following === undefined || following === null || following === '') {
      finished = true;
    } else if (following === token) {
      finished = true;
      if (options.stopOnSameToken !== true) throw new Error(`paginate: page token "${following}" repeated`);
    } else if (made >= limit) {
      finished = true;
    } else {
      token = following;
      if (options.prefetch === true) {
        ahead = ask(following);
        ahead.then(undefined, () => {});
      }
    }
    return { done: false, value: current };
  };

  return serialIterator(produce, () => {
    finished = true;
    ahead = null;
  });
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  const pages = paginate(fetchPage, options);
  const signal = options?.signal;
  let buffered: T[] = [];
  let closed = false;
  const produce = async (): Promise<IteratorResult<T>> => {
    // Once the signal has aborted, the rest of a page already fetched is not handed out either.
    if (buffered.length > 0 && signal?.aborted) {
      buffered = [];
      throw signal.reason;
    }
    while (buffered.length === 0) {
      if (closed) return { done: true, value: undefined };
      const result = await pages.next();
      if (result.done) return { done: true, value: undefined };
      buffered = result.value.items.slice();
    }
    return { done: false, value: buffered.shift()! };
  };
  return serialIterator(produce, async () => {
    closed = true;
    buffered = [];
    await pages.return?.();
  });
}

export function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number' || n < 0 || n % 1 !== 0 || Number.isNaN(n)) {
    return Promise.reject(new TypeError(`take: expected a whole number >= 0, got ${String(n)}`));
  }
  if (n === 0) return Promise.resolve([]);
  const iterator = source[Symbol.asyncIterator]();
  const out: T[] = [];
  const loop = (): Promise<T[]> =>
    iterator.next().then((result) => {
      if (result.done) return out;
      out.push(result.value);
      if (out.length < n) return loop();
      return Promise.resolve(iterator.return?.()).then(() => out);
    });
  return loop();
}
