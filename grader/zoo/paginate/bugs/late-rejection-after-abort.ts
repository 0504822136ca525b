/**
 * a request that settles after an abort is still treated as the answer to a waiting next()
 *
 * A hand-written iterator rejects the waiting next() itself when the signal aborts, but forgets that
 * the request it was waiting on is no longer anybody's: when that request rejects a moment later (as
 * fetch does once its signal aborts), the iterator tries to hand the failure to a next() that is gone,
 * and the TypeError it hits is an unhandled rejection.
 * @breaks signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made
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

type Outcome<T> =
  | { readonly ok: true; readonly page: Page<T>; readonly token: string | undefined }
  | { readonly ok: false; readonly error: unknown };

interface CallNode<V> {
  readonly kind: 'next' | 'return' | 'throw';
  readonly arg: unknown;
  readonly resolve: (result: IteratorResult<V>) => void;
  readonly reject: (reason: unknown) => void;
  link: CallNode<V> | null;
}

type State = 'suspended' | 'fetching' | 'closed';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

class LinkedPager<T, V> implements AsyncIterableIterator<V> {
  #state: State = 'suspended';
  #head: CallNode<V> | null = null;
  #tail: CallNode<V> | null = null;
  #closingCalls = 0;

  #token: string | undefined;
  #requested = 0;
  #more = true;
  #buffer: readonly V[] = [];
  #cursor = 0;
  #prefetched: Promise<Outcome<T>> | null = null;
  #inflight: Promise<Outcome<T>> | null = null;
  #listening = false;

  readonly #fetchPage: FetchPage<T>;
  readonly #unpack: (page: Page<T>) => readonly V[];
  readonly #pageSize: number | undefined;
  readonly #stopOnSameToken: boolean;
  readonly #limit: number;
  readonly #prefetch: boolean;
  readonly #signal: AbortSignal | undefined;

  constructor(fetchPage: FetchPage<T>, options: PaginateOptions | undefined, unpack: (page: Page<T>) => readonly V[]) {
    this.#fetchPage = fetchPage;
    this.#unpack = unpack;
    this.#token = options?.startingToken || undefined;
    this.#pageSize = options?.pageSize;
    this.#stopOnSameToken = options?.stopOnSameToken === true;
    this.#limit = options?.maxPages === undefined ? Infinity : Math.max(0, Math.floor(options.maxPages));
    this.#prefetch = options?.prefetch === true;
    this.#signal = options?.signal;
    if (this.#limit === 0) this.#more = false;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<V>> {
    return this.#call('next', undefined);
  }

  return(value?: unknown): Promise<IteratorResult<V>> {
    return this.#call('return', value);
  }

  throw(error?: unknown): Promise<IteratorResult<V>> {
    return this.#call('throw', error);
  }

  #call(kind: CallNode<V>['kind'], arg: unknown): Promise<IteratorResult<V>> {
    return new Promise<IteratorResult<V>>((resolve, reject) => {
      const node: CallNode<V> = { kind, arg, resolve, reject, link: null };
      if (this.#tail) this.#tail.link = node;
      else this.#head = node;
      this.#tail = node;
      if (kind !== 'next') this.#closingCalls++;
      this.#pump();
    });
  }

  #shift(): CallNode<V> {
    const node = this.#head!;
    this.#head = node.link;
    if (!this.#head) this.#tail = null;
    if (node.kind !== 'next') this.#closingCalls--;
    return node;
  }

  #pump(): void {
    while (this.#head && this.#state !== 'fetching') {
      const kind = this.#head.kind;
      if (kind === 'return') {
        const node = this.#shift();
        this.#close();
        node.resolve({ done: true, value: node.arg as V });
      } else if (kind === 'throw') {
        const node = this.#shift();
        this.#close();
        node.reject(node.arg);
      } else if (this.#state === 'closed') {
        this.#shift().resolve(DONE);
      } else if (this.#signal?.aborted) {
        const node = this.#shift();
        this.#close();
        node.reject(this.#signal.reason);
      } else if (this.#cursor < this.#buffer.length) {
        const value = this.#buffer[this.#cursor++]!;
        if (this.#cursor === this.#buffer.length && !this.#more) this.#close();
        this.#shift().resolve({ done: false, value });
      } else if (!this.#more) {
        this.#close();
        this.#shift().resolve(DONE);
      } else {
        const pending = this.#prefetched ?? this.#request();
        this.#prefetched = null;
        this.#wait(pending);
      }
    }
  }

  #request(): Promise<Outcome<T>> {
    const token = this.#token;
    const request: PageRequest = { token };
    if (this.#pageSize !== undefined) request.pageSize = this.#pageSize;
    if (this.#signal !== undefined) request.signal = this.#signal;
    this.#requested++;
    let result: Promise<Page<T>>;
    try {
      result = Promise.resolve(this.#fetchPage(request));
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.then(
      (page): Outcome<T> => ({ ok: true, page, token }),
      (error: unknown): Outcome<T> => ({ ok: false, error }),
    );
  }

  #wait(pending: Promise<Outcome<T>>): void {
    this.#state = 'fetching';
    this.#inflight = pending;
    if (this.#signal && !this.#listening) {
      this.#listening = true;
      this.#signal.addEventListener('abort', this.#onAbort);
    }
    void pending.then((outcome) => {
      this.#inflight = null;
      this.#state = 'suspended';
      this.#accept(outcome);
      this.#pump();
    });
  }

  #accept(outcome: Outcome<T>): void {
    if (!outcome.ok) {
      const node = this.#shift();
      this.#close();
      node.reject(outcome.error);
      return;
    }
    const { page, token } = outcome;
    const nextToken = page.nextToken;
    if (nextToken === undefined || nextToken === null || nextToken === '') {
      this.#more = false;
    } else if (nextToken === token) {
      if (!this.#stopOnSameToken) {
        const node = this.#shift();
        this.#close();
        node.reject(new Error(`paginate: the page requested with token "${token}" returned the same token "${nextToken}" as its nextToken`));
        return;
      }
      this.#more = false;
    } else {
      this.#token = nextToken;
    }
    if (this.#requested >= this.#limit) this.#more = false;
    this.#buffer = this.#unpack(page);
    this.#cursor = 0;
    if (this.#prefetch && this.#more && this.#closingCalls === 0 && !this.#signal?.aborted) {
      this.#prefetched = this.#request();
    }
  }

  readonly #onAbort = (): void => {
    if (this.#state !== 'fetching') return;
    this.#inflight = null;
    this.#state = 'suspended';
    const node = this.#shift();
    this.#close();
    node.reject(this.#signal!.reason);
    this.#pump();
  };

  #close(): void {
    this.#state = 'closed';
    this.#more = false;
    this.#buffer = [];
    this.#cursor = 0;
    this.#prefetched = null;
    this.#inflight = null;
    if (this.#listening) {
      this.#listening = false;
      this.#signal!.removeEventListener('abort', this.#onAbort);
    }
  }
}

/** Pages, one per request. */
export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  return new LinkedPager<T, Page<T>>(fetchPage, options, (page) => [page]);
}

/** The items of every page, in order. */
export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  return new LinkedPager<T, T>(fetchPage, options, (page) => page.items);
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (typeof n !== 'number') return Promise.reject(new TypeError(`take: n must be a number, got ${typeof n}`));
  if (!Number.isInteger(n) || n < 0) return Promise.reject(new RangeError(`take: n must be a non-negative integer, got ${n}`));
  if (n === 0) return Promise.resolve([]);
  return new Promise<T[]>((resolve, reject) => {
    const iterator = source[Symbol.asyncIterator]();
    const collected: T[] = [];
    const step = (): void => {
      let pending: Promise<IteratorResult<T>>;
      try {
        pending = Promise.resolve(iterator.next());
      } catch (error) {
        reject(error);
        return;
      }
      pending
        .then((result): Promise<void> | void => {
          if (result.done) return resolve(collected);
          collected.push(result.value);
          if (collected.length < n) return step();
          return Promise.resolve(iterator.return?.()).then(() => resolve(collected));
        })
        .catch(reject);
    };
    step();
  });
}
