/**
 * the first next() downloads every page into an array, then hands them out
 *
 * Simple and wrong: it is no longer lazy page by page, and break or take() cannot save the requests
 * already made.
 * @breaks requests the next page only when the consumer asks for more, never ahead and never twice
 * @breaks lazy: no request before the first next(), and page n + 1 only when asked for after page n's last item
 * @breaks stops a paginator behind it: no request beyond the page that holds the nth item
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

/**
 * `promise`, unless `signal` aborts first: then a rejection with `signal.reason`. A `fetchPage` that
 * ignores its signal must not keep the consumer waiting once the caller has aborted.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Pages, one per request. */
export async function* paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  // Read the options once: the caller's object is never written to, and changing it later changes nothing.
  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;

  // Every request is a fresh object; `pageSize` and `signal` only when the caller gave them.
  const request = (token: string | undefined): Promise<Page<T>> => {
    const pageRequest: PageRequest = { token };
    if (pageSize !== undefined) pageRequest.pageSize = pageSize;
    if (signal !== undefined) pageRequest.signal = signal;
    // An async wrapper turns a synchronous throw from fetchPage into a rejection too.
    return (async () => fetchPage(pageRequest))();
  };

  let token = startingToken;
  const all: Page<T>[] = [];
  // Collect every page first, then hand them out: simple, and no longer lazy.
  while (all.length < maxPages) {
    signal?.throwIfAborted();
    const page = await untilAborted(request(token), signal);
    all.push(page);
    const next = page.nextToken;
    if (next === undefined || next === null || next === '') break;
    if (next === token) {
      if (!stopOnSameToken) throw new Error(`paginate: token ${JSON.stringify(token)} repeated`);
      break;
    }
    token = next;
  }
  void prefetch;
  yield* all;
}

/** The items of every page, in order. */
export async function* paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  // One page at a time: the next page is requested only when the consumer asks for more after this
  // page's last item. An empty page yields nothing, so the loop moves straight on to the next one.
  // An early exit here runs `return()` on the inner paginator too, through `for await`.
  for await (const page of paginate(fetchPage, options)) {
    yield* page.items;
  }
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number' || Number.isNaN(n)) throw new TypeError(`take: n must be a number, got ${String(n)}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);
  const taken: T[] = [];
  if (n === 0) return taken; // no next() at all
  for await (const item of source) {
    taken.push(item);
    // Leaving the loop calls the iterator's return(): the paginator behind it stops, no extra request.
    if (taken.length === n) break;
  }
  return taken;
}
