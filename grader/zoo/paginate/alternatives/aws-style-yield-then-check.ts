/**
 * AWS-SDK-style generator: a repeated token is detected after its page is yielded; aborts are awaited with events.once
 *
 * Like the AWS SDK v3 paginators, the page is handed out first and the token compared afterwards: with
 * stopOnSameToken iteration then ends, without it the following next() rejects (the contract lets the
 * error come with or after that page). Waiting for a page races it against `once(signal, 'abort')` from
 * node:events, cancelled through its own AbortController when the page arrives. paginateItems keeps an
 * index into each page's items, and take counts down.
 *
 * Fixed after round 2, three contract violations: a return() called while page 1 was on its way still
 * let the prefetch of page 2 start once page 1 arrived (the generators now sit behind a return() that
 * flags the exit at once); paginateItems handed out the rest of a fetched page after an abort; and take
 * accepted Infinity (Math.floor(n) === n), which is not an integer.
 */
import { once } from 'node:events';

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

async function settleOrAbort<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) throw signal.reason;
  const cancel = new AbortController();
  const aborted = once(signal, 'abort', { signal: cancel.signal }).then(
    () => Promise.reject(signal.reason),
    () => new Promise<never>(() => {}), // cancelled: the page won the race
  );
  try {
    return await Promise.race([pending, aborted]);
  } finally {
    cancel.abort();
  }
}

/**
 * `generator` behind a return() that runs `onExit` at once: the generator's own return() waits behind a
 * next() still pending, too late to stop the prefetch that next() starts when its page arrives.
 */
function withEagerReturn<T>(generator: AsyncGenerator<T>, onExit: () => void): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () => generator.next(),
    return: (value?: unknown) => {
      onExit();
      return generator.return(value as undefined);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  let exited = false;
  return withEagerReturn(pages(fetchPage, options, () => exited), () => {
    exited = true;
  });
}

async function* pages<T>(fetchPage: FetchPage<T>, options: PaginateOptions | undefined, hasExited: () => boolean): AsyncGenerator<Page<T>> {
  const opts = { ...options };
  const maxPages = opts.maxPages ?? Infinity;
  let inputToken = opts.startingToken;
  let pageCount = 0;
  let hasNext = true;
  let upcoming: Promise<Page<T>> | null = null;
  const makeRequest = (token: string | undefined): Promise<Page<T>> => {
    pageCount += 1;
    return Promise.resolve()
      .then(() => fetchPage({ token, pageSize: opts.pageSize, signal: opts.signal }));
  };
  while (hasNext && (upcoming !== null || pageCount < maxPages)) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const current = await settleOrAbort(upcoming ?? makeRequest(inputToken), opts.signal);
    upcoming = null;
    const prevToken = inputToken;
    const outputToken = current.nextToken;
    const sameToken = typeof outputToken === 'string' && outputToken !== '' && outputToken === prevToken;
    hasNext = typeof outputToken === 'string' && outputToken !== '' && !sameToken;
    if (hasNext && opts.prefetch && pageCount < maxPages && !hasExited()) {
      const ahead = makeRequest(outputToken!);
      ahead.catch(() => undefined);
      upcoming = ahead;
    }
    yield current;
    if (sameToken && !opts.stopOnSameToken) {
      throw new Error(`The same next token was received twice: ${outputToken}`);
    }
    inputToken = outputToken ?? undefined;
  }
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  const pageIterator = paginate(fetchPage, options);
  // An early exit reaches the pages at once (no prefetch after it), not only after the pending next().
  return withEagerReturn(items(pageIterator, options?.signal), () => {
    pageIterator.return?.().catch(() => undefined);
  });
}

async function* items<T>(pageIterator: AsyncIterator<Page<T>>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  try {
    for (let r = await pageIterator.next(); !r.done; r = await pageIterator.next()) {
      const pageItems = r.value.items;
      for (let i = 0; i < pageItems.length; i += 1) {
        if (signal?.aborted) throw signal.reason; // no item of a page already fetched after an abort
        yield pageItems[i]!;
      }
    }
  } finally {
    await pageIterator.return?.();
  }
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n) || n < 0) throw new TypeError('take: n must be a non-negative integer');
  const result: T[] = [];
  let remaining = n;
  if (remaining === 0) return result;
  for await (const value of source) {
    result.push(value);
    remaining -= 1;
    if (remaining === 0) break;
  }
  return result;
}
