/**
 * a next() that finds a prefetched page skips the queue of waiting next() calls
 *
 * A hand-written iterator queues next() calls on a promise chain, but takes a shortcut when a
 * prefetched request is already on its way: that next() claims it at once, outside the queue. A second
 * next() made at the same moment finds no prefetch and no queue ahead of it, and requests the same page
 * again with the token that is still current.
 * @breaks prefetch: next() calls made without awaiting are answered in order, with exactly one request per page
 * @breaks hundreds of pages read at a random pace, with and without prefetch: every item once, in order, one request per page
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
  pageSize?: number;
  stopOnSameToken?: boolean;
  maxPages?: number;
  prefetch?: boolean;
  signal?: AbortSignal;
}

const DONE = { done: true, value: undefined } as const;

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  const { pageSize, signal, stopOnSameToken = false, maxPages = Infinity, prefetch = false } = options;
  let token = options.startingToken;
  let requests = 0;
  let done = false;
  let prefetched: Promise<Page<T>> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const request = (t: string | undefined): Promise<Page<T>> => {
    requests++;
    const req: PageRequest = { token: t };
    if (pageSize !== undefined) req.pageSize = pageSize;
    if (signal !== undefined) req.signal = signal;
    return (async () => fetchPage(req))();
  };

  const settle = async (pending: Promise<Page<T>>): Promise<IteratorResult<Page<T>>> => {
    try {
      const page = await untilAborted(pending, signal);
      if (done) return DONE;
      const next = page.nextToken;
      const last = next === undefined || next === null || next === '';
      const repeated = !last && next === token;
      if (repeated && !stopOnSameToken) throw new Error(`paginate: token ${JSON.stringify(token)} repeated`);
      if (last || repeated || requests >= maxPages) done = true;
      else {
        token = next;
        if (prefetch) {
          prefetched = request(next);
          prefetched.catch(() => {});
        }
      }
      return { done: false, value: page };
    } catch (error) {
      done = true;
      prefetched = undefined;
      throw error;
    }
  };

  const step = async (): Promise<IteratorResult<Page<T>>> => {
    if (done) return DONE;
    if (signal?.aborted) {
      done = true;
      throw signal.reason;
    }
    if (prefetched) {
      const pending = prefetched;
      prefetched = undefined;
      return settle(pending);
    }
    if (requests >= maxPages) {
      done = true;
      return DONE;
    }
    return settle(request(token));
  };

  const iterator: AsyncIterableIterator<Page<T>> = {
    next() {
      // The bug: a prefetched page is claimed at once, outside the queue.
      if (prefetched && !done && !signal?.aborted) return step();
      const answer = queue.then(step);
      queue = answer.catch(() => undefined);
      return answer;
    },
    async return() {
      done = true;
      prefetched = undefined;
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

export async function* paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  for await (const page of paginate(fetchPage, options)) yield* page.items;
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);
  const taken: T[] = [];
  if (n === 0) return taken;
  for await (const item of source) {
    taken.push(item);
    if (taken.length === n) break;
  }
  return taken;
}
