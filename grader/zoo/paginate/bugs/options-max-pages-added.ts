/**
 * adds maxPages: Infinity to the caller's options when it is missing
 *
 * From the round-2 red team (variant options-add-key-maxpages).
 * @breaks never mutates the options object; one options object gives every paginator the same behaviour
 */
export interface Page<T> {
  items: T[];
  nextToken?: string | null;
}

export interface PageRequest {
  token: string | undefined;
  pageSize?: number;
  signal?: AbortSignal;
}

export type FetchPage<T> = (request: PageRequest) => Promise<Page<T>>;

export interface PaginateOptions {
  startingToken?: string;
  pageSize?: number;
  stopOnSameToken?: boolean;
  maxPages?: number;
  prefetch?: boolean;
  signal?: AbortSignal;
}

function abortable<V>(promise: Promise<V>, signal: AbortSignal | undefined): Promise<V> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** Pages, one per request. */
export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  if (options.maxPages === undefined) options.maxPages = Infinity;
  const { startingToken, pageSize, stopOnSameToken = false, maxPages, prefetch = false, signal } = options;

  let requests = 0;
  let token: string | undefined = startingToken;
  let finished = false; // no more requests to make

  const request = (): { token: string | undefined; promise: Promise<Page<T>> } => {
    const req: PageRequest = { token };
    if (pageSize !== undefined) req.pageSize = pageSize;
    if (signal !== undefined) req.signal = signal;
    requests++;
    let promise: Promise<Page<T>>;
    try {
      promise = Promise.resolve(fetchPage(req));
    } catch (error) {
      promise = Promise.reject(error);
    }
    return { token, promise };
  };

  async function* gen(): AsyncGenerator<Page<T>> {
    let pending: { token: string | undefined; promise: Promise<Page<T>> } | undefined;
    try {
      while (true) {
        if (signal?.aborted) throw signal.reason;
        if (!pending) {
          if (maxPages !== undefined && requests >= maxPages) return;
          pending = request();
        }
        const current = pending;
        pending = undefined;
        const page = await abortable(current.promise, signal);
        const next = page.nextToken;
        let last = next === undefined || next === null || next === '';
        if (!last && next === current.token) {
          if (stopOnSameToken) last = true;
          else throw new Error(`paginate: page returned the same token that requested it: ${String(next)}`);
        }
        if (last) { yield page; return; }
        token = next as string;
        if (prefetch && !(maxPages !== undefined && requests >= maxPages) && !signal?.aborted) {
          pending = request();
          pending.promise.catch(() => {});
        }
        yield page;
      }
    } finally {
      finished = true;
    }
  }
  void finished;
  return gen();
}

/** The items of every page, in order. */
export async function* paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  for await (const page of paginate(fetchPage, options)) {
    yield* page.items;
  }
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number' || Number.isNaN(n)) throw new TypeError('n must be a number');
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  const out: T[] = [];
  if (n === 0) return out;
  for await (const item of source) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}
