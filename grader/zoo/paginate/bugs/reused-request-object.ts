/**
 * one request object, reused and changed for every page
 *
 * fetchPage may keep the request it was given (to log it, to retry it); changing the same object for the
 * next page rewrites what an earlier request said. Each page needs a request object of its own.
 * @breaks each request carries the previous page's nextToken, and pageSize and signal when given
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

function untilAborted<P>(promise: Promise<P>, signal: AbortSignal | undefined): Promise<P> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<P>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const isLast = (token: string | null | undefined): token is null | undefined | '' =>
  token === undefined || token === null || token === '';

export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  // Read every option now, so later changes to the caller's object change nothing.
  const startingToken = options?.startingToken;
  const pageSize = options?.pageSize;
  const stopOnSameToken = options?.stopOnSameToken ?? false;
  const maxPages = options?.maxPages ?? Infinity;
  const prefetch = options?.prefetch ?? false;
  const signal = options?.signal;

  const req: PageRequest = { token: startingToken };
  if (pageSize !== undefined) req.pageSize = pageSize;
  if (signal !== undefined) req.signal = signal;
  const request = (token: string | undefined): Promise<Page<T>> => {
    req.token = token;
    try {
      return Promise.resolve(fetchPage(req));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  async function* pages(): AsyncGenerator<Page<T>, void, undefined> {
    let token = startingToken;
    let made = 0;
    let prefetched: Promise<Page<T>> | undefined;
    while (true) {
      if (signal?.aborted) throw signal.reason;
      let pending = prefetched;
      prefetched = undefined;
      if (!pending) {
        if (made >= maxPages) return;
        pending = request(token);
        made++;
      }
      const page = await untilAborted(pending, signal);
      const next = page.nextToken;
      if (isLast(next)) {
        yield page;
        return;
      }
      if (next === token) {
        yield page;
        if (stopOnSameToken) return;
        throw new Error(`paginate: the page requested with token "${next}" returned the same token "${next}" again`);
      }
      token = next;
      if (prefetch && made < maxPages && !signal?.aborted) {
        prefetched = request(token);
        prefetched.catch(() => {});
        made++;
      }
      yield page;
    }
  }

  return pages();
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  const source = paginate(fetchPage, options);
  return (async function* items() {
    for await (const page of source) yield* page.items;
  })();
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number') throw new TypeError(`take: n must be a number, got ${typeof n}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a non-negative integer, got ${n}`);
  const out: T[] = [];
  if (n === 0) return out;
  for await (const item of source) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}
