/**
 * Web ReadableStreams pulled on demand: highWaterMark 0 means "fetch only for a waiting read", 1 means prefetch.
 *
 * The page stream's pull() requests pages while desiredSize > 0, so hwm 1 (`prefetch`) is the read-ahead;
 * paginateItems is a second stream (hwm 0, in items) whose pull() reads pages until one is non-empty.
 * Hand-written, as a stream can't do it alone: a start() gate opened by the first next() (lazy despite hwm 1),
 * and a reader adapter that ends the iterator after a fetch error (an errored stream would repeat it) while
 * an abort stays sticky (every later next() rejects with signal.reason); return() cancels, settling reads done.
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

interface Gate {
  readonly opened: Promise<void>;
  readonly open: () => void;
}

function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

type Release = () => void;

function watchAbort(
  signal: AbortSignal | undefined,
  controller: ReadableStreamDefaultController<unknown>,
  releases: Release[],
  onAbort: () => void = () => {},
): void {
  if (!signal) return;
  const abort = (): void => {
    onAbort();
    controller.error(signal.reason);
  };
  if (signal.aborted) return abort();
  signal.addEventListener('abort', abort, { once: true });
  releases.push(() => signal.removeEventListener('abort', abort));
}

function pageStream<T>(
  fetchPage: FetchPage<T>,
  options: PaginateOptions,
  started: Promise<void>,
  releases: Release[],
): ReadableStream<Page<T>> {
  const { pageSize, signal, stopOnSameToken = false, prefetch = false } = options;
  const limit = options.maxPages === undefined ? Infinity : Math.floor(options.maxPages);
  let token = options.startingToken || undefined;
  let requested = 0;
  let over = false;
  const finish = (): void => {
    over = true;
  };

  return new ReadableStream<Page<T>>(
    {
      async start(controller) {
        await started;
        watchAbort(signal, controller, releases, finish);
      },
      async pull(controller) {
        do {
          if (over) return;
          if (requested >= limit) {
            finish();
            controller.close();
            return;
          }
          const asked = token;
          requested++;
          const request: PageRequest = { token: asked };
          if (pageSize !== undefined) request.pageSize = pageSize;
          if (signal !== undefined) request.signal = signal;
          let page: Page<T>;
          try {
            page = await fetchPage(request);
          } catch (error) {
            finish();
            throw error;
          }
          if (over) return;
          const nextToken = page.nextToken;
          const last = nextToken === undefined || nextToken === null || nextToken === '';
          if (!last && nextToken === asked && !stopOnSameToken) {
            finish();
            throw new Error(`paginate: nextToken "${nextToken}" repeats the token that requested the page`);
          }
          controller.enqueue(page);
          if (last || nextToken === asked || requested >= limit) {
            finish();
            controller.close();
            return;
          }
          token = nextToken;
        } while ((controller.desiredSize ?? 0) > 0);
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: prefetch ? 1 : 0 },
  );
}

function itemStream<T>(
  pages: ReadableStream<Page<T>>,
  signal: AbortSignal | undefined,
  started: Promise<void>,
  releases: Release[],
): ReadableStream<T> {
  const reader = pages.getReader();
  return new ReadableStream<T>(
    {
      async start(controller) {
        await started;
        watchAbort(signal, controller, releases);
      },
      async pull(controller) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          if (value.items.length > 0) {
            for (const item of value.items) controller.enqueue(item);
            return;
          }
        }
      },
      cancel(reason) {
        return reader.cancel(reason).catch(() => {});
      },
    },
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
}

function iterate<V>(
  stream: ReadableStream<V>,
  open: () => void,
  signal: AbortSignal | undefined,
  releases: Release[],
): AsyncIterableIterator<V> {
  const reader = stream.getReader();
  let finished = false;
  const finish = (): IteratorReturnResult<undefined> => {
    if (!finished) {
      finished = true;
      for (const release of releases.splice(0)) release();
    }
    return { done: true, value: undefined };
  };
  return {
    next(): Promise<IteratorResult<V>> {
      if (finished) return Promise.resolve(finish());
      open();
      return reader.read().then(
        (result): IteratorResult<V> => (result.done ? finish() : { done: false, value: result.value }),
        (error: unknown): IteratorResult<V> => {
          if (signal?.aborted && error === signal.reason) throw error;
          if (finished) return finish();
          finish();
          throw error;
        },
      );
    },
    return(): Promise<IteratorResult<V>> {
      finish();
      return reader.cancel().then(finish, finish);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Pages, one per request. */
export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  const opts = { ...options };
  const started = gate();
  const releases: Release[] = [];
  return iterate(pageStream(fetchPage, opts, started.opened, releases), started.open, opts.signal, releases);
}

/** The items of every page, in order. */
export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  const opts = { ...options };
  const started = gate();
  const releases: Release[] = [];
  const pages = pageStream(fetchPage, opts, started.opened, releases);
  return iterate(itemStream(pages, opts.signal, started.opened, releases), started.open, opts.signal, releases);
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n)) throw new TypeError(`take: n must be an integer, got ${String(n)}`);
  if (n < 0) throw new RangeError(`take: n must not be negative, got ${n}`);
  const taken: T[] = [];
  if (n === 0) return taken;
  for await (const item of source) {
    taken.push(item);
    if (taken.length === n) break;
  }
  return taken;
}
