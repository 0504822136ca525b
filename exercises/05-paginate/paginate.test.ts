/**
 * Practice tests for exercise 05 — paginate. Run them with `npx vitest exercises/05-paginate`.
 *
 * They check the basics only: passing them means you are on your way, not that you are done.
 * The grader (`npm run grade -- paginate`) checks the whole contract: exactly when each request is
 * made, next() calls made without awaiting, repeated tokens, maxPages, break, errors, abort signals,
 * prefetch, and more.
 *
 * The fake API below answers from a list of pages and records every request, so nothing here depends
 * on a network or on real time.
 */
import { describe, it, expect } from 'vitest';
import { paginate, paginateItems, take, type Page, type PageRequest } from './paginate.ts';

/** A fake API: the first page answers token undefined, each next page answers the previous page's nextToken. */
function fakeApi(pages: Page<string>[]) {
  const requests: PageRequest[] = [];
  const fetchPage = async (request: PageRequest): Promise<Page<string>> => {
    requests.push(request);
    const index = request.token === undefined ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1]!.nextToken === request.token);
    if (index < 0) throw new Error(`no page for token ${request.token}`);
    return pages[index]!;
  };
  return { fetchPage, requests };
}

const PAGES: Page<string>[] = [
  { items: ['a', 'b'], nextToken: 't1' },
  { items: ['c'], nextToken: 't2' },
  { items: ['d', 'e'] }, // no nextToken: the last page
];

describe('paginate', () => {
  it('yields every page in order, requesting each with the previous page\'s nextToken', async () => {
    const api = fakeApi(PAGES);
    const pages: Page<string>[] = [];
    for await (const page of paginate(api.fetchPage)) pages.push(page);
    expect(pages.map((page) => page.items)).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(api.requests.map((request) => request.token)).toEqual([undefined, 't1', 't2']);
  });

  it('is lazy: no request until next(), then one request per next()', async () => {
    const api = fakeApi(PAGES);
    const iterator = paginate(api.fetchPage);
    expect(api.requests).toHaveLength(0); // creating the iterator fetches nothing

    await iterator.next();
    expect(api.requests).toHaveLength(1);
    await iterator.next();
    expect(api.requests).toHaveLength(2);
  });
});

describe('paginateItems', () => {
  it('yields the items of every page, in order', async () => {
    const api = fakeApi(PAGES);
    const items: string[] = [];
    for await (const item of paginateItems(api.fetchPage)) items.push(item);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('take', () => {
  it('resolves to the first n items', async () => {
    const api = fakeApi(PAGES);
    await expect(take(paginateItems(api.fetchPage), 3)).resolves.toEqual(['a', 'b', 'c']);
  });
});
