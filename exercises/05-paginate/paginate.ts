/**
 * Exercise 05 — paginate: a lazy paginated async iterator.
 *
 * Read lessons/05-paginate.md first. Replace each `throw` below with your code,
 * run the practice tests (`npx vitest exercises/05-paginate`), then grade your
 * work with `npm run grade -- paginate`.
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

/** Pages, one per request. */
export function paginate<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<Page<T>> {
  throw new Error('Not implemented yet: paginate');
}

/** The items of every page, in order. */
export function paginateItems<T>(fetchPage: FetchPage<T>, options?: PaginateOptions): AsyncIterableIterator<T> {
  throw new Error('Not implemented yet: paginateItems');
}

/** The first `n` items of `source`; stops the source (calls its `return`) once it has them. */
export function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  throw new Error('Not implemented yet: take');
}
