/**
 * after the repeated-token error, every later next() requests the same token again
 *
 * The error does not end the iterator: each next() after it re-requests the repeated token (and rejects again).
 * (red team 4, class3-paginate/same-token-not-done)
 * @breaks without stopOnSameToken, a repeated token rejects next() with an Error naming it, instead of looping
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

export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  const { startingToken, pageSize, maxPages, signal } = options;
  const stopOnSameToken = options.stopOnSameToken ?? false;
  const prefetch = options.prefetch ?? false;

  let token: string | undefined = startingToken;
  let requests = 0;
  let exhausted = false;
  let done = false;
  let closing = false;
  let ahead: Promise<Page<T>> | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const canFetch = () => !closing && !exhausted && (maxPages === undefined || requests < maxPages);

  function start(): Promise<Page<T>> {
    const requested = token;
    const request: PageRequest = { token: requested };
    if (pageSize !== undefined) request.pageSize = pageSize;
    if (signal !== undefined) request.signal = signal;
    requests++;
    let p: Promise<Page<T>>;
    try {
      p = Promise.resolve(fetchPage(request));
    } catch (e) {
      p = Promise.reject(e);
    }
    const result = p.then((page) => {
      const next = page.nextToken;
      if (next === undefined || next === null || next === '') {
        exhausted = true;
      } else if (next === requested) {
        exhausted = stopOnSameToken;
        if (!stopOnSameToken) throw new Error(`paginate: the page requested with token "${requested}" returned the same nextToken "${next}"`);
      } else {
        token = next;
      }
      return page;
    });
    result.catch(() => {});
    return result;
  }

  function abortable<R>(p: Promise<R>): Promise<R> {
    if (!signal) return p;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
        (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
      );
    });
  }

  async function step(): Promise<IteratorResult<Page<T>>> {
    if (done) return { done: true, value: undefined };
    try {
      let p = ahead;
      ahead = undefined;
      if (!p) {
        if (!canFetch()) {
          done = true;
          return { done: true, value: undefined };
        }
        if (signal?.aborted) throw signal.reason;
        p = start();
      }
      const page = await abortable(p);
      if (prefetch && canFetch() && !signal?.aborted) ahead = start();
      return { done: false, value: page };
    } catch (e) {
      if (!(e instanceof Error && e.message.startsWith('paginate: the page'))) done = true;
      ahead = undefined;
      throw e;
    }
  }

  const it: AsyncIterableIterator<Page<T>> = {
    next() {
      const r = tail.then(step);
      tail = r.catch(() => {});
      return r;
    },
    return() {
      closing = true;
      const r = tail.then((): IteratorResult<Page<T>> => {
        done = true;
        ahead = undefined;
        return { done: true, value: undefined };
      });
      tail = r.catch(() => {});
      return r;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<T> {
  const signal = options.signal;
  const pages = paginate(fetchPage, options);
  const gen = (async function* () {
    for await (const page of pages) {
      for (const item of page.items) {
        if (signal?.aborted) throw signal.reason;
        yield item;
      }
    }
  })();
  const it: AsyncIterableIterator<T> = {
    next: () => gen.next(),
    return: (value?: any) => {
      void pages.return!();
      return gen.return(value);
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`take: n must be a non-negative integer, got ${String(n)}`);
  if (n < 0) throw new RangeError(`take: n must be a non-negative integer, got ${n}`);
  const out: T[] = [];
  if (n === 0) return out;
  for await (const item of source) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}
