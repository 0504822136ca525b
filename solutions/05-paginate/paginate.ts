/**
 * Reference solution — paginate: a lazy paginated async iterator.
 *
 * Read it next to the AWS SDK v3 paginators and Stripe's auto-pagination. Async generators do
 * most of the work, and they give three guarantees for free:
 *   1. Laziness: a generator's body does not run until the first `next()`, so nothing is fetched
 *      when the iterator is created.
 *   2. Order: `next()` calls made without awaiting are queued by the generator itself and answered
 *      one after the other, so no page is ever requested twice.
 *   3. Early exit: `break` calls `return()`, which resumes the generator at its `yield` as if it
 *      returned there; its `finally` blocks run and no further request is made. One catch: a
 *      `return()` called while a `next()` is still pending waits behind it, so the body cannot see
 *      it in time to skip a prefetch; `exitingAtOnce` below tells it at once.
 * What is left to us is deciding exactly when each request starts, and the edges: the last page,
 * a repeated token, `maxPages`, aborting, and a prefetched request that fails.
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
 * ignores its signal must not keep the consumer waiting once the caller has aborted. (The caller has
 * checked `signal.aborted` just before: an 'abort' event never fires twice, so a signal that has
 * already aborted must be checked by hand.)
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort);
    // Whichever comes first settles this promise; the other one then changes nothing. Removing the
    // listener keeps a long pagination from piling up listeners on the caller's signal.
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The pages, as an async generator. `hasExited()` says whether the consumer has called `return()`:
 * the generator itself only finds out once the `next()` it is busy with has been answered.
 */
async function* pagesOf<T>(fetchPage: FetchPage<T>, options: PaginateOptions, hasExited: () => boolean): AsyncGenerator<Page<T>> {
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
  let requests = 0;
  // The request for the page we hand out next, when it has already started (prefetch).
  let pending: Promise<Page<T>> | undefined;

  while (requests < maxPages) {
    // Aborted before this request (or while the consumer held the previous page): no request at all.
    signal?.throwIfAborted();
    if (pending === undefined) pending = request(token);
    requests++;
    const page = await untilAborted(pending, signal);
    pending = undefined;

    const next = page.nextToken;
    // Absent, null and "" all mean "last page": "" is never sent back as a token.
    const isLast = next === undefined || next === null || next === '';
    const repeated = !isLast && next === token;
    if (repeated && !stopOnSameToken) {
      // AWS SDK paginators used to loop forever here (aws-sdk-js-v3#3490).
      throw new Error(`paginate: the page requested with token ${JSON.stringify(token)} returned the same token again`);
    }
    const more = !isLast && !repeated && requests < maxPages;

    // Not when the consumer has already left: return() called while this page was on its way.
    if (more && prefetch && !hasExited()) {
      // Start page n + 1 now, as page n is handed out. Until the consumer asks for it, nobody awaits
      // it, so mark its rejection as handled: it surfaces later, from the `await` above, in the next()
      // that would have returned that page. If the consumer leaves early, it is simply dropped.
      pending = request(next);
      pending.catch(() => {});
    }
    // Suspended here until the consumer asks for more (or leaves with break/return()).
    yield page;
    if (!more) return;
    token = next;
  }
}

/** The items of the pages, in order, until the signal aborts. */
async function* itemsOf<T>(pages: AsyncIterable<Page<T>>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  // One page at a time: the next page is requested only when the consumer asks for more after this
  // page's last item. An empty page yields nothing, so the loop moves straight on to the next one.
  // An early exit here runs `return()` on the pages too, through `for await`.
  for await (const page of pages) {
    for (const item of page.items) {
      // The rest of a page already fetched is not handed out once the signal has aborted.
      signal?.throwIfAborted();
      yield item;
    }
  }
}

/**
 * `generator`, with a `return()` that calls `onExit` at once. An async generator's own `return()` waits
 * behind a `next()` still pending: with prefetch, that `next()` would start the request for the following
 * page as soon as its page arrived, after the consumer had left. The flag set by `onExit` prevents it.
 */
function exitingAtOnce<T>(generator: AsyncGenerator<T>, onExit: () => void): AsyncGenerator<T> {
  const queuedReturn = generator.return.bind(generator);
  generator.return = (value) => {
    onExit();
    return queuedReturn(value);
  };
  return generator;
}

/** Pages, one per request. */
export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  let exited = false;
  return exitingAtOnce(pagesOf(fetchPage, options, () => exited), () => (exited = true));
}

/** The items of every page, in order. */
export function paginateItems<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<T> {
  let exited = false;
  return exitingAtOnce(itemsOf(pagesOf(fetchPage, options, () => exited), options.signal), () => (exited = true));
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  // Inside an async function, this throw becomes a rejection of the promise take returns.
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
