/**
 * Async generators sharing one page-walking core; paginateItems prefetches when a page's last item is handed out
 *
 * A single `walk` generator yields pages and takes a callback that decides when the prefetch starts:
 * `paginate` starts it as each page is handed out, `paginateItems` only as the page's last item is handed
 * out (both are "by the time page n has been handed out"). Aborts are watched by one promise per
 * iterator, made from the signal's abort event once, and raced against each wait.
 *
 * Fixed after round 2, two contract violations: a return() called while a page was on its way still let
 * the prefetch start once the page arrived (return() now flags the exit at once), and paginateItems
 * handed out the rest of a fetched page after an abort.
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

/** A promise that rejects with signal.reason when the signal aborts (handled, so it is never "unhandled"). */
function abortPromise(signal: AbortSignal | undefined): Promise<never> | undefined {
  if (!signal) return undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  return aborted;
}

interface Walked<T> {
  page: Page<T>;
  /** Start the next request now (when prefetching), or do nothing. */
  prefetchNow: () => void;
}

async function* walk<T>(fetchPage: FetchPage<T>, options: PaginateOptions): AsyncGenerator<Walked<T>, void, undefined> {
  const signal = options.signal;
  const aborted = abortPromise(signal);
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  let token: string | undefined = options.startingToken;
  let count = 0;
  let next: Promise<Page<T>> | undefined;

  const start = (t: string | undefined): Promise<Page<T>> => {
    count++;
    const p = new Promise<Page<T>>((resolve) => resolve(fetchPage({ token: t, pageSize: options.pageSize, signal })));
    p.catch(() => {});
    return p;
  };

  for (;;) {
    if (count >= maxPages && !next) return;
    if (signal?.aborted) throw signal.reason;
    const pending = next ?? start(token);
    next = undefined;
    const current = aborted ? await Promise.race([pending, aborted]) : await pending;
    const nt = current.nextToken;
    if (nt == null || nt === '') {
      yield { page: current, prefetchNow: () => {} };
      return;
    }
    if (nt === token) {
      if (!options.stopOnSameToken) throw new Error(`Pagination token repeated: ${nt}`);
      yield { page: current, prefetchNow: () => {} };
      return;
    }
    token = nt;
    const canPrefetch = options.prefetch === true && count < maxPages;
    let started = false;
    yield {
      page: current,
      prefetchNow: () => {
        if (canPrefetch && !started) {
          started = true;
          next = start(nt);
        }
      },
    };
  }
}

/**
 * `generator` with a return() that runs `onExit` first: its own return() waits behind a next() still
 * pending, and that next() would start the prefetch when its page arrives, after the consumer has left.
 */
function exitEagerly<T>(generator: AsyncGenerator<T>, onExit: () => void): AsyncIterableIterator<T> {
  const own = generator.return.bind(generator);
  generator.return = (value) => {
    onExit();
    return own(value);
  };
  return generator;
}

export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  let exited = false;
  async function* pages(): AsyncGenerator<Page<T>> {
    for await (const { page, prefetchNow } of walk(fetchPage, options)) {
      if (!exited) prefetchNow();
      yield page;
    }
  }
  return exitEagerly(pages(), () => (exited = true));
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<T> {
  let exited = false;
  const signal = options.signal;
  async function* items(): AsyncGenerator<T> {
    for await (const { page, prefetchNow } of walk(fetchPage, options)) {
      const { items } = page;
      if (items.length === 0 && !exited) prefetchNow();
      for (let i = 0; i < items.length; i++) {
        signal?.throwIfAborted(); // nothing more after an abort, not even the rest of this page
        if (i === items.length - 1 && !exited) prefetchNow();
        yield items[i]!;
      }
    }
  }
  return exitEagerly(items(), () => (exited = true));
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError('take: n must be a whole number, 0 or more');
  const out: T[] = [];
  if (n > 0) {
    for await (const value of source) {
      if (out.push(value) >= n) break;
    }
  }
  return out;
}
