/**
 * Hidden suite — paginate (contract: ../shared/spec/paginate.md).
 *
 * Every request goes to a fake API whose answers the suite releases by hand (a gate per request), or at
 * once in "auto" mode. The suite counts requests only after `drain()` (every microtask run, no timer
 * fired), so nothing here depends on how many microtasks an implementation takes, and every loop over
 * the learner's iterator is bounded, so a paginator that loops forever fails instead of hanging.
 */
import type * as Contract from '@impl/05-paginate/paginate.ts';
import type { Page, PageRequest, PaginateOptions } from '@impl/05-paginate/paginate.ts';
import {
  attempt,
  behaviour,
  check,
  drain,
  fail,
  fulfilledValue,
  gate,
  loadImplementation,
  randomInt,
  rejectionReason,
  seededRandom,
  show,
  task,
  track,
  type Gate,
  type Tracked,
} from '@grader/harness';
// Not in the harness index: used to say precisely *when* a rejection went unhandled (a prefetch).
import { takeUnhandled } from '../harness/unhandled.ts';

const { paginate, paginateItems, take } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/05-paginate/paginate.ts'),
  exports: { paginate: 'function', paginateItems: 'function', take: 'function' },
});

// ---------------------------------------------------------------------------------------------------
// A fake paginated API

/** A frozen page: an implementation that writes to the API's answers fails loudly. `page(items)` has no nextToken key. */
function page(items: string[], ...token: [nextToken?: string | null]): Page<string> {
  const body = token.length > 0 ? { items: Object.freeze([...items]) as string[], nextToken: token[0] } : { items: Object.freeze([...items]) as string[] };
  return Object.freeze(body);
}

/** [a, b] t1 → [c, d] t2 → [e] */
const THREE_PAGES = (): Page<string>[] => [page(['a', 'b'], 't1'), page(['c', 'd'], 't2'), page(['e'])];

interface Call {
  /** The request object itself: fetchPage may keep it, so it must not change afterwards. */
  request: PageRequest | undefined;
  /** What the request held when fetchPage was called. */
  token: unknown;
  pageSize: unknown;
  signal: unknown;
  gate: Gate<Page<string>>;
  page: Page<string> | undefined;
}

/**
 * A fake API serving `pages`: the first page answers the starting token, page i + 1 answers page i's
 * nextToken, so a page that repeats its token is served again if asked again (as a real API would).
 */
function fakeApi(pages: Page<string>[], { auto = false, startingToken }: { auto?: boolean; startingToken?: string } = {}) {
  const byToken = new Map<string | undefined, number>([[startingToken, 0]]);
  pages.forEach((p, i) => {
    const next = p.nextToken;
    if (i + 1 < pages.length && typeof next === 'string' && !byToken.has(next)) byToken.set(next, i + 1);
  });
  const calls: Call[] = [];
  const callAt = (i: number): Call =>
    calls[i] ??
    fail({
      expected: `request ${i + 1} to have been made by now`,
      received: `${calls.length} request(s) made, with tokens ${show(calls.map((c) => c.token))}`,
      hint: 'a request starts when the consumer asks for a page it does not have yet (or, with prefetch, when the previous page is handed out)',
    });
  const respond = (i: number): void => {
    const call = callAt(i);
    if (call.page) call.gate.resolve(call.page);
    else call.gate.reject(new Error(`the test API has no page for token ${show(call.token)}`));
  };
  const fetchPage = (request: PageRequest): Promise<Page<string>> => {
    const g = gate<Page<string>>();
    const token = request?.token;
    calls.push({
      request,
      token,
      pageSize: request?.pageSize,
      signal: request?.signal,
      gate: g,
      page: typeof token === 'string' || token === undefined ? pages[byToken.get(token) ?? -1] : undefined,
    });
    if (auto) respond(calls.length - 1);
    return g.promise;
  };
  return {
    fetchPage,
    calls,
    get count() {
      return calls.length;
    },
    tokens: () => calls.map((c) => c.token),
    respond,
    failRequest: (i: number, error: unknown) => callAt(i).gate.reject(error),
  };
}
type FakeApi = ReturnType<typeof fakeApi>;

function expectRequests(api: FakeApi, expected: number, moment: string, hint?: string): void {
  check(api.count === expected, {
    expected: `${expected} request(s) ${moment}`,
    received: `${api.count} request(s), with tokens ${show(api.tokens())}`,
    hint:
      hint ??
      (api.count > expected
        ? 'request a page only when the consumer asks for it (no reading ahead, no request twice for the same page)'
        : 'the request for a page starts when the consumer asks for it'),
  });
}

// ---------------------------------------------------------------------------------------------------
// Driving an iterator one step at a time

type Step<T> = Tracked<IteratorResult<T>>;

/** Call next() and let every microtask run. */
async function step<T>(it: AsyncIterator<T>): Promise<Step<T>> {
  const result = track(it.next());
  await drain();
  return result;
}

function valueOf<T>(tracked: Step<T>, what: string): T {
  const result = fulfilledValue(tracked, what);
  check(result !== null && typeof result === 'object' && result.done !== true, {
    expected: `${what} to resolve with a value ({ done: false, value })`,
    received: `it resolved with ${show(result)}`,
    hint: 'the iterator ended too early',
  });
  return result.value as T;
}

function expectDone(tracked: Step<unknown>, what: string, hint?: string): void {
  const result = fulfilledValue(tracked, what);
  check(result !== null && typeof result === 'object' && result.done === true, {
    expected: `${what} to resolve with { done: true }`,
    received: `it resolved with ${show(result)}`,
    hint: hint ?? 'once iteration has ended, next() resolves with { done: true } and makes no request',
  });
}

function expectPage(actual: Page<string>, expected: Page<string>, what: string): void {
  check(show(actual?.items) === show(expected.items) && actual?.nextToken === expected.nextToken, {
    expected: `${what} to be the page ${show(expected)}`,
    received: show(actual),
    hint: 'yield the pages fetchPage returns, one per request, in order',
  });
}

/** Up to `max` steps (a paginator that never ends fails here instead of hanging the suite). */
async function collect<T>(it: AsyncIterator<T>, what: string, max = 20): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < max; i++) {
    const result = fulfilledValue(await step(it), `next() call ${i + 1} on ${what}`);
    if (result?.done === true) return values;
    values.push(result.value as T);
  }
  return fail({
    expected: `${what} to end`,
    received: `it was still giving values after ${max} next() calls: ${show(values.slice(0, 4))}...`,
    hint: 'iteration ends after a page whose nextToken is absent, null or "", after maxPages pages, or on a repeated token',
  });
}

/** Fails with a precise message when a rejection went unhandled at this moment (the harness would only say so at the end). */
async function expectNoUnhandled(moment: string, hint: string): Promise<void> {
  await drain();
  const [unhandled] = takeUnhandled();
  if (unhandled !== undefined) {
    fail({
      expected: `no unhandled rejection ${moment}`,
      received: `an unhandled rejection: ${show(unhandled.reason)} (a default Node process crashes on it)`,
      hint,
    });
  }
}

/** The rejection of a next() that was waiting on a request when the signal aborted. */
function abortRejection(tracked: Step<unknown>, what: string): unknown {
  if (tracked.outcome.state === 'pending') {
    fail({
      expected: `${what} to reject with signal.reason as soon as the signal aborts`,
      received: 'it was still waiting for the request (this fetchPage ignores its signal, as many real ones do)',
      hint: "do not wait for fetchPage to notice the abort: race the request against the signal's abort event and reject with signal.reason",
    });
  }
  return rejectionReason(tracked, what);
}

const PREFETCH_UNHANDLED_HINT =
  'nobody awaits a prefetched request until the consumer asks for its page: attach a handler at once (prefetched.catch(() => {})) and let the rejection surface when you await it in next()';

/** Abort reasons that are not Errors: abort() accepts any value, and signal.reason is that value. */
const ODD_REASONS = (): Array<[unknown, string]> => [
  ['stop', "the string 'stop'"],
  [{ code: 'CANCELLED' }, "the plain object { code: 'CANCELLED' }"],
];
const ODD_REASON_HINT =
  'reject with signal.reason exactly as it is, even when it is not an Error: no new Error(String(reason)), the caller compares it with what they passed to abort()';

const itemsOf = (pages: Page<string>[]): string[] => pages.flatMap((p) => p?.items ?? []);

// ---------------------------------------------------------------------------------------------------

task('paginate', () => {
  behaviour('creating the iterator makes no request; the first next() makes the first request', async () => {
    const api = fakeApi(THREE_PAGES());
    const it = paginate(api.fetchPage);
    await drain();
    expectRequests(api, 0, 'after creating the iterator', 'be lazy: make the first request inside the first next(), not when the iterator is created');
    check(typeof it?.[Symbol.asyncIterator] === 'function' && typeof it.next === 'function', {
      expected: 'paginate() to return an async iterable iterator (next() and [Symbol.asyncIterator]())',
      received: show(it),
      hint: 'an async generator function (async function*) gives you one',
    });
    const iterator = it[Symbol.asyncIterator]();
    await drain();
    expectRequests(api, 0, 'after calling [Symbol.asyncIterator]()', 'be lazy: make the first request inside the first next()');
    const first = await step(iterator);
    expectRequests(api, 1, 'after the first next()');
    check(api.calls[0]!.token === undefined, {
      expected: 'the first request to carry token undefined (no startingToken given)',
      received: `token ${show(api.calls[0]!.token)}`,
    });
    api.respond(0);
    await drain();
    expectPage(valueOf(first, 'the first next()'), THREE_PAGES()[0]!, 'the first value');
  }, { points: 2 });

  behaviour('requests the next page only when the consumer asks for more, never ahead and never twice', async () => {
    const pages = THREE_PAGES();
    const api = fakeApi(pages);
    const it = paginate(api.fetchPage);
    for (let n = 0; n < pages.length; n++) {
      const result = await step(it);
      expectRequests(api, n + 1, `once the consumer has asked for page ${n + 1}`);
      api.respond(n);
      await drain();
      expectPage(valueOf(result, `next() for page ${n + 1}`), pages[n]!, `page ${n + 1}`);
      await drain();
      expectRequests(
        api,
        n + 1,
        `while the consumer holds page ${n + 1} and has not asked for more`,
        'without prefetch, do not request page n + 1 until next() is called again (no reading ahead, no fetching everything up front)',
      );
    }
    expectDone(await step(it), 'next() after the last page');
    expectDone(await step(it), 'another next() after the end');
    expectRequests(api, 3, 'for a 3-page listing read to its end');
  }, { points: 2 });

  behaviour("each request carries the previous page's nextToken, and pageSize and signal when given", async () => {
    const plain = fakeApi(THREE_PAGES(), { auto: true });
    await collect(paginate(plain.fetchPage), 'a paginator over 3 pages');
    check(show(plain.tokens()) === show([undefined, 't1', 't2']), {
      expected: "requests with the tokens [undefined, 't1', 't2']",
      received: `requests with the tokens ${show(plain.tokens())}`,
      hint: "page n + 1 is requested with page n's nextToken",
    });
    const signal = new AbortController().signal;
    const pages = [page(['a'], 'p2'), page(['b'], 'p3'), page(['c'], null)];
    const api = fakeApi(pages, { auto: true, startingToken: 'p1' });
    const values = await collect(paginate(api.fetchPage, { startingToken: 'p1', pageSize: 7, signal }), 'a paginator with startingToken "p1"');
    check(show(itemsOf(values)) === show(['a', 'b', 'c']) && show(api.tokens()) === show(['p1', 'p2', 'p3']), {
      expected: "3 pages, requested with the tokens ['p1', 'p2', 'p3'] (startingToken 'p1')",
      received: `${values.length} page(s), requested with the tokens ${show(api.tokens())}`,
      hint: 'the first request carries startingToken when it is given',
    });
    // fetchPage may keep its request (to log it, to retry it): one object per request, never changed afterwards.
    plain.calls.forEach((call, i) => {
      check(call.request?.token === call.token, {
        expected: `request ${i + 1}, looked at after the listing ended, to still carry the token it was made with (${show(call.token)})`,
        received: `it now carries ${show(call.request?.token)}: the same request object was changed for a later page`,
        hint: 'build a new request object for every page ({ token, pageSize, signal }); never reuse and change one',
      });
    });
    api.calls.forEach((call, i) => {
      check(call.pageSize === 7 && call.signal === signal, {
        expected: `request ${i + 1} to carry pageSize 7 and the caller's signal`,
        received: `pageSize ${show(call.pageSize)} and ${call.signal === signal ? 'the signal' : `signal ${show(call.signal)}`}`,
        hint: 'pass pageSize and signal in every request, not only the first',
      });
    });
  });

  behaviour('every request, prefetched ones included, carries its own token, the given pageSize (0 too) and signal', async () => {
    const signal = new AbortController().signal;
    const pages = (): Page<string>[] => [page(['a', 'b'], 'p2'), page(['c'], 'p3'), page([], 'p4'), page(['d'])];
    const runs: Array<[string, (api: FakeApi, options: PaginateOptions) => AsyncIterator<unknown>, PaginateOptions]> = [
      ['paginate with prefetch', (api, options) => paginate(api.fetchPage, options), { prefetch: true, pageSize: 5, signal }],
      ['paginateItems with prefetch', (api, options) => paginateItems(api.fetchPage, options), { prefetch: true, pageSize: 5, signal }],
      ['paginate with pageSize 0', (api, options) => paginate(api.fetchPage, options), { pageSize: 0, signal }],
      ['paginate with prefetch and pageSize 0', (api, options) => paginate(api.fetchPage, options), { prefetch: true, pageSize: 0 }],
      ['paginateItems with pageSize 0', (api, options) => paginateItems(api.fetchPage, options), { pageSize: 0 }],
    ];
    for (const [what, start, extra] of runs) {
      const options: PaginateOptions = { startingToken: 'p1', ...extra };
      const api = fakeApi(pages(), { auto: true, startingToken: 'p1' });
      await collect(start(api, options), `${what} (startingToken 'p1')`);
      check(show(api.tokens()) === show(['p1', 'p2', 'p3', 'p4']), {
        expected: `${what}: 4 requests with the tokens ['p1', 'p2', 'p3', 'p4']`,
        received: `requests with the tokens ${show(api.tokens())}`,
        hint: "the first request carries startingToken, every later one (prefetched or not) the nextToken of the page before it",
      });
      api.calls.forEach((call, i) => {
        check(call.pageSize === options.pageSize && (options.signal === undefined || call.signal === options.signal), {
          expected: `${what}: request ${i + 1} (token ${show(call.token)}) to carry pageSize ${options.pageSize}${options.signal ? " and the caller's signal" : ''}`,
          received: `pageSize ${show(call.pageSize)}${options.signal ? ` and ${call.signal === options.signal ? 'the signal' : `signal ${show(call.signal)}`}` : ''}`,
          hint:
            options.pageSize === 0
              ? 'pageSize 0 is a value the caller gave: pass it on (test pageSize !== undefined, not just pageSize)'
              : 'build every request the same way, the prefetched ones too: { token, pageSize, signal }',
        });
        check(call.request?.token === call.token, {
          expected: `${what}: request ${i + 1}, looked at after the listing ended, to still carry its token ${show(call.token)}`,
          received: `it now carries ${show(call.request?.token)}: the same request object was changed for a later page`,
          hint: 'build a new request object for every page; never reuse and change one',
        });
      });
    }
  });

  behaviour('a page whose nextToken is absent, null or "" is the last one, and it is still yielded', async () => {
    const endings: Array<[Page<string>, string]> = [
      [page(['b']), 'has no nextToken'],
      [page(['b'], null), 'has nextToken null'],
      [page(['b'], ''), 'has nextToken ""'],
      [page(['b'], undefined), 'has nextToken undefined'],
    ];
    for (const [last, what] of endings) {
      const api = fakeApi([page(['a'], 't1'), last], { auto: true });
      const values = await collect(paginate(api.fetchPage), `a paginator whose second page ${what}`);
      check(values.length === 2 && show(values[1]?.items) === show(['b']), {
        expected: `2 pages, the last one (which ${what}) included`,
        received: `${values.length} page(s): ${show(values)}`,
        hint: 'yield the last page first, then end',
      });
      expectRequests(api, 2, `when the second page ${what}`, 'a nextToken that is absent, null or "" means there is nothing more: "" is not a token to send');
    }
    // A listing of one page, requested with no token: its absent nextToken is not "the same token again".
    for (const [only, what] of endings) {
      const api = fakeApi([only], { auto: true });
      const it = paginate(api.fetchPage);
      valueOf(await step(it), `next() for the only page, which ${what}`);
      const after = await step(it);
      if (after.outcome.state === 'rejected') {
        fail({
          expected: `next() after the only page (requested with token undefined; it ${what}) to resolve { done: true }`,
          received: `it rejected with ${show(after.outcome.reason)}`,
          hint: 'check for the end of the listing (absent, null or "") before comparing nextToken with the token that requested the page: undefined === undefined is not a repeated token',
        });
      }
      expectDone(after, `next() after the only page, which ${what}`);
      expectRequests(api, 1, `for a listing of one page, which ${what}`);
    }
    // Only those three end the listing: any other string, one space included, is a token to send back.
    const spaced = fakeApi([page(['a'], ' '), page(['b'])], { auto: true });
    const both = await collect(paginate(spaced.fetchPage), "a paginator whose first page has nextToken ' ' (one space)");
    check(both.length === 2 && show(spaced.tokens()) === show([undefined, ' ']), {
      expected: "2 pages, the second one requested with the token ' ' (a nextToken of one space is a token, not the end)",
      received: `${both.length} page(s), requested with the tokens ${show(spaced.tokens())}`,
      hint: 'only an absent, null or "" nextToken ends the listing: test for exactly those three, without trim()',
    });
  });

  behaviour('yields an empty page that has a nextToken, then goes on to the next page', async () => {
    const pages = [page(['a'], 't1'), page([], 't2'), page([], 't3'), page(['b'])];
    const api = fakeApi(pages, { auto: true });
    const values = await collect(paginate(api.fetchPage), 'a paginator whose second and third pages are empty');
    check(values.length === 4 && show(values.map((v) => v?.items)) === show([['a'], [], [], ['b']]), {
      expected: "4 pages: ['a'], [], [], ['b']",
      received: show(values.map((v) => v?.items)),
      hint: 'an empty page is not the end: only its nextToken says whether more pages follow',
    });
    expectRequests(api, 4, 'for 4 pages, two of them empty');
  });

  behaviour('stopOnSameToken: the page that repeats its token is yielded and iteration ends', async () => {
    const api = fakeApi([page(['a'], 't1'), page(['b'], 't1')], { auto: true });
    const values = await collect(paginate(api.fetchPage, { stopOnSameToken: true }), 'a paginator with stopOnSameToken');
    check(show(itemsOf(values)) === show(['a', 'b']) && values.length === 2, {
      expected: "2 pages: ['a'], then ['b'] (requested with 't1', it returned 't1' again), then the end",
      received: `${values.length} page(s): ${show(values.map((v) => v?.items))}`,
      hint: 'with stopOnSameToken, yield the page that repeats its token, then stop quietly',
    });
    expectRequests(api, 2, "with stopOnSameToken, when page 2 returns 't1' again", "never request the same token twice: stop once a page returns the token that requested it");
    // The token that requested the very first page counts too.
    const fromStart = fakeApi([page(['x'], 's')], { auto: true, startingToken: 's' });
    const single = await collect(paginate(fromStart.fetchPage, { startingToken: 's', stopOnSameToken: true }), "a paginator starting at 's' whose first page returns 's'");
    check(single.length === 1 && fromStart.count === 1, {
      expected: "1 page and 1 request when the page requested with startingToken 's' returns 's'",
      received: `${single.length} page(s) and ${fromStart.count} request(s)`,
      hint: 'compare each nextToken with the token of the request that fetched it, startingToken included',
    });
  });

  behaviour('without stopOnSameToken, a repeated token rejects next() with an Error naming it, instead of looping', async () => {
    const variants: Array<[PaginateOptions, string]> = [
      [{}, 'with default options'],
      [{ stopOnSameToken: false }, 'with stopOnSameToken: false'],
      [{ prefetch: true }, 'with prefetch'],
    ];
    for (const [options, label] of variants) {
      const api = fakeApi([page(['a'], 't1'), page(['b'], 't1')], { auto: true });
      const it = paginate(api.fetchPage, options);
      valueOf(await step(it), 'next() for page 1');
      // Whether the repeating page itself is handed out before the error is not pinned: either way, the error comes next.
      let error: unknown;
      const second = await step(it);
      if (second.outcome.state === 'rejected') {
        error = rejectionReason(second, 'next() for page 2');
      } else {
        valueOf(second, 'next() for page 2');
        const third = await step(it);
        if (third.outcome.state === 'fulfilled') {
          fail({
            expected: `next() to reject ${label} once page 2 (requested with 't1') returned 't1' again`,
            received: `it resolved with ${show(third.outcome.value)}${api.count > 2 ? `, after requesting 't1' again (${api.count} requests)` : ''}`,
            hint: 'compare each nextToken with the token that requested the page: if they are equal, throw instead of looping forever',
          });
        }
        error = rejectionReason(third, "next() after the page that repeated 't1'");
      }
      check(error instanceof Error && String(error.message).includes('t1'), {
        expected: `an Error whose message names the repeated token 't1' (${label})`,
        received: `a rejection with ${show(error)}`,
        hint: 'throw new Error(`... ${token} ...`) so the caller can see which token repeated',
      });
      await drain();
      expectRequests(api, 2, `${label}, when page 2 returns the token 't1' that requested it`, "never request the same token twice (with prefetch, check the token before starting the next request)");
      // After the error the iterator is done: asking again must not request 't1' once more.
      for (let i = 0; i < 2; i++) {
        const later = await step(it);
        check(later.outcome.state === 'rejected' || (later.outcome.state === 'fulfilled' && later.outcome.value?.done === true), {
          expected: `next() after the repeated-token error (${label}) to resolve { done: true } (or reject)`,
          received: later.outcome.state === 'pending' ? 'it never settled' : `it resolved with ${show((later.outcome as { value: unknown }).value)}`,
          hint: 'after the repeated-token error the iterator is done',
        });
      }
      expectRequests(api, 2, `after the repeated-token error and 2 more next() calls (${label})`, "after the repeated-token error the iterator is done: a later next() makes no request (asking for 't1' again gets the same page, and the same error, forever)");
    }
  }, { points: 2 });

  behaviour('only the token that requested a page counts as repeated: a token seen earlier in the listing is requested again', async () => {
    // Tokens go A, B, A, B...: no page returns the token that requested it, so nothing repeats in the contract's sense.
    for (const prefetch of [false, true]) {
      const api = fakeApi([page(['x'], 'A'), page(['y'], 'B'), page(['z'], 'A')], { auto: true });
      const label = prefetch ? 'with prefetch' : 'without prefetch';
      const it = paginate(api.fetchPage, { maxPages: 5, prefetch });
      const values: Page<string>[] = [];
      for (let i = 0; i < 6; i++) {
        const result = await step(it);
        if (result.outcome.state === 'rejected') {
          fail({
            expected: `5 pages (maxPages 5) over tokens that come back A, B, A, B (${label})`,
            received: `next() call ${i + 1} rejected with ${show(result.outcome.reason)} after ${values.length} page(s)`,
            hint: 'compare a nextToken only with the token of the request that fetched that page, not with every token seen so far',
          });
        }
        const value = fulfilledValue(result, `next() call ${i + 1}`);
        if (value?.done === true) break;
        values.push(value.value);
      }
      check(values.length === 5 && show(api.tokens()) === show([undefined, 'A', 'B', 'A', 'B']), {
        expected: `5 pages, requested with the tokens [undefined, 'A', 'B', 'A', 'B'] (${label}, maxPages 5)`,
        received: `${values.length} page(s), requested with the tokens ${show(api.tokens())}`,
        hint: "page n + 1 is requested with page n's nextToken, even one that was seen before; only a page that returns its own request's token stops the listing",
      });
    }
  });

  behaviour('maxPages: after that many requests, iteration ends', async () => {
    const pages = [page(['a'], 't1'), page(['b'], 't2'), page(['c'], 't3'), page(['d'], 't4'), page(['e'])];
    for (const maxPages of [1, 2, 4, 5, 9]) {
      const api = fakeApi(pages, { auto: true });
      const values = await collect(paginate(api.fetchPage, { maxPages }), `a paginator with maxPages ${maxPages} over 5 pages`);
      const expected = Math.min(maxPages, 5);
      check(values.length === expected && api.count === expected, {
        expected: `${expected} page(s) and ${expected} request(s) with maxPages ${maxPages} over a 5-page listing`,
        received: `${values.length} page(s) and ${api.count} request(s)`,
        hint: 'count requests; once maxPages have been made, end without another request',
      });
    }
    const none = fakeApi(pages, { auto: true });
    const nothing = await collect(paginate(none.fetchPage, { maxPages: 0 }), 'a paginator with maxPages 0');
    check(nothing.length === 0 && none.count === 0, {
      expected: 'no page and no request with maxPages 0 ("fetch no more than 0 pages")',
      received: `${nothing.length} page(s) and ${none.count} request(s)`,
      hint: 'check the count before each request, not only after one',
    });
    // The iterator ends when the consumer asks after the last allowed page, without a request.
    const api = fakeApi(pages);
    const it = paginate(api.fetchPage, { maxPages: 2 });
    for (let n = 0; n < 2; n++) {
      const result = await step(it);
      api.respond(n);
      await drain();
      valueOf(result, `next() for page ${n + 1} (maxPages 2)`);
    }
    expectDone(await step(it), 'next() after 2 pages with maxPages 2');
    expectRequests(api, 2, 'with maxPages 2');
    // Every request counts, an empty page's too: for paginate and paginateItems, with and without prefetch.
    const withEmpty = (): Page<string>[] => [page(['a'], 't1'), page([], 't2'), page(['c'], 't3'), page(['d'], 't4'), page(['e'])];
    for (const kind of ['paginate', 'paginateItems'] as const) {
      for (const prefetch of [false, true]) {
        for (const maxPages of [2, 3]) {
          const label = `${kind}${prefetch ? ' with prefetch' : ''} and maxPages ${maxPages} over 5 pages whose page 2 is empty (with a nextToken)`;
          const limited = fakeApi(withEmpty(), { auto: true });
          const options = { maxPages, prefetch };
          const iterator: AsyncIterator<unknown> = kind === 'paginate' ? paginate(limited.fetchPage, options) : paginateItems(limited.fetchPage, options);
          const values = await collect(iterator, label);
          await drain();
          const allowed = withEmpty().slice(0, maxPages);
          const expected = kind === 'paginate' ? allowed.map((p) => p.items) : itemsOf(allowed);
          const got = kind === 'paginate' ? values.map((v) => (v as Page<string>)?.items) : values;
          check(show(got) === show(expected) && limited.count === maxPages, {
            expected: `${label}: ${kind === 'paginate' ? 'the pages' : 'the items'} ${show(expected)} from exactly ${maxPages} requests`,
            received: `${show(got)} from ${limited.count} request(s)`,
            hint: 'maxPages counts requests, whatever the page held: an empty page is a request too. With prefetch, never start a request beyond maxPages either',
          });
        }
      }
    }
  });

  behaviour('break or return() makes no further request, and the iterator is done afterwards', async () => {
    const api = fakeApi(THREE_PAGES(), { auto: true });
    const it = paginate(api.fetchPage);
    let seen = 0;
    for await (const _ of it) {
      seen++;
      break;
    }
    await drain();
    check(seen === 1, { expected: 'the for await loop to see 1 page before break', received: `${seen} pages` });
    expectRequests(api, 1, 'after breaking out of for await on the first page', 'break calls return(): stop there, with no further request');
    expectDone(await step(it), 'next() after a break', 'after break (which calls return()), the iterator is done: next() resolves { done: true } without a request');
    expectRequests(api, 1, 'after next() on an iterator left with break');

    const api2 = fakeApi(THREE_PAGES(), { auto: true });
    const it2 = paginate(api2.fetchPage);
    valueOf(await step(it2), 'next() for page 1');
    valueOf(await step(it2), 'next() for page 2');
    check(typeof it2.return === 'function', {
      expected: 'the iterator to have a return() method',
      received: 'it has none',
      hint: 'for await calls return() on break; async generators have one',
    });
    const returned = track(it2.return!());
    await drain();
    expectDone(returned as Step<Page<string>>, 'return() after 2 pages');
    expectDone(await step(it2), 'next() after return()');
    expectRequests(api2, 2, 'after return() on page 2 and another next()');

    const api3 = fakeApi(THREE_PAGES(), { auto: true });
    const it3 = paginate(api3.fetchPage);
    const early = track(it3.return!());
    await drain();
    expectDone(early as Step<Page<string>>, 'return() before any next()');
    expectDone(await step(it3), 'next() after return() was called before any next()');
    expectRequests(api3, 0, 'when return() came before any next()');
  }, { points: 2 });

  behaviour('return() while a page is on its way: once it arrives, no further request, and the iterator is done', async () => {
    for (const prefetch of [false, true]) {
      const label = prefetch ? 'with prefetch' : 'without prefetch';
      const api = fakeApi(THREE_PAGES());
      const it = paginate(api.fetchPage, { prefetch });
      const first = await step(it); // page 1 is on its way
      check(typeof it.return === 'function', { expected: 'the iterator to have a return() method', received: 'it has none', hint: 'for await calls return() on break; async generators have one' });
      const returned = track(it.return!());
      await drain();
      api.respond(0);
      await drain();
      // Whether the next() that was waiting gets page 1 or { done: true } is not pinned; it must be one of them.
      const waited = fulfilledValue(first, `the next() that was waiting for page 1 when return() was called (${label})`);
      const isPage1 = waited?.done === false && show(waited.value?.items) === show(['a', 'b']);
      check(isPage1 || waited?.done === true, {
        expected: `the next() that was waiting when return() was called (${label}) to resolve with page 1 ({ done: false, value: page }) or { done: true }`,
        received: `it resolved with ${show(waited)}`,
        hint: 'every next() resolves with a proper iterator result: { done: false, value } or { done: true, value: undefined }',
      });
      expectDone(returned as Step<Page<string>>, `return() called while page 1 was on its way (${label})`);
      expectDone(await step(it), `next() after return() (${label})`, 'after return() the iterator is done: next() resolves { done: true } without a request');
      // With prefetch too: return() came before page 1 was handed out, so page 2 must never be requested.
      check(api.count === 1, {
        expected: `exactly 1 request in all after return() while page 1 was on its way (${label})`,
        received: `${api.count} requests, with tokens ${show(api.tokens())}`,
        hint: prefetch
          ? "once return() has been called, start no request for a later page, not even the prefetch when page 1 arrives. An async generator's return() waits behind the next() that is still pending, so its body cannot see it: note the early exit in return() itself (a flag the body checks before prefetching)"
          : 'once return() has been called, start no request for a later page',
      });
    }
  });

  behaviour('a rejected fetchPage rejects that next() with the same error, and the iterator is done afterwards', async () => {
    const failure = new Error('page 2 is unavailable');
    const api = fakeApi(THREE_PAGES());
    const it = paginate(api.fetchPage);
    const first = await step(it);
    api.respond(0);
    await drain();
    valueOf(first, 'next() for page 1');
    const second = await step(it);
    api.failRequest(1, failure);
    await drain();
    const reason = rejectionReason(second, 'next() whose request rejects');
    check(reason === failure, {
      expected: `next() to reject with ${show(failure)}, the same object fetchPage rejected with`,
      received: `it rejected with ${show(reason)}`,
      hint: 'let the error through untouched: no wrapping, no new Error(...)',
    });
    expectDone(await step(it), 'next() after a request failed', 'after a failed request the iterator is done: no retry, no further request');
    expectRequests(api, 2, 'after the second request failed and next() was called again', 'after a failed request the iterator is done: no retry, no further request');

    const notAnError = fakeApi(THREE_PAGES());
    const it2 = paginate(notAnError.fetchPage);
    const firstOfTwo = await step(it2);
    notAnError.failRequest(0, 'busy');
    await drain();
    const busy = rejectionReason(firstOfTwo, "next() whose request rejects with the string 'busy'");
    check(busy === 'busy', { expected: "next() to reject with 'busy', as fetchPage did", received: show(busy) });
    expectDone(await step(it2), 'next() after the first request failed');
    expectRequests(notAnError, 1, 'after the first request failed');

    // The same with a signal that never aborts: the race against the signal must let the error through.
    const withSignal = fakeApi(THREE_PAGES());
    const it3 = paginate(withSignal.fetchPage, { signal: new AbortController().signal });
    const failed = await step(it3);
    withSignal.failRequest(0, failure);
    await drain();
    if (failed.outcome.state === 'pending') {
      fail({
        expected: `next() to reject with ${show(failure)} when a signal is given (and never aborts)`,
        received: 'it was still waiting after the request had rejected',
        hint: 'when you race the request against the signal, settle on the request\'s rejection too, not only on its value',
      });
    }
    check(rejectionReason(failed, 'next() whose request rejects, with a signal given') === failure, {
      expected: `next() to reject with ${show(failure)}, the same object, with a signal given`,
      received: show(failed.outcome),
    });
    expectDone(await step(it3), 'next() after a request failed, with a signal given');
    expectRequests(withSignal, 1, 'after the first request failed, with a signal given');
  });

  behaviour('next() calls made without awaiting are answered in order, with exactly one request per page', async () => {
    const pages = THREE_PAGES();
    const api = fakeApi(pages);
    const it = paginate(api.fetchPage);
    const results = [0, 1, 2, 3].map(() => track(it.next()));
    await drain();
    expectRequests(api, 1, 'after 4 next() calls at once (page 2 needs page 1\'s token)', 'with next() called several times without awaiting, queue the calls: one request at a time, each after the previous page arrived');
    for (let n = 0; n < 3; n++) {
      api.respond(n);
      await drain();
      expectRequests(api, Math.min(n + 2, 3), `after page ${n + 1} of 3 arrived, with 4 next() calls waiting`, 'answer the waiting next() calls one after another: never the same page twice, never a page skipped');
    }
    results.slice(0, 3).forEach((r, n) => expectPage(valueOf(r, `next() call ${n + 1} of 4 made at once`), pages[n]!, `the answer to next() call ${n + 1}`));
    expectDone(results[3]!, 'the 4th of 4 next() calls made at once over 3 pages');
    check(show(api.tokens()) === show([undefined, 't1', 't2']), {
      expected: "requests with the tokens [undefined, 't1', 't2']",
      received: show(api.tokens()),
      hint: 'each queued next() must wait for the page before it: it needs that page\'s nextToken',
    });

    // A failure in the middle: the calls queued behind it find the iterator done.
    const failure = new Error('first page failed');
    const failing = fakeApi(THREE_PAGES());
    const it2 = paginate(failing.fetchPage);
    const [a, b] = [track(it2.next()), track(it2.next())];
    await drain();
    failing.failRequest(0, failure);
    await drain();
    check(rejectionReason(a, 'the first of 2 next() calls made at once, whose request fails') === failure, {
      expected: `the first next() to reject with ${show(failure)}`,
      received: show(a.outcome),
    });
    expectDone(b, 'the second of 2 next() calls made at once, after the first one failed');
    expectRequests(failing, 1, 'when the first request failed with a second next() waiting');
  }, { points: 2 });

  behaviour('signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made', async () => {
    const reason = new Error('the user cancelled');
    const controller = new AbortController();
    const api = fakeApi(THREE_PAGES()); // this fetchPage ignores its signal: the paginator must not wait for it
    const it = paginate(api.fetchPage, { signal: controller.signal });
    const first = await step(it);
    api.respond(0);
    await drain();
    valueOf(first, 'next() for page 1');
    const second = await step(it);
    controller.abort(reason);
    await drain();
    const got = abortRejection(second, 'the pending next() once the signal aborted');
    check(got === reason, {
      expected: 'the pending next() to reject with signal.reason (the same object) as soon as the signal aborts',
      received: `it rejected with ${show(got)}`,
      hint: 'do not wait for fetchPage to notice the signal: race the request against the abort event and reject with signal.reason',
    });
    api.respond(1); // the page arrives late: it is ignored
    await drain();
    for (let i = 0; i < 2; i++) {
      const later = await step(it);
      check(later.outcome.state !== 'pending' && !(later.outcome.state === 'fulfilled' && later.outcome.value?.done === false), {
        expected: 'next() after the abort to reject with signal.reason or resolve { done: true }',
        received: later.outcome.state === 'pending' ? 'it never settled' : `it resolved with ${show((later.outcome as { value: unknown }).value)}`,
      });
    }
    expectRequests(api, 2, 'after the abort', 'once the signal has aborted, make no request at all');

    // signal.reason is whatever abort() was given, an Error or not: the pending next() rejects with it as it is.
    for (const [odd, what] of ODD_REASONS()) {
      const c = new AbortController();
      const oddApi = fakeApi(THREE_PAGES());
      const pending = await step(paginate(oddApi.fetchPage, { signal: c.signal }));
      c.abort(odd);
      await drain();
      check(abortRejection(pending, `the pending next() once the signal aborted with ${what}`) === odd, {
        expected: `the pending next() to reject with signal.reason, ${what}, itself`,
        received: show(pending.outcome),
        hint: ODD_REASON_HINT,
      });
    }

    // With prefetch, the pending request may be one the consumer has not asked for yet.
    const prefetchReason = new Error('cancelled while prefetching');
    const controller2 = new AbortController();
    const api2 = fakeApi(THREE_PAGES());
    const it2 = paginate(api2.fetchPage, { signal: controller2.signal, prefetch: true });
    const p1 = await step(it2);
    api2.respond(0);
    await drain();
    valueOf(p1, 'next() for page 1 (prefetch)');
    expectRequests(api2, 2, 'once page 1 was handed out with prefetch');
    controller2.abort(prefetchReason);
    await drain();
    const afterAbort = await step(it2);
    check(abortRejection(afterAbort, 'next() after an abort while page 2 was being prefetched') === prefetchReason, {
      expected: 'next() to reject with signal.reason when the signal aborted during the prefetch of its page',
      received: show(afterAbort.outcome),
      hint: 'check the signal (and race the pending request against it) whenever next() waits for a page',
    });
    expectRequests(api2, 2, 'after an abort during a prefetch');

    // A fetchPage that honours its signal (as fetch does) rejects the pending request after the abort: that
    // late rejection belongs to nobody, and must not surface as an unhandled rejection.
    for (const kind of ['paginate', 'paginateItems'] as const) {
      const controller3 = new AbortController();
      const reason3 = new Error(`cancelled (${kind})`);
      const api3 = fakeApi(THREE_PAGES());
      const options = { signal: controller3.signal };
      const it3: AsyncIterator<unknown> = kind === 'paginate' ? paginate(api3.fetchPage, options) : paginateItems(api3.fetchPage, options);
      const pending3 = await step(it3);
      controller3.abort(reason3);
      await drain();
      check(abortRejection(pending3, `${kind}: the pending next() once the signal aborted`) === reason3, {
        expected: `${kind}: the pending next() to reject with signal.reason`,
        received: show(pending3.outcome),
      });
      api3.failRequest(0, reason3); // the request notices the abort too, a moment later
      await expectNoUnhandled(
        `${kind}: when the request rejects after the abort has already rejected next()`,
        'keep a rejection handler on the request you raced against the signal: after an abort, its own rejection comes later and must be ignored',
      );
      const after3 = await step(it3);
      check(after3.outcome.state === 'rejected' || (after3.outcome.state === 'fulfilled' && after3.outcome.value?.done === true), {
        expected: `${kind}: next() after the abort to reject or resolve { done: true }`,
        received: show(after3.outcome),
      });
      expectRequests(api3, 1, `${kind}: after the abort and the request's late rejection`);
    }
  }, { points: 2 });

  behaviour('signal: an abort with several next() calls waiting rejects the first with signal.reason and settles every one of them', async () => {
    for (const [kind, prefetch] of [['paginate', false], ['paginateItems', true]] as const) {
      const label = `${kind}${prefetch ? ' with prefetch' : ''}`;
      const reason = new Error(`cancelled (${label})`);
      const controller = new AbortController();
      const api = fakeApi(THREE_PAGES());
      const options = { signal: controller.signal, prefetch };
      const it: AsyncIterator<unknown> = kind === 'paginate' ? paginate(api.fetchPage, options) : paginateItems(api.fetchPage, options);
      const waiting = [0, 1, 2].map(() => track(it.next()));
      await drain();
      expectRequests(api, 1, `${label}: with 3 next() calls waiting for page 1`);
      controller.abort(reason);
      await drain();
      check(abortRejection(waiting[0]!, `${label}: the first of 3 waiting next() calls`) === reason, {
        expected: `${label}: the first waiting next() to reject with signal.reason (the same object)`,
        received: show(waiting[0]!.outcome),
      });
      waiting.slice(1).forEach((w, i) => {
        check(w.outcome.state === 'rejected' || (w.outcome.state === 'fulfilled' && w.outcome.value?.done === true), {
          expected: `${label}: waiting next() call ${i + 2} of 3 to reject (with signal.reason) or resolve { done: true } once the signal aborted`,
          received: w.outcome.state === 'pending' ? 'it was still waiting: a caller left hanging forever' : `it resolved with ${show((w.outcome as { value: unknown }).value)}`,
          hint: 'when the signal aborts, settle every next() that is waiting, not only the first one',
        });
      });
      api.respond(0); // the page arrives late: nobody gets it
      await drain();
      waiting.slice(1).forEach((w, i) => {
        check(!(w.outcome.state === 'fulfilled' && w.outcome.value?.done === false), {
          expected: `${label}: waiting next() call ${i + 2} of 3 to get no value after the abort`,
          received: show(w.outcome),
        });
      });
      expectRequests(api, 1, `${label}: after an abort with 3 next() calls waiting`, 'once the signal has aborted, make no request at all');
    }
  });

  behaviour('signal: aborted before the start or between pages, the next next() rejects with signal.reason and makes no request', async () => {
    const before = new AbortController();
    const reason = new Error('aborted before starting');
    before.abort(reason);
    const api = fakeApi(THREE_PAGES(), { auto: true });
    const it = paginate(api.fetchPage, { signal: before.signal });
    const first = await step(it);
    check(rejectionReason(first, 'the first next() with a signal aborted before the iterator was created') === reason, {
      expected: 'the first next() to reject with signal.reason',
      received: show(first.outcome),
      hint: 'check signal.aborted (or call signal.throwIfAborted()) before every request',
    });
    expectRequests(api, 0, 'when the signal had aborted before the first next()', 'an aborted signal means no request at all');

    const later = new AbortController();
    const api2 = fakeApi(THREE_PAGES(), { auto: true });
    const it2 = paginate(api2.fetchPage, { signal: later.signal });
    later.abort(); // default reason: a DOMException named AbortError
    const first2 = await step(it2);
    check(rejectionReason(first2, 'the first next() after abort() between creating the iterator and calling next()') === later.signal.reason, {
      expected: 'the first next() to reject with signal.reason (an AbortError DOMException when abort() is given no reason)',
      received: show(first2.outcome),
    });
    expectRequests(api2, 0, 'when the signal aborted before the first next()');

    const between = new AbortController();
    const reason3 = new Error('aborted between pages');
    const api3 = fakeApi(THREE_PAGES(), { auto: true });
    const it3 = paginate(api3.fetchPage, { signal: between.signal });
    valueOf(await step(it3), 'next() for page 1');
    between.abort(reason3);
    const afterAbort = await step(it3);
    check(rejectionReason(afterAbort, 'next() after the signal aborted between pages') === reason3, {
      expected: 'next() to reject with signal.reason once the signal has aborted',
      received: show(afterAbort.outcome),
    });
    expectRequests(api3, 1, 'when the signal aborted after page 1 was handed out');

    // signal.reason is whatever abort() was given, an Error or not: next() rejects with it as it is.
    for (const [odd, what] of ODD_REASONS()) {
      const c = new AbortController();
      c.abort(odd);
      const api4 = fakeApi(THREE_PAGES(), { auto: true });
      const r = await step(paginate(api4.fetchPage, { signal: c.signal }));
      check(rejectionReason(r, `the first next() with a signal aborted with ${what}`) === odd, {
        expected: `the first next() to reject with signal.reason, ${what}, itself`,
        received: show(r.outcome),
        hint: ODD_REASON_HINT,
      });
      expectRequests(api4, 0, `when the signal had aborted with ${what} before the first next()`);
    }
  });

  behaviour('never mutates the options object; one options object gives every paginator the same behaviour', async () => {
    const signal = new AbortController().signal;
    const options: PaginateOptions = Object.freeze({ startingToken: 'p1', pageSize: 3, maxPages: 2, stopOnSameToken: false, prefetch: false, signal });
    const before = { ...options };
    const pages = [page(['a'], 'p2'), page(['b'], 'p3'), page(['c'])];
    const runs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const api = fakeApi(pages, { auto: true, startingToken: 'p1' });
      const values = await collect(paginate(api.fetchPage, options), `paginator ${run + 1} sharing one frozen options object`);
      runs.push(`${show(values.map((v) => v?.items))} with tokens ${show(api.tokens())}`);
    }
    const itemsApi = fakeApi(pages, { auto: true, startingToken: 'p1' });
    const items = await collect(paginateItems(itemsApi.fetchPage, options), 'paginateItems sharing the same frozen options object');
    check(runs[0] === runs[1] && runs[0] === "[ [ 'a' ], [ 'b' ] ] with tokens [ 'p1', 'p2' ]" && show(items) === show(['a', 'b']), {
      expected: "every paginator sharing options { startingToken: 'p1', maxPages: 2, ... } to give pages ['a'], ['b'] (tokens 'p1', 'p2')",
      received: `first: ${runs[0]}; second: ${runs[1]}; paginateItems: ${show(items)}`,
      hint: 'keep your own state (the current token, the page count) in local variables, never in the options object',
    });
    check(Object.keys(before).every((key) => (before as Record<string, unknown>)[key] === (options as Record<string, unknown>)[key]), {
      expected: 'the options object unchanged',
      received: show(options),
    });

    // Options with keys left out, or given as undefined: no key is added, removed or changed, and a frozen one works.
    const shapes: Array<[string, () => PaginateOptions]> = [
      ['{ pageSize: 2 }', () => ({ pageSize: 2 })],
      ['{ pageSize: 2, maxPages: undefined, stopOnSameToken: undefined, startingToken: undefined }', () => ({ pageSize: 2, maxPages: undefined, stopOnSameToken: undefined, startingToken: undefined })],
    ];
    const twoPages = [page(['a'], 't1'), page(['b'])];
    for (const [shape, make] of shapes) {
      for (const kind of ['paginate', 'paginateItems'] as const) {
        for (const prefetch of [undefined, true]) {
          const given = make();
          if (prefetch) given.prefetch = true;
          const snapshot = Object.entries(given);
          const label = `${kind} with options ${prefetch ? shape.replace(' }', ', prefetch: true }') : shape}`;
          for (const frozen of [false, true]) {
            const options = frozen ? Object.freeze({ ...given }) : given;
            const api = fakeApi(twoPages, { auto: true });
            const run = attempt(() => (kind === 'paginate' ? paginate(api.fetchPage, options) : paginateItems(api.fetchPage, options)));
            if (run.threw) fail({ expected: `${label}${frozen ? ' (frozen)' : ''} to return an iterator`, received: `it threw ${show(run.error)}`, hint: 'read the options into local variables (with defaults); never write to the caller\'s object' });
            const values = await collect(run.value as AsyncIterator<unknown>, `${label}${frozen ? ' (frozen)' : ''}`);
            check(values.length === 2 && api.count === 2, {
              expected: `${label}${frozen ? ', frozen,' : ''} to give 2 ${kind === 'paginate' ? 'pages' : 'items'} after 2 requests`,
              received: `${show(values)} after ${api.count} request(s)`,
              hint: 'a frozen options object must work: read the options into local variables (with defaults) instead of writing defaults into the caller\'s object',
            });
            if (!frozen) {
              check(show(Object.entries(options)) === show(snapshot), {
                expected: `the options object ${label.slice(label.indexOf('{'))} unchanged afterwards: the same keys with the same values`,
                received: show(options),
                hint: 'never write to the caller\'s options object: no default filled in (options.maxPages ??= ...), no key deleted, no state kept there; keep defaults in local variables',
              });
            }
          }
        }
      }
    }
  });
});

task('paginate with prefetch', () => {
  behaviour('prefetch: page n + 1 is requested as soon as page n is handed out, and never further ahead', async () => {
    // Page 2 is empty: it is handed out all the same, so page 3 is prefetched after it.
    const pages = [page(['a'], 't1'), page([], 't2'), page(['c'], 't3'), page(['d'])];
    const api = fakeApi(pages);
    const it = paginate(api.fetchPage, { prefetch: true });
    await drain();
    expectRequests(api, 0, 'after creating a prefetching iterator', 'prefetch does not make the iterator eager: the first request still waits for the first next()');
    const first = await step(it);
    expectRequests(api, 1, 'while page 1 is on its way');
    api.respond(0);
    await drain();
    valueOf(first, 'next() for page 1');
    expectRequests(api, 2, 'once page 1 has been handed out (prefetch)', 'with prefetch, start the request for page n + 1 as soon as page n is handed out, before the consumer asks');
    check(api.calls[1]?.token === 't1', { expected: "the prefetch to request token 't1'", received: show(api.calls[1]?.token) });
    api.respond(1);
    await drain();
    expectRequests(api, 2, 'when page 2 has arrived but the consumer has not asked for it', 'prefetch exactly one page: page n + 2 waits until page n + 1 is handed out');
    expectPage(valueOf(await step(it), 'next() for the prefetched page 2'), pages[1]!, 'page 2');
    expectRequests(api, 3, 'once page 2 (empty, with a nextToken) has been handed out', 'an empty page with a nextToken is handed out like any other: start the request for the page after it at once');
    // The consumer may ask before the prefetched page arrives.
    const third = await step(it);
    expectRequests(api, 3, 'while the consumer waits for the prefetched page 3');
    api.respond(2);
    await drain();
    expectPage(valueOf(third, 'next() for page 3'), pages[2]!, 'page 3');
    expectRequests(api, 4, 'once page 3 has been handed out');
    api.respond(3);
    await drain();
    expectPage(valueOf(await step(it), 'next() for page 4'), pages[3]!, 'page 4');
    expectDone(await step(it), 'next() after the last page');
    expectRequests(api, 4, 'for 4 pages read with prefetch');
  }, { points: 2 });

  behaviour('prefetch: stops at the last page, at maxPages and at a repeated token', async () => {
    const cases: Array<[Page<string>[], PaginateOptions, number, string]> = [
      [[page(['a'], 't1'), page(['b'], '')], {}, 2, 'the last page (nextToken "")'],
      [[page(['a'], 't1'), page(['b'], 't2'), page(['c'], 't3'), page(['d'])], { maxPages: 2 }, 2, 'maxPages 2'],
      [[page(['a'], 't1'), page(['b'], 't1'), page(['c'])], { stopOnSameToken: true }, 2, 'a page that repeats its token (stopOnSameToken)'],
    ];
    for (const [pages, options, expected, what] of cases) {
      const api = fakeApi(pages, { auto: true });
      const values = await collect(paginate(api.fetchPage, { ...options, prefetch: true }), `a prefetching paginator ending at ${what}`);
      check(values.length === expected, { expected: `${expected} pages before ${what}`, received: `${values.length} page(s)` });
      expectRequests(api, expected, `with prefetch, ending at ${what}`, 'prefetch only a page that will really be handed out: not after the last page, not beyond maxPages, not a repeated token');
    }
  });

  behaviour('prefetch: an early exit discards the prefetched page and makes no further request', async () => {
    const api = fakeApi(THREE_PAGES());
    const it = paginate(api.fetchPage, { prefetch: true });
    const first = await step(it);
    api.respond(0);
    await drain();
    valueOf(first, 'next() for page 1');
    expectRequests(api, 2, 'once page 1 has been handed out (prefetch)');
    const returned = track(it.return!());
    await drain();
    api.respond(1); // the prefetched page arrives after the exit, with a nextToken
    await drain();
    expectDone(returned as Step<Page<string>>, 'return() while page 2 was being prefetched');
    expectDone(await step(it), 'next() after return()', 'after an early exit the prefetched page is dropped: next() resolves { done: true }');
    expectRequests(api, 2, 'after an early exit and the prefetched page arriving');

    // A prefetched request that fails after the consumer has left must not surface anywhere.
    const failing = fakeApi(THREE_PAGES(), { auto: false });
    const it2 = paginate(failing.fetchPage, { prefetch: true });
    const p1 = await step(it2);
    failing.respond(0);
    await drain();
    valueOf(p1, 'next() for page 1');
    const left = track(it2.return!()); // the consumer leaves while page 2 is being prefetched
    await drain();
    expectDone(left as Step<Page<string>>, 'return() while page 2 was being prefetched');
    failing.failRequest(1, new Error('prefetched page 2 failed after the consumer left'));
    await expectNoUnhandled('when a prefetched request fails after the consumer has left', PREFETCH_UNHANDLED_HINT);
    expectRequests(failing, 2, 'after leaving while page 2 was being prefetched');
  });

  behaviour('prefetch: a prefetched request that rejects surfaces as the rejection of the next() that would have returned it, never as an unhandled rejection', async () => {
    const failure = new Error('prefetched page 2 failed');
    const api = fakeApi(THREE_PAGES());
    const it = paginate(api.fetchPage, { prefetch: true });
    const first = await step(it);
    api.respond(0);
    await drain();
    valueOf(first, 'next() for page 1');
    expectRequests(api, 2, 'once page 1 has been handed out (prefetch)');
    api.failRequest(1, failure); // the consumer has not asked for page 2 yet
    await expectNoUnhandled('when a prefetched request rejects before the consumer asks for its page', PREFETCH_UNHANDLED_HINT);
    const second = await step(it);
    const reason = rejectionReason(second, 'next() for the page whose prefetch rejected');
    check(reason === failure, {
      expected: `next() for page 2 to reject with ${show(failure)}, the same object`,
      received: `it rejected with ${show(reason)}`,
    });
    expectDone(await step(it), 'next() after the prefetched request failed');
    expectRequests(api, 2, 'after the prefetched request failed');

    // The consumer already waiting when the prefetch rejects.
    const waiting = fakeApi(THREE_PAGES());
    const it2 = paginate(waiting.fetchPage, { prefetch: true });
    const a = await step(it2);
    waiting.respond(0);
    await drain();
    valueOf(a, 'next() for page 1');
    const b = await step(it2);
    waiting.failRequest(1, failure);
    await expectNoUnhandled('when a prefetched request rejects while the consumer waits for it', PREFETCH_UNHANDLED_HINT);
    check(rejectionReason(b, 'the waiting next() whose prefetched page failed') === failure, {
      expected: `the waiting next() to reject with ${show(failure)}`,
      received: show(b.outcome),
    });
  }, { points: 2 });

  behaviour('prefetch: next() calls made without awaiting are answered in order, with exactly one request per page', async () => {
    const pages = [page(['a'], 't1'), page(['b'], 't2'), page(['c'], 't3'), page(['d'])];
    const api = fakeApi(pages);
    const it = paginate(api.fetchPage, { prefetch: true });
    const first = track(it.next());
    await drain();
    api.respond(0);
    await drain();
    expectPage(valueOf(first, 'next() for page 1'), pages[0]!, 'page 1');
    expectRequests(api, 2, 'once page 1 has been handed out (prefetch)');
    // Page 2 is being prefetched; the consumer now asks for 4 more at once.
    const results = [0, 1, 2, 3].map(() => track(it.next()));
    await drain();
    expectRequests(api, 2, 'with 4 next() calls waiting while page 2 is being prefetched (page 3 needs page 2\'s token)', 'a next() that finds a prefetch on its way waits for it; the calls behind it wait their turn: never request the same page twice');
    for (let n = 1; n < 4; n++) {
      api.respond(n);
      await drain();
      expectRequests(api, Math.min(n + 2, 4), `after page ${n + 1} of 4 arrived, with next() calls waiting (prefetch)`, 'answer the waiting next() calls one after another, each with the page prefetched for it: never the same page twice, never a page skipped');
    }
    results.slice(0, 3).forEach((r, n) => expectPage(valueOf(r, `next() call ${n + 1} of 4 made at once`), pages[n + 1]!, `the answer to next() call ${n + 1} of 4 made at once`));
    expectDone(results[3]!, 'the 4th of 4 next() calls made at once, after the last page');
    check(show(api.tokens()) === show([undefined, 't1', 't2', 't3']), {
      expected: "requests with the tokens [undefined, 't1', 't2', 't3']",
      received: show(api.tokens()),
      hint: 'each page is requested once, with the nextToken of the page before it, whether prefetched or asked for',
    });

    // The same for items: 7 next() calls at once from the start.
    const itemPages = [page(['a', 'b'], 't1'), page(['c'], 't2'), page(['d', 'e'])];
    const items = fakeApi(itemPages);
    const itemsIt = paginateItems(items.fetchPage, { prefetch: true });
    const all = Array.from({ length: 7 }, () => track(itemsIt.next()));
    await drain();
    expectRequests(items, 1, 'after 7 next() calls at once on paginateItems with prefetch');
    for (let n = 0; n < 3; n++) {
      items.respond(n);
      await drain();
      check(items.count <= Math.min(n + 2, 3), {
        expected: `at most ${Math.min(n + 2, 3)} requests once ${n + 1} page(s) of 3 arrived (prefetch reads one page ahead)`,
        received: `${items.count} requests, with tokens ${show(items.tokens())}`,
        hint: 'with next() calls waiting, prefetch still reads one page ahead, each page once',
      });
    }
    const values = all.slice(0, 5).map((r, i) => valueOf(r, `next() call ${i + 1} of 7 made at once`));
    check(show(values) === show(['a', 'b', 'c', 'd', 'e']) && show(items.tokens()) === show([undefined, 't1', 't2']), {
      expected: "the items ['a', 'b', 'c', 'd', 'e'] in order, from 3 requests with the tokens [undefined, 't1', 't2']",
      received: `${show(values)}, from requests with the tokens ${show(items.tokens())}`,
      hint: 'queue next() calls made without awaiting, prefetch or not: answer each one after the previous',
    });
    expectDone(all[5]!, 'next() call 6 of 7 made at once over 5 items');
    expectDone(all[6]!, 'next() call 7 of 7 made at once over 5 items');
  }, { points: 2 });

  behaviour('prefetch: once the signal aborts, a page already prefetched is not handed out; next() rejects with signal.reason', async () => {
    for (const kind of ['paginate', 'paginateItems'] as const) {
      const reason = new Error(`cancelled (${kind})`);
      const controller = new AbortController();
      const api = fakeApi([page(['a'], 't1'), page(['b'], 't2'), page(['c'])]);
      const it: AsyncIterator<unknown> = kind === 'paginate' ? paginate(api.fetchPage, { prefetch: true, signal: controller.signal }) : paginateItems(api.fetchPage, { prefetch: true, signal: controller.signal });
      const first = await step(it);
      api.respond(0);
      await drain();
      valueOf(first, `${kind}: next() for page 1`);
      expectRequests(api, 2, `${kind}: once page 1 has been handed out (prefetch)`);
      api.respond(1); // page 2 has arrived and waits for the consumer
      await drain();
      controller.abort(reason);
      const after = await step(it);
      if (after.outcome.state === 'fulfilled') {
        fail({
          expected: `${kind}: next() after the abort to reject with signal.reason`,
          received: `it resolved with ${show(after.outcome.value)}: the prefetched page was handed out after the signal aborted`,
          hint: 'check the signal whenever next() is about to hand out a page, also one that was prefetched before the abort',
        });
      }
      check(rejectionReason(after, `${kind}: next() after the abort`) === reason, {
        expected: `${kind}: next() after the abort to reject with signal.reason (the same object)`,
        received: show(after.outcome),
      });
      await step(it);
      expectRequests(api, 2, `${kind}: after the abort`, 'once the signal has aborted, make no request at all');
    }
  });
});

task('paginateItems', () => {
  behaviour('yields the items of every page in order, going past empty pages', async () => {
    const pages = [page(['a', 'b'], 't1'), page([], 't2'), page([], 't3'), page(['c'], 't4'), page(['d', 'e'])];
    const api = fakeApi(pages, { auto: true });
    const items = await collect(paginateItems(api.fetchPage), 'paginateItems over 5 pages, two of them empty');
    check(show(items) === show(['a', 'b', 'c', 'd', 'e']), {
      expected: "['a', 'b', 'c', 'd', 'e']",
      received: show(items),
      hint: 'an empty page with a nextToken is not the end: skip it and go on to the next page',
    });
    expectRequests(api, 5, 'for 5 pages, two of them empty');
    const empty = fakeApi([page([], 't1'), page([], null)], { auto: true });
    const none = await collect(paginateItems(empty.fetchPage), 'paginateItems over 2 empty pages');
    check(none.length === 0 && empty.count === 2, {
      expected: 'no items, after 2 requests, from 2 empty pages',
      received: `${show(none)} after ${empty.count} request(s)`,
    });
  });

  behaviour("lazy: no request before the first next(), and page n + 1 only when asked for after page n's last item", async () => {
    const pages = [page(['a', 'b'], 't1'), page(['c'], 't2'), page(['d'])];
    const api = fakeApi(pages);
    const it = paginateItems(api.fetchPage);
    await drain();
    expectRequests(api, 0, 'after creating the iterator', 'be lazy: make the first request inside the first next()');
    const a = await step(it);
    expectRequests(api, 1, 'after the first next()');
    api.respond(0);
    await drain();
    check(valueOf(a, 'the first next()') === 'a', { expected: "'a'", received: show(a.outcome) });
    const b = await step(it);
    check(valueOf(b, 'the second next()') === 'b', { expected: "'b' from page 1, without a request", received: show(b.outcome) });
    expectRequests(api, 1, "once page 1's last item 'b' has been handed out and the consumer has not asked for more", "request page 2 only when the consumer calls next() after page 1's last item");
    const c = await step(it);
    expectRequests(api, 2, "once the consumer asked for more after page 1's last item");
    api.respond(1);
    await drain();
    check(valueOf(c, 'the third next()') === 'c', { expected: "'c'", received: show(c.outcome) });
    expectRequests(api, 2, "once page 2's last item 'c' has been handed out");
    const d = await step(it);
    api.respond(2);
    await drain();
    check(valueOf(d, 'the fourth next()') === 'd', { expected: "'d'", received: show(d.outcome) });
    expectDone(await step(it), 'next() after the last item');
    expectRequests(api, 3, 'for 3 pages read to the end');
  }, { points: 2 });

  behaviour('next() calls made without awaiting get the items in order, with exactly one request per page', async () => {
    const pages = [page(['a', 'b'], 't1'), page(['c'], 't2'), page(['d', 'e'])];
    const api = fakeApi(pages);
    const it = paginateItems(api.fetchPage);
    const results = Array.from({ length: 6 }, () => track(it.next()));
    await drain();
    expectRequests(api, 1, 'after 6 next() calls at once', 'queue next() calls made without awaiting: one request at a time, each after the previous page arrived');
    for (let n = 0; n < 3; n++) {
      api.respond(n);
      await drain();
    }
    const values = results.slice(0, 5).map((r, i) => valueOf(r, `next() call ${i + 1} of 6 made at once`));
    check(show(values) === show(['a', 'b', 'c', 'd', 'e']), {
      expected: "the 5 items ['a', 'b', 'c', 'd', 'e'], in order",
      received: show(values),
      hint: 'queue next() calls made without awaiting: answer each one after the previous',
    });
    expectDone(results[5]!, 'next() call 6 of 6, made at once over 5 items');
    expectRequests(api, 3, 'for 6 next() calls at once over 3 pages');
    check(show(api.tokens()) === show([undefined, 't1', 't2']), { expected: "tokens [undefined, 't1', 't2']", received: show(api.tokens()) });
  });

  behaviour('break makes no further request, even on the last item of a page', async () => {
    for (const stopAt of ['a', 'b']) {
      const api = fakeApi([page(['a', 'b'], 't1'), page(['c'])], { auto: true });
      const it = paginateItems(api.fetchPage);
      for await (const item of { [Symbol.asyncIterator]: () => it }) {
        if (item === stopAt) break;
      }
      await drain();
      expectRequests(api, 1, `after a break on item '${stopAt}' of page 1`, 'break calls return(): stop there; do not look ahead to the next page to find out whether there is more');
      expectDone(await step(it), `next() after a break on '${stopAt}'`);
      expectRequests(api, 1, `after a break on '${stopAt}' and another next()`);
    }
    const early = fakeApi([page(['a', 'b'], 't1'), page(['c'])], { auto: true });
    const it = paginateItems(early.fetchPage);
    check(typeof it.return === 'function', { expected: 'the iterator of paginateItems to have a return() method', received: 'it has none', hint: 'for await calls return() on break; async generators have one' });
    const returned = track(it.return!());
    await drain();
    expectDone(returned as Step<string>, 'return() on paginateItems before any next()');
    expectDone(await step(it), 'next() after return() was called before any next()', 'after return() the iterator is done: next() resolves { done: true } without a request');
    expectRequests(early, 0, 'when return() came before any next() on paginateItems');
  });

  behaviour('return() while a page is on its way, with or without prefetch: no further request, and the iterator is done', async () => {
    // Page 1 of two items, then of one item (whose first item is also its last: a prefetch at either would start).
    for (const [prefetch, pages] of [[false, THREE_PAGES()], [true, THREE_PAGES()], [true, [page(['a'], 't1'), page(['b'])]]] as const) {
      const label = `${prefetch ? 'with prefetch' : 'without prefetch'}, page 1 holding ${show(pages[0]!.items)}`;
      const api = fakeApi([...pages]);
      const it = paginateItems(api.fetchPage, { prefetch });
      const first = await step(it); // page 1 is on its way
      const returned = track(it.return!());
      await drain();
      api.respond(0);
      await drain();
      // Whether the next() that was waiting gets 'a' or { done: true } is not pinned; it must be one of them.
      const waited = fulfilledValue(first, `the next() that was waiting for page 1 when return() was called (${label})`);
      check((waited?.done === false && waited.value === 'a') || waited?.done === true, {
        expected: `the next() that was waiting when return() was called (${label}) to resolve with 'a' ({ done: false, value: 'a' }) or { done: true }`,
        received: `it resolved with ${show(waited)}`,
        hint: 'every next() resolves with a proper iterator result: { done: false, value } or { done: true, value: undefined }',
      });
      expectDone(returned as Step<string>, `return() on paginateItems called while page 1 was on its way (${label})`);
      expectDone(await step(it), `next() after return() (${label})`, 'after return() the iterator is done: next() resolves { done: true } without a request');
      expectRequests(
        api,
        1,
        `in all after return() on paginateItems while page 1 was on its way (${label})`,
        "once return() has been called, start no request for a later page, not even the prefetch when page 1 arrives: the paginator inside paginateItems must learn of the early exit at once, not only after the pending next() has been answered",
      );
    }
  });

  behaviour('signal: an abort in the middle of a page rejects the next next() with signal.reason, items already fetched included, and makes no further request', async () => {
    for (const prefetch of [false, true]) {
      const label = prefetch ? 'with prefetch' : 'without prefetch';
      const reason = new Error(`cancelled mid-page (${label})`);
      const controller = new AbortController();
      const api = fakeApi([page(['a', 'b', 'c'], 't1'), page(['d'], 't2'), page(['e'])]);
      const it = paginateItems(api.fetchPage, { prefetch, signal: controller.signal });
      const first = await step(it);
      api.respond(0);
      await drain();
      check(valueOf(first, `the first next() (${label})`) === 'a', { expected: "'a'", received: show(first.outcome) });
      const before = api.count;
      controller.abort(reason); // 'b' and 'c' are already fetched, but not handed out yet
      const after = await step(it);
      if (after.outcome.state === 'fulfilled') {
        fail({
          expected: `next() after the signal aborted in the middle of page 1 (${label}) to reject with signal.reason`,
          received: `it resolved with ${show(after.outcome.value)}`,
          hint: "once the signal has aborted, hand out nothing more, not even the rest of a page already fetched: check the signal before each item (signal.throwIfAborted())",
        });
      }
      check(rejectionReason(after, `next() after the abort (${label})`) === reason, {
        expected: `next() after the signal aborted in the middle of page 1 (${label}) to reject with signal.reason (the same object)`,
        received: show(after.outcome),
      });
      // A page 2 prefetched before the abort (when page 1 was handed out at its first item) arrives: it goes nowhere.
      if (api.count > 1) api.respond(1);
      const later = await step(it);
      check(later.outcome.state === 'rejected' || (later.outcome.state === 'fulfilled' && later.outcome.value?.done === true), {
        expected: `the next() after the one that rejected (${label}) to reject or resolve { done: true }`,
        received: show(later.outcome),
      });
      expectRequests(api, before, `after the signal aborted in the middle of page 1 (${label})`, 'once the signal has aborted, make no request at all');
    }
  });

  behaviour('takes the same options as paginate: startingToken, pageSize, signal, maxPages, stopOnSameToken', async () => {
    const signal = new AbortController().signal;
    const api = fakeApi([page(['a'], 'p2'), page(['b'], 'p3'), page(['c'])], { auto: true, startingToken: 'p1' });
    const items = await collect(paginateItems(api.fetchPage, { startingToken: 'p1', pageSize: 4, signal }), 'paginateItems starting at p1');
    check(show(items) === show(['a', 'b', 'c']) && show(api.tokens()) === show(['p1', 'p2', 'p3']) && api.calls.every((c) => c.pageSize === 4 && c.signal === signal), {
      expected: "['a', 'b', 'c'], requested with tokens ['p1', 'p2', 'p3'], each with pageSize 4 and the signal",
      received: `${show(items)}, tokens ${show(api.tokens())}, pageSize ${show(api.calls.map((c) => c.pageSize))}`,
      hint: 'pass the options on to the pages: paginateItems can be written on top of paginate',
    });
    const limited = fakeApi(THREE_PAGES(), { auto: true });
    const firstTwo = await collect(paginateItems(limited.fetchPage, { maxPages: 2 }), 'paginateItems with maxPages 2');
    check(show(firstTwo) === show(['a', 'b', 'c', 'd']) && limited.count === 2, {
      expected: "['a', 'b', 'c', 'd'] from 2 requests with maxPages 2",
      received: `${show(firstTwo)} from ${limited.count} request(s)`,
    });
    const repeating = fakeApi([page(['a'], 't1'), page(['b'], 't1')], { auto: true });
    const stopped = await collect(paginateItems(repeating.fetchPage, { stopOnSameToken: true }), 'paginateItems with stopOnSameToken');
    check(show(stopped) === show(['a', 'b']) && repeating.count === 2, {
      expected: "['a', 'b'] from 2 requests when page 2 repeats its token (stopOnSameToken)",
      received: `${show(stopped)} from ${repeating.count} request(s)`,
    });
    const looping = fakeApi([page(['a'], 't1'), page(['b'], 't1')], { auto: true });
    const it = paginateItems(looping.fetchPage);
    let error: unknown;
    for (let i = 0; i < 4 && error === undefined; i++) {
      const result = await step(it);
      if (result.outcome.state === 'rejected') error = rejectionReason(result, 'next()');
      else if (fulfilledValue(result, `next() call ${i + 1}`).done) break;
    }
    check(error instanceof Error && String(error.message).includes('t1') && looping.count === 2, {
      expected: "a next() to reject with an Error naming 't1' after 2 requests, when page 2 repeats its token",
      received: error === undefined ? `no rejection (${looping.count} requests)` : `${show(error)} after ${looping.count} request(s)`,
      hint: 'without stopOnSameToken, a repeated token is an error, for items as for pages',
    });
  });

  behaviour('a failed request or an abort rejects next() with that same error, and then the iterator is done', async () => {
    const failure = new Error('page 2 failed');
    const api = fakeApi(THREE_PAGES());
    const it = paginateItems(api.fetchPage);
    const a = await step(it);
    api.respond(0);
    await drain();
    valueOf(a, 'next() for item a');
    valueOf(await step(it), 'next() for item b');
    const c = await step(it);
    api.failRequest(1, failure);
    await drain();
    check(rejectionReason(c, 'next() whose page request failed') === failure, {
      expected: `next() to reject with ${show(failure)}, the same object`,
      received: show(c.outcome),
    });
    expectDone(await step(it), 'next() after the failure');
    expectRequests(api, 2, 'after a failed request and another next()');

    const controller = new AbortController();
    const reason = new Error('stop');
    const aborted = fakeApi(THREE_PAGES());
    const it2 = paginateItems(aborted.fetchPage, { signal: controller.signal });
    const pending = await step(it2);
    controller.abort(reason);
    await drain();
    check(abortRejection(pending, 'the pending next() once the signal aborted') === reason, {
      expected: 'the pending next() to reject with signal.reason as soon as the signal aborts',
      received: show(pending.outcome),
    });
    aborted.respond(0);
    await drain();
    const after = await step(it2);
    check(after.outcome.state === 'rejected' || (after.outcome.state === 'fulfilled' && after.outcome.value?.done === true), {
      expected: 'next() after the abort to reject or resolve { done: true }',
      received: show(after.outcome),
    });
    expectRequests(aborted, 1, 'after the abort');
  });

  behaviour("prefetch: page n + 1 is on its way by the time page n's last item is handed out; its failure surfaces only after page n's items", async () => {
    const pages = [page(['a', 'b', 'c'], 't1'), page(['d', 'e'], 't2'), page(['f'])];
    const api = fakeApi(pages);
    const it = paginateItems(api.fetchPage, { prefetch: true });
    const first = await step(it);
    api.respond(0);
    await drain();
    const seen = [valueOf(first, 'the first next()')];
    while (seen.length < 3) seen.push(valueOf(await step(it), `next() for item ${seen.length + 1}`));
    expectRequests(api, 2, "once page 1's last item 'c' has been handed out (prefetch)", 'with prefetch, the request for page n + 1 starts as soon as page n is handed out, so it is on its way before the consumer asks for more');
    api.respond(1);
    await drain();
    seen.push(valueOf(await step(it), 'next() for item 4'));
    check(api.count <= 3, {
      expected: "at most 3 requests while the consumer is on item 'd' of page 2 (prefetch reads one page ahead)",
      received: `${api.count} requests`,
      hint: 'prefetch one page, not all of them',
    });
    seen.push(valueOf(await step(it), 'next() for item 5'));
    expectRequests(api, 3, "once page 2's last item has been handed out (prefetch)");
    api.respond(2);
    await drain();
    seen.push(valueOf(await step(it), 'next() for item 6'));
    expectDone(await step(it), 'next() after the last item');
    check(show(seen) === show(['a', 'b', 'c', 'd', 'e', 'f']), { expected: "['a', 'b', 'c', 'd', 'e', 'f']", received: show(seen) });

    // The prefetch of page 2 fails while items of page 1 are still to come: those items come first.
    const failure = new Error('prefetched page 2 failed');
    const failing = fakeApi(pages);
    const it2 = paginateItems(failing.fetchPage, { prefetch: true });
    const x = await step(it2);
    failing.respond(0);
    await drain();
    const got = [valueOf(x, 'the first next()')];
    let failed = false;
    const failIfStarted = async () => {
      check(failing.count <= 2, {
        expected: 'at most one page requested ahead of the consumer',
        received: `${failing.count} requests while the consumer is on page 1`,
        hint: 'prefetch one page, not all of them',
      });
      if (!failed && failing.count === 2) {
        failed = true;
        failing.failRequest(1, failure);
        await expectNoUnhandled('when a prefetched page fails before the consumer asks for it', PREFETCH_UNHANDLED_HINT);
      }
    };
    await failIfStarted();
    while (got.length < 3) {
      const next = await step(it2);
      if (next.outcome.state === 'rejected') {
        fail({
          expected: `item ${got.length + 1} ('${['a', 'b', 'c'][got.length]}') of page 1 first: the prefetched page 2's failure belongs to the next() after page 1's last item`,
          received: `next() rejected with ${show(next.outcome.reason)} while page 1 still had items`,
          hint: "hand out every item you already have before surfacing the prefetched page's error",
        });
      }
      got.push(valueOf(next, `next() for item ${got.length + 1}`));
      await failIfStarted();
    }
    check(failed, {
      expected: "page 2 to be requested by the time page 1's last item was handed out (prefetch)",
      received: `${failing.count} request(s)`,
    });
    const afterPage1 = await step(it2);
    check(rejectionReason(afterPage1, "the next() after page 1's last item, whose prefetched page failed") === failure, {
      expected: `it to reject with ${show(failure)}, the same object`,
      received: show(afterPage1.outcome),
    });
    expectDone(await step(it2), 'next() after the failure');
    expectRequests(failing, 2, 'after the prefetched page failed');
  }, { points: 2 });

  behaviour('hundreds of pages read at a random pace, with and without prefetch: every item once, in order, one request per page', async () => {
    const random = seededRandom(20261207);
    const PAGES = 150;
    for (const [kind, prefetch] of [['paginate', false], ['paginate', true], ['paginateItems', false], ['paginateItems', true]] as const) {
      const label = `${kind}${prefetch ? ' with prefetch' : ''} over ${PAGES} pages`;
      // 0 to 4 items a page (about one page in five is empty); the last page ends with an absent, null or "" nextToken.
      let counter = 0;
      const pages = Array.from({ length: PAGES }, (_, i) => {
        const items = Array.from({ length: randomInt(random, 0, 4) }, () => `i${counter++}`);
        return i + 1 < PAGES ? page(items, `t${i + 1}`) : [page(items), page(items, null), page(items, '')][randomInt(random, 0, 2)]!;
      });
      const expected = kind === 'paginate' ? pages.map((p) => p.items.join(',')) : pages.flatMap((p) => p.items);
      const api = fakeApi(pages);
      const it: AsyncIterator<unknown> = kind === 'paginate' ? paginate(api.fetchPage, { prefetch }) : paginateItems(api.fetchPage, { prefetch });
      const results: Step<unknown>[] = [];
      let answered = 0; // requests the fake API has answered
      let firstPending = 0;
      let handedOut = 0; // values handed out so far
      let ended = false;
      for (let round = 0; !ended; round++) {
        if (round > 30 * PAGES) {
          fail({
            expected: `${label} to end after ${expected.length} values`,
            received: `${handedOut} values handed out and ${api.count} requests made after ${round} rounds of next() calls and answers`,
            hint: 'every next() must settle once its page has arrived, and iteration ends after the last page',
          });
        }
        // The consumer asks for 1 to 3 values at once, or waits; the API answers every request made so far, or waits.
        if (results.length - firstPending < 4 && random() < 0.6) {
          for (let k = randomInt(random, 1, 3); k > 0; k--) results.push(track(it.next()));
        }
        if (random() < 0.7) while (answered < api.count) api.respond(answered++);
        await drain();
        for (; firstPending < results.length && results[firstPending]!.outcome.state !== 'pending'; firstPending++) {
          const outcome = results[firstPending]!.outcome;
          if (outcome.state === 'rejected') {
            fail({
              expected: `every next() on ${label} to resolve`,
              received: `next() call ${firstPending + 1} rejected with ${show(outcome.reason)} (${api.count} requests made)`,
              hint: 'a long listing read with next() calls in bursts must still get every page once, in order',
            });
          }
          if (outcome.state === 'fulfilled' && outcome.value?.done === true) ended = true;
          else handedOut++;
        }
        if (kind === 'paginate') {
          const allowed = handedOut + (prefetch || results.length > firstPending ? 1 : 0);
          check(api.count <= allowed, {
            expected: `at most ${allowed} request(s) once ${handedOut} page(s) of ${label} have been handed out${results.length > firstPending ? ', with next() waiting' : ''}`,
            received: `${api.count} requests`,
            hint: prefetch ? 'prefetch exactly one page ahead, never more' : 'request a page only when a next() is waiting for it',
          });
        }
      }
      const values = results.flatMap((r) => (r.outcome.state === 'fulfilled' && r.outcome.value?.done === false ? [r.outcome.value.value] : []));
      const got = kind === 'paginate' ? values.map((v) => (v as Page<string>)?.items?.join(',')) : values;
      const firstDone = results.findIndex((r) => r.outcome.state === 'fulfilled' && r.outcome.value?.done === true);
      const late = results.slice(firstDone).findIndex((r) => !(r.outcome.state === 'fulfilled' && r.outcome.value?.done === true));
      check(late === -1 || results[firstDone + late]!.outcome.state === 'pending', {
        expected: `every next() after the first { done: true } on ${label} to resolve { done: true }`,
        received: `next() call ${firstDone + late + 1} gave ${show(results[firstDone + late]!.outcome)} after call ${firstDone + 1} said done`,
        hint: 'answer next() calls made without awaiting in order: once one says done, so do all later ones',
      });
      const diff = expected.findIndex((v, i) => got[i] !== v);
      check(diff === -1 && got.length === expected.length, {
        expected: `${label}: ${expected.length} ${kind === 'paginate' ? 'pages' : 'items'}, each once, in order`,
        received:
          diff === -1
            ? `${got.length} values (the expected ones, then ${show(got.slice(expected.length, expected.length + 3))}...)`
            : `value ${diff + 1} was ${show(got[diff])} instead of ${show(expected[diff])} (${got.length} values in all)`,
        hint: 'nothing lost, nothing duplicated, nothing reordered: queue next() calls and hand out each page (or item) exactly once',
      });
      const tokens = api.tokens();
      const badToken = tokens.findIndex((t, i) => t !== (i === 0 ? undefined : `t${i}`));
      check(api.count === PAGES && badToken === -1, {
        expected: `${PAGES} requests for ${label}, with the tokens undefined, 't1', ..., 't${PAGES - 1}'`,
        received: badToken === -1 ? `${api.count} requests` : `request ${badToken + 1} carried ${show(tokens[badToken])} (${api.count} requests in all)`,
        hint: "exactly one request per page, each with the nextToken of the page before it",
      });
    }
  }, { points: 2 });
});

/** An async iterable that counts next() and return() calls. */
function countingSource(values: number[]) {
  const stats = { next: 0, return: 0 };
  let i = 0;
  const iterator: AsyncIterator<number> = {
    next: async () => {
      stats.next++;
      return i < values.length ? { value: values[i++]!, done: false } : { value: undefined, done: true };
    },
    return: async () => {
      stats.return++;
      i = values.length;
      return { value: undefined, done: true };
    },
  };
  return { stats, iterable: { [Symbol.asyncIterator]: () => iterator } as AsyncIterable<number> };
}

async function taken<T>(call: () => Promise<T[]>, what: string): Promise<T[]> {
  const result = attempt(call);
  if (result.threw) fail({ expected: `${what} to return a promise`, received: `it threw ${show(result.error)}` });
  const tracked = track(result.value as Promise<T[]>);
  await drain();
  return fulfilledValue(tracked, what);
}

task('take', () => {
  behaviour('resolves to the first n items, calling next() n times and then return()', async () => {
    const { stats, iterable } = countingSource([1, 2, 3, 4, 5, 6]);
    const values = await taken(() => take(iterable, 3), 'take(source of 6 items, 3)');
    check(show(values) === show([1, 2, 3]), { expected: '[1, 2, 3]', received: show(values) });
    check(stats.next === 3, {
      expected: "next() called 3 times on the source by take(source, 3)",
      received: `${stats.next} times`,
      hint: 'stop as soon as you have n items: asking for item n + 1 can cost a request',
    });
    check(stats.return === 1, {
      expected: "the source's return() called once after take(source, 3) has its 3 items",
      received: `${stats.return} times`,
      hint: 'break out of for await (it calls return()), or call iterator.return?.() yourself',
    });
    async function* generator() {
      yield 'x';
      yield 'y';
      yield 'z';
    }
    const fromGenerator = await taken(() => take(generator(), 2), 'take(an async generator, 2)');
    check(show(fromGenerator) === show(['x', 'y']), { expected: "['x', 'y']", received: show(fromGenerator) });
  }, { points: 2 });

  behaviour('stops a paginator behind it: no request beyond the page that holds the nth item', async () => {
    const pages = [page(['a', 'b', 'c'], 't1'), page(['d', 'e'], 't2'), page(['f'])];
    for (const [n, requests] of [[3, 1], [1, 1], [4, 2], [5, 2]] as const) {
      const api = fakeApi(pages, { auto: true });
      const values = await taken(() => take(paginateItems(api.fetchPage), n), `take(paginateItems(...), ${n})`);
      check(show(values) === show(['a', 'b', 'c', 'd', 'e'].slice(0, n)), { expected: show(['a', 'b', 'c', 'd', 'e'].slice(0, n)), received: show(values) });
      await drain();
      expectRequests(api, requests, `for take(paginateItems(...), ${n}) over pages of 3, 2 and 1 items`, 'once take has its n items it stops the source at once, so the paginator makes no further request');
    }
    const api = fakeApi(pages, { auto: true });
    const firstPage = await taken(() => take(paginate(api.fetchPage), 1), 'take(paginate(...), 1)');
    check(firstPage.length === 1 && show(firstPage[0]?.items) === show(['a', 'b', 'c']), { expected: "one page, ['a', 'b', 'c']", received: show(firstPage) });
    await drain();
    expectRequests(api, 1, 'for take(paginate(...), 1)');
  }, { points: 2 });

  behaviour('resolves to every item when the source has fewer than n', async () => {
    const { iterable } = countingSource([1, 2, 3]);
    const values = await taken(() => take(iterable, 5), 'take(source of 3 items, 5)');
    check(show(values) === show([1, 2, 3]), { expected: '[1, 2, 3]', received: show(values) });
    const api = fakeApi(THREE_PAGES(), { auto: true });
    const all = await taken(() => take(paginateItems(api.fetchPage), 100), 'take(paginateItems(...), 100)');
    check(show(all) === show(['a', 'b', 'c', 'd', 'e']) && api.count === 3, {
      expected: "['a', 'b', 'c', 'd', 'e'] after 3 requests",
      received: `${show(all)} after ${api.count} request(s)`,
    });
  });

  behaviour('n of 0 resolves to [] without calling next()', async () => {
    const { stats, iterable } = countingSource([1, 2]);
    const values = await taken(() => take(iterable, 0), 'take(source, 0)');
    check(Array.isArray(values) && values.length === 0, { expected: '[]', received: show(values) });
    check(stats.next === 0, {
      expected: 'take(source, 0) never to call next()',
      received: `next() called ${stats.next} time(s)`,
      hint: 'check n before asking for the first item: a paginator would make a request for nothing',
    });
    const api = fakeApi(THREE_PAGES(), { auto: true });
    await taken(() => take(paginateItems(api.fetchPage), 0), 'take(paginateItems(...), 0)');
    expectRequests(api, 0, 'for take(paginateItems(...), 0)');
  });

  behaviour('a negative or non-integer n rejects with a TypeError or RangeError', async () => {
    // Infinity and NaN are not integers (Number.isInteger says false), and neither is the string '2'.
    for (const n of [-1, 1.5, -0.5, NaN, -Infinity, Infinity, '2' as unknown as number]) {
      const { iterable } = countingSource([1, 2, 3]);
      const call = attempt(() => take(iterable, n));
      if (call.threw) {
        fail({
          expected: `take(source, ${show(n)}) to return a rejected promise`,
          received: `it threw ${show(call.error)} synchronously`,
          hint: 'make take an async function, so that a validation error becomes a rejection',
        });
      }
      const tracked = track(call.value as Promise<unknown>);
      await drain();
      const reason = rejectionReason(tracked, `take(source, ${show(n)})`);
      check(reason instanceof TypeError || reason instanceof RangeError, {
        expected: `take(source, ${show(n)}) to reject with a TypeError or a RangeError`,
        received: `it rejected with ${show(reason)}`,
        hint: 'check Number.isInteger(n) && n >= 0 first: it is false for Infinity, NaN and strings, which Math.floor(n) === n or Number(n) would let through',
      });
    }
  });
});
