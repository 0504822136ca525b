/**
 * Hand-written iterator classes: a promise chain serialises next() calls, and the abort race uses node:timers/promises
 *
 * `Paginator` and `ItemIterator` are classes with private fields. Every next() is chained onto the
 * previous one (`this.#queue`), so calls made without awaiting are answered one after another. Waiting
 * for a page races the request against an abortable `setTimeout` from `node:timers/promises` that never
 * fires on its own: it rejects only when the caller's signal aborts. `take` drives the iterator by hand.
 *
 * Fixed after round 2 (the contract: once the signal aborts, the next `next()` rejects with
 * `signal.reason`): `ItemIterator` used to hand out the rest of a page already fetched after an abort.
 */
import { setTimeout as abortableWait } from 'node:timers/promises';

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

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** The longest delay a timer accepts: the wait ends only by abort. */
const FOREVER = 2 ** 31 - 1;

/** Rejects with `signal.reason` once `signal` aborts; stays pending forever once `stop` aborts. */
async function abortOf(signal: AbortSignal, stop: AbortSignal): Promise<never> {
  try {
    await abortableWait(FOREVER, undefined, { signal: AbortSignal.any([signal, stop]), ref: false });
  } catch {
    if (signal.aborted) throw signal.reason;
  }
  return new Promise<never>(() => {});
}

class Paginator<T> implements AsyncIterableIterator<Page<T>> {
  readonly #fetchPage: FetchPage<T>;
  readonly #pageSize: number | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #stopOnSameToken: boolean;
  readonly #maxPages: number;
  readonly #prefetch: boolean;
  #token: string | undefined;
  #requests = 0;
  #done = false;
  #prefetched: Promise<Page<T>> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(fetchPage: FetchPage<T>, options: PaginateOptions | undefined) {
    this.#fetchPage = fetchPage;
    this.#token = options?.startingToken;
    this.#pageSize = options?.pageSize;
    this.#signal = options?.signal;
    this.#stopOnSameToken = options?.stopOnSameToken === true;
    this.#maxPages = options?.maxPages ?? Infinity;
    this.#prefetch = options?.prefetch === true;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Page<T>>> {
    const answer = this.#queue.then(() => this.#step());
    this.#queue = answer.catch(() => undefined);
    return answer;
  }

  async return(): Promise<IteratorResult<Page<T>>> {
    this.#finish();
    return DONE;
  }

  #finish(): void {
    this.#done = true;
    this.#prefetched = undefined; // its rejection, if any, is already handled
  }

  #request(token: string | undefined): Promise<Page<T>> {
    this.#requests++;
    const request: PageRequest = { token, pageSize: this.#pageSize, signal: this.#signal };
    return Promise.resolve().then(() => this.#fetchPage(request));
  }

  async #wait(pending: Promise<Page<T>>): Promise<Page<T>> {
    const signal = this.#signal;
    if (!signal) return pending;
    const stop = new AbortController();
    try {
      return await Promise.race([pending, abortOf(signal, stop.signal)]);
    } finally {
      stop.abort();
    }
  }

  async #step(): Promise<IteratorResult<Page<T>>> {
    if (this.#done) return DONE;
    if (this.#requests >= this.#maxPages && !this.#prefetched) {
      this.#finish();
      return DONE;
    }
    try {
      this.#signal?.throwIfAborted();
      const pending = this.#prefetched ?? this.#request(this.#token);
      this.#prefetched = undefined;
      const page = await this.#wait(pending);
      if (this.#done) return DONE; // return() was called while we waited
      const next = page.nextToken;
      const last = next === undefined || next === null || next === '';
      const repeated = !last && next === this.#token;
      if (repeated && !this.#stopOnSameToken) throw new Error(`The token "${this.#token}" came back unchanged`);
      if (last || repeated || this.#requests >= this.#maxPages) {
        this.#done = true;
      } else {
        this.#token = next;
        if (this.#prefetch) {
          const prefetched = this.#request(next);
          prefetched.catch(() => undefined);
          this.#prefetched = prefetched;
        }
      }
      return { done: false, value: page };
    } catch (error) {
      this.#finish();
      throw error;
    }
  }
}

class ItemIterator<T> implements AsyncIterableIterator<T> {
  readonly #pages: Paginator<T>;
  readonly #signal: AbortSignal | undefined;
  #buffer: T[] = [];
  #index = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(pages: Paginator<T>, signal: AbortSignal | undefined) {
    this.#pages = pages;
    this.#signal = signal;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const answer = this.#queue.then(() => this.#step());
    this.#queue = answer.catch(() => undefined);
    return answer;
  }

  async return(): Promise<IteratorResult<T>> {
    this.#buffer = [];
    await this.#pages.return();
    return DONE;
  }

  async #step(): Promise<IteratorResult<T>> {
    // Once the signal has aborted, the rest of a page already fetched is not handed out either.
    if (this.#index < this.#buffer.length && this.#signal?.aborted) {
      this.#buffer = [];
      throw this.#signal.reason;
    }
    while (this.#index >= this.#buffer.length) {
      const result = await this.#pages.next();
      if (result.done) return DONE;
      this.#buffer = result.value.items;
      this.#index = 0;
    }
    return { done: false, value: this.#buffer[this.#index++]! };
  }
}

export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  return new Paginator(fetchPage, options);
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  return new ItemIterator(new Paginator(fetchPage, options), options?.signal);
}

export async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const items: T[] = [];
  if (n === 0) return items;
  const iterator = source[Symbol.asyncIterator]();
  while (items.length < n) {
    const result = await iterator.next();
    if (result.done) return items;
    items.push(result.value);
  }
  await iterator.return?.();
  return items;
}
