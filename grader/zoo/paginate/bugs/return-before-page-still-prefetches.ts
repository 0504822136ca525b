/**
 * a hand-written paginator whose return(), called while page 1 is on its way, still lets the prefetch of page 2 start when page 1 arrives
 *
 * From the round-2 red team (variant hw-return-pending-prefetch).
 * @breaks return() while a page is on its way: once it arrives, no further request, and the iterator is done
 * @breaks return() while a page is on its way, with or without prefetch: no further request, and the iterator is done
 * @breaks signal: an abort in the middle of a page rejects the next next() with signal.reason, items already fetched included, and makes no further request
 */
export interface Page<T> { items: T[]; nextToken?: string | null; }
export interface PageRequest { token: string | undefined; pageSize?: number; signal?: AbortSignal; }
export type FetchPage<T> = (request: PageRequest) => Promise<Page<T>>;
export interface PaginateOptions {
  startingToken?: string; pageSize?: number; stopOnSameToken?: boolean; maxPages?: number; prefetch?: boolean; signal?: AbortSignal;
}

type Res<V> = IteratorResult<V, undefined>;

class Pager<T> implements AsyncIterableIterator<Page<T>> {
  #fetch: FetchPage<T>;
  #o: Readonly<PaginateOptions>;
  #token: string | undefined;
  #requests = 0;
  #done = false;
  #tail: Promise<unknown> = Promise.resolve();
  #ahead: { token: string | undefined; p: Promise<Page<T>> } | undefined;

  constructor(fetch: FetchPage<T>, o: PaginateOptions) {
    this.#fetch = fetch;
    this.#o = { ...o };
    this.#token = o.startingToken;
  }

  [Symbol.asyncIterator]() { return this; }

  #start() {
    const req: PageRequest = { token: this.#token };
    if (this.#o.pageSize !== undefined) req.pageSize = this.#o.pageSize;
    if (this.#o.signal !== undefined) req.signal = this.#o.signal;
    this.#requests++;
    const p = new Promise<Page<T>>((res, rej) => { try { Promise.resolve(this.#fetch(req)).then(res, rej); } catch (e) { rej(e); } });
    p.catch(() => {});
    return { token: this.#token, p };
  }

  #race<V>(p: Promise<V>): Promise<V> {
    const s = this.#o.signal;
    if (!s) return p;
    return new Promise<V>((res, rej) => {
      if (s.aborted) { rej(s.reason); return; }
      const onAbort = () => rej(s.reason);
      s.addEventListener('abort', onAbort, { once: true });
      p.then((v) => { s.removeEventListener('abort', onAbort); res(v); }, (e) => { s.removeEventListener('abort', onAbort); rej(e); });
    });
  }

  async #step(): Promise<Res<Page<T>>> {
    if (this.#done) return { done: true, value: undefined };
    const s = this.#o.signal;
    if (s?.aborted) { this.#done = true; this.#ahead = undefined; throw s.reason; }
    let cur = this.#ahead;
    this.#ahead = undefined;
    if (!cur) {
      if (this.#o.maxPages !== undefined && this.#requests >= this.#o.maxPages) { this.#done = true; return { done: true, value: undefined }; }
      cur = this.#start();
    }
    let page: Page<T>;
    try { page = await this.#race(cur.p); } catch (e) { this.#done = true; throw e; }
    const nt = page.nextToken;
    if (nt === undefined || nt === null || nt === '') { this.#done = true; return { done: false, value: page }; }
    if (nt === cur.token) {
      this.#done = true;
      if (this.#o.stopOnSameToken) return { done: false, value: page };
      throw new Error(`repeated token ${JSON.stringify(nt)}`);
    }
    this.#token = nt;
    if (this.#o.prefetch && !(this.#o.maxPages !== undefined && this.#requests >= this.#o.maxPages)) this.#ahead = this.#start();
    return { done: false, value: page };
  }

  next(): Promise<Res<Page<T>>> {
    const r = this.#tail.then(() => this.#step());
    this.#tail = r.catch(() => {});
    return r;
  }

  return(): Promise<Res<Page<T>>> {
    this.#done = true;
    this.#ahead = undefined;
    const r = this.#tail.then(() => ({ done: true as const, value: undefined }));
    this.#tail = r;
    return r;
  }
}

export function paginate<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<Page<T>> {
  return new Pager(fetchPage, options);
}

export function paginateItems<T>(fetchPage: FetchPage<T>, options: PaginateOptions = {}): AsyncIterableIterator<T> {
  const pages = paginate(fetchPage, options);
  let buf: T[] = [];
  let i = 0;
  let done = false;
  let tail: Promise<unknown> = Promise.resolve();
  const step = async (): Promise<IteratorResult<T, undefined>> => {
    while (true) {
      if (done) return { done: true, value: undefined };
      if (i < buf.length) return { done: false, value: buf[i++]! };
      let r;
      try { r = await pages.next(); } catch (e) { done = true; throw e; }
      if (done) return { done: true, value: undefined };
      if (r.done) { done = true; return { done: true, value: undefined }; }
      buf = r.value.items; i = 0;
    }
  };
  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() { return it; },
    next() { const r = tail.then(step); tail = r.catch(() => {}); return r; },
    return() {
      done = true;
      const r = tail.then(async () => { await pages.return?.(); return { done: true as const, value: undefined }; });
      tail = r.catch(() => {});
      return r;
    },
  };
  return it;
}

export function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  return (async () => {
    if (typeof n !== 'number') throw new TypeError('n must be a number');
    if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
    const out: T[] = [];
    if (n === 0) return out;
    const it = source[Symbol.asyncIterator]();
    while (out.length < n) {
      const r = await it.next();
      if (r.done) return out;
      out.push(r.value);
    }
    await it.return?.();
    return out;
  })();
}
