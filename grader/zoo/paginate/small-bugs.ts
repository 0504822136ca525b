/**
 * Small bugs of the paginate exercise: each is the reference solution with a few anchored edits (`find` must
 * occur exactly once). Bugs that are a different design stay whole files in `bugs/`.
 */
import type { SmallBug } from '../../course/zoo.ts';

export default [
  {
    name: 'abort-new-error',
    story: 'Aborting rejects with a new AbortError (a fresh DOMException) instead of signal.reason, so the reason the caller passed to abort(reason) is lost.',
    breaks: [
      'signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made',
      'signal: aborted before the start or between pages, the next next() rejects with signal.reason and makes no request',
    ],
    edits: [
      {
        find: '    const onAbort = (): void => reject(signal.reason);',
        replace: "    const onAbort = (): void => reject(new DOMException('This operation was aborted', 'AbortError'));",
      },
      {
        find: '    signal?.throwIfAborted();\n    if (pending === undefined) pending = request(token);',
        replace: "    if (signal?.aborted) throw new DOMException('This operation was aborted', 'AbortError');\n    if (pending === undefined) pending = request(token);",
      },
    ],
  },
  {
    name: 'abort-not-raced',
    story: 'An abort during a request waits for fetchPage to settle instead of rejecting at once: a fetchPage that ignores the signal keeps the consumer waiting, possibly forever.',
    breaks: [
      'signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made',
      'a failed request or an abort rejects next() with that same error, and then the iterator is done',
    ],
    edits: [{ find: '    const page = await untilAborted(pending, signal);', replace: '    const page = await pending;' }],
  },
  {
    name: 'abort-reason-wrapped-in-error',
    story: "An abort reason that is not an Error is wrapped in new Error(String(reason)), so abort('stop') rejects next() with a copy instead of signal.reason itself.",
    breaks: [
      'signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made',
      'signal: aborted before the start or between pages, the next next() rejects with signal.reason and makes no request',
    ],
    edits: [
      {
        find: '    const onAbort = (): void => reject(signal.reason);',
        replace: '    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));',
      },
      {
        find: '    signal?.throwIfAborted();\n    if (pending === undefined) pending = request(token);',
        replace: '    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));\n    if (pending === undefined) pending = request(token);',
      },
    ],
  },
  {
    name: 'abort-strands-waiting-calls',
    story: 'an abort rejects the next() at the head of the queue and forgets the ones behind it',
    breaks: [
      'signal: an abort with several next() calls waiting rejects the first with signal.reason and settles every one of them',
    ],
    base: 'hand-iterator-linked-list',
    edits: [
      {
        find: '    node.reject(this.#signal!.reason);\n    this.#pump();\n',
        replace: '    node.reject(this.#signal!.reason);\n',
      },
    ],
  },
  {
    name: 'always-reads-ahead',
    story: 'The prefetch branch ignores the option, so every paginator requests page n + 1 as soon as page n arrives, whether or not prefetch was asked for.',
    breaks: [
      'requests the next page only when the consumer asks for more, never ahead and never twice',
      "lazy: no request before the first next(), and page n + 1 only when asked for after page n's last item",
      'stops a paginator behind it: no request beyond the page that holds the nth item',
    ],
    edits: [{ find: '    if (more && prefetch && !hasExited()) {', replace: '    if (more && !hasExited()) {' }],
  },
  {
    name: 'blank-token-ends-listing',
    story: 'A nextToken of blanks (" ") is taken for the end of the listing: nextToken.trim() === "" ends iteration, where only absent, null and "" should.',
    breaks: [
      'a page whose nextToken is absent, null or "" is the last one, and it is still yielded',
    ],
    edits: [
      {
        find: "    const isLast = next === undefined || next === null || next === '';",
        replace: "    const isLast = next === undefined || next === null || next.trim() === '';",
      },
    ],
  },
  {
    name: 'cursor-kept-in-options',
    story: "The current token is stored in the caller's options object (options.startingToken doubles as the cursor), so the object changes and reusing it starts in the middle of the listing.",
    breaks: [
      'never mutates the options object; one options object gives every paginator the same behaviour',
    ],
    edits: [
      {
        find: '  let requests = 0;',
        replace: '  const cursor = options as { startingToken?: string };\n  let requests = 0;',
      },
      {
        find: '    token = next;\n',
        replace: '    token = next;\n    cursor.startingToken = next;\n',
      },
    ],
  },
  {
    name: 'eager-first-request',
    story: 'paginate calls fetchPage at once "to get a head start" and hands the promise to the generator, so merely creating a paginator costs a request.',
    breaks: [
      'creating the iterator makes no request; the first next() makes the first request',
    ],
    edits: [
      {
        find: 'async function* pagesOf<T>(fetchPage: FetchPage<T>, options: PaginateOptions, hasExited: () => boolean): AsyncGenerator<Page<T>> {',
        replace: 'async function* pagesOf<T>(fetchPage: FetchPage<T>, options: PaginateOptions, hasExited: () => boolean, first?: Promise<Page<T>>): AsyncGenerator<Page<T>> {',
      },
      {
        find: '  let pending: Promise<Page<T>> | undefined;',
        replace: '  let pending: Promise<Page<T>> | undefined = first;',
      },
      {
        find: '  let exited = false;\n  return exitingAtOnce(pagesOf(fetchPage, options, () => exited), () => (exited = true));',
        replace: '  let exited = false;\n  const first = fetchPage({ token: options.startingToken, pageSize: options.pageSize, signal: options.signal });\n  first.catch(() => {});\n  return exitingAtOnce(pagesOf(fetchPage, options, () => exited, first), () => (exited = true));',
      },
    ],
  },
  {
    name: 'empty-page-ends',
    story: 'An empty page is taken for the end of the listing: some APIs return an empty page with a nextToken (stripe-node#2731), and the paginator stops there.',
    breaks: [
      'yields an empty page that has a nextToken, then goes on to the next page',
      'yields the items of every page in order, going past empty pages',
    ],
    edits: [
      {
        find: "    const isLast = next === undefined || next === null || next === '';",
        replace: "    if (page.items.length === 0) return;\n    const isLast = next === undefined || next === null || next === '';",
      },
    ],
  },
  {
    name: 'empty-string-is-a-token',
    story: 'Only null and undefined end the listing, so a last page with nextToken "" triggers one more request, with token "".',
    breaks: [
      'a page whose nextToken is absent, null or "" is the last one, and it is still yielded',
      'prefetch: stops at the last page, at maxPages and at a repeated token',
    ],
    edits: [
      {
        find: "    const isLast = next === undefined || next === null || next === '';",
        replace: '    const isLast = next === undefined || next === null;',
      },
    ],
  },
  {
    name: 'every-seen-token-is-a-repeat',
    story: 'Loop detection keeps a Set of every token requested so far, so a listing whose tokens come back later (A, B, A, ...) is cut short.',
    breaks: [
      'only the token that requested a page counts as repeated: a token seen earlier in the listing is requested again',
    ],
    edits: [
      {
        find: '  let requests = 0;',
        replace: '  const seen = new Set<string | undefined>([startingToken]);\n  let requests = 0;',
      },
      {
        find: '    const repeated = !isLast && next === token;',
        replace: '    const repeated = !isLast && seen.has(next);\n    if (!isLast) seen.add(next);',
      },
    ],
  },
  {
    name: 'fetches-all-pages-up-front',
    story: 'The first next() downloads every page into an array, then hands them out: no longer lazy, and break or take() cannot save the requests already made.',
    breaks: [
      'requests the next page only when the consumer asks for more, never ahead and never twice',
      "lazy: no request before the first next(), and page n + 1 only when asked for after page n's last item",
      'stops a paginator behind it: no request beyond the page that holds the nth item',
    ],
    edits: [
      {
        find: '  let pending: Promise<Page<T>> | undefined;\n',
        replace: '  let pending: Promise<Page<T>> | undefined;\n  // Collect every page first, then hand them out: simple, and no longer lazy.\n  const all: Page<T>[] = [];\n',
      },
      {
        find: '    yield page;\n    if (!more) return;\n    token = next;\n  }\n',
        replace: '    all.push(page);\n    if (!more) break;\n    token = next;\n  }\n  yield* all;\n',
      },
    ],
  },
  {
    name: 'generator-prefetch-before-return',
    story: 'A plain async generator that starts the prefetch before `yield`: a return() queued behind a pending next() comes too late, and `yield* page.items` hands out the rest of a page after an abort.',
    breaks: [
      'return() while a page is on its way: once it arrives, no further request, and the iterator is done',
      'return() while a page is on its way, with or without prefetch: no further request, and the iterator is done',
      'signal: an abort in the middle of a page rejects the next next() with signal.reason, items already fetched included, and makes no further request',
    ],
    edits: [
      {
        find: '    if (more && prefetch && !hasExited()) {',
        replace: '    if (more && prefetch) {',
      },
      {
        find: '    for (const item of page.items) {\n      // The rest of a page already fetched is not handed out once the signal has aborted.\n      signal?.throwIfAborted();\n      yield item;\n    }',
        replace: '    yield* page.items;',
      },
    ],
  },
  {
    name: 'items-after-abort',
    story: 'paginateItems hands out the rest of a page already fetched after the signal aborts: the signal is only met again at the next page boundary.',
    breaks: [
      'signal: an abort in the middle of a page rejects the next next() with signal.reason, items already fetched included, and makes no further request',
    ],
    edits: [
      {
        find: '      // The rest of a page already fetched is not handed out once the signal has aborted.\n      signal?.throwIfAborted();\n      yield item;',
        replace: '      yield item;',
      },
    ],
  },
  {
    name: 'items-max-pages-counts-non-empty-pages',
    story: 'paginateItems runs the pages without maxPages and counts only the pages that held items towards it: an empty page costs a request maxPages never sees.',
    breaks: ['maxPages: after that many requests, iteration ends'],
    edits: [
      {
        find: 'async function* itemsOf<T>(pages: AsyncIterable<Page<T>>, signal: AbortSignal | undefined): AsyncGenerator<T> {',
        replace: 'async function* itemsOf<T>(pages: AsyncIterable<Page<T>>, signal: AbortSignal | undefined, maxPages = Infinity): AsyncGenerator<T> {\n  let nonEmpty = 0;',
      },
      {
        find: '      yield item;\n    }\n',
        replace: '      yield item;\n    }\n    if (page.items.length > 0 && ++nonEmpty >= maxPages) return;\n',
      },
      {
        find: '  return exitingAtOnce(itemsOf(pagesOf(fetchPage, options, () => exited), options.signal), () => (exited = true));',
        replace: '  return exitingAtOnce(itemsOf(pagesOf(fetchPage, { ...options, maxPages: undefined }, () => exited), options.signal, options.maxPages), () => (exited = true));',
      },
    ],
  },
  {
    name: 'items-peek-ahead',
    story: "paginateItems fetches the next page before handing out the current page's last item (to know whether it is the last): one request ahead of the consumer, even without prefetch.",
    breaks: [
      "lazy: no request before the first next(), and page n + 1 only when asked for after page n's last item",
      'break makes no further request, even on the last item of a page',
      'stops a paginator behind it: no request beyond the page that holds the nth item',
    ],
    edits: [
      {
        find: '  for await (const page of pages) {\n    for (const item of page.items) {\n      // The rest of a page already fetched is not handed out once the signal has aborted.\n      signal?.throwIfAborted();\n      yield item;\n    }\n  }',
        replace: '  const iterator = pages[Symbol.asyncIterator]();\n  let current = await iterator.next();\n  while (!current.done) {\n    const items = current.value.items;\n    for (let i = 0; i < items.length - 1; i++) {\n      signal?.throwIfAborted();\n      yield items[i]!;\n    }\n    const following = await iterator.next();\n    signal?.throwIfAborted();\n    if (items.length > 0) yield items[items.length - 1]!;\n    current = following;\n  }',
      },
    ],
  },
  {
    name: 'items-prefetch-one-page-past-max-pages',
    story: "paginateItems raises maxPages by one when prefetch is on (to leave room for the read-ahead), and hands out that extra page's items.",
    breaks: ['maxPages: after that many requests, iteration ends'],
    edits: [
      {
        find: '  return exitingAtOnce(itemsOf(pagesOf(fetchPage, options, () => exited), options.signal), () => (exited = true));',
        replace: '  const pageOptions = options.prefetch && options.maxPages !== undefined ? { ...options, maxPages: options.maxPages + 1 } : options;\n  return exitingAtOnce(itemsOf(pagesOf(fetchPage, pageOptions, () => exited), options.signal), () => (exited = true));',
      },
    ],
  },
  {
    name: 'late-rejection-after-abort',
    story: 'a request that settles after an abort is still treated as the answer to a waiting next()',
    breaks: [
      'signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made',
    ],
    base: 'hand-iterator-linked-list',
    edits: [{ find: '      if (this.#inflight !== pending) return;\n', replace: '' }],
  },
  {
    name: 'loops-on-repeated-token',
    story: 'No check for a page that returns the token that requested it (aws-sdk-js-v3#3490): the paginator requests the same page over and over.',
    breaks: [
      'stopOnSameToken: the page that repeats its token is yielded and iteration ends',
      'without stopOnSameToken, a repeated token rejects next() with an Error naming it, instead of looping',
      'prefetch: stops at the last page, at maxPages and at a repeated token',
      'takes the same options as paginate: startingToken, pageSize, signal, maxPages, stopOnSameToken',
    ],
    edits: [{ find: '    const repeated = !isLast && next === token;', replace: '    const repeated = false;' }],
  },
  {
    name: 'max-pages-counts-non-empty-pages',
    story: 'maxPages counts only the pages that held items, so maxPages 2 with an empty page 2 makes 3 requests.',
    breaks: ['maxPages: after that many requests, iteration ends'],
    edits: [
      {
        find: '    requests++;\n    const page = await untilAborted(pending, signal);',
        replace: '    const page = await untilAborted(pending, signal);\n    if (page.items.length > 0) requests++;',
      },
    ],
  },
  {
    name: 'max-pages-off-by-one',
    story: 'maxPages is compared with <= instead of <, so maxPages 2 fetches 3 pages.',
    breaks: [
      'maxPages: after that many requests, iteration ends',
      'prefetch: stops at the last page, at maxPages and at a repeated token',
      'takes the same options as paginate: startingToken, pageSize, signal, maxPages, stopOnSameToken',
    ],
    edits: [
      {
        find: '  while (requests < maxPages) {',
        replace: '  while (requests <= maxPages) {',
      },
      {
        find: '    const more = !isLast && !repeated && requests < maxPages;',
        replace: '    const more = !isLast && !repeated && requests <= maxPages;',
      },
    ],
  },
  {
    name: 'next-not-serialised',
    story: 'a hand-written next() that is not serialised: two calls made without awaiting fetch the same page twice',
    breaks: [
      'next() calls made without awaiting are answered in order, with exactly one request per page',
      'next() calls made without awaiting get the items in order, with exactly one request per page',
    ],
    base: 'class-promise-queue',
    edits: [
      {
        find: '  next(): Promise<IteratorResult<Page<T>>> {\n    const answer = this.#queue.then(() => this.#step());\n    this.#queue = answer.catch(() => undefined);\n    return answer;\n',
        replace: '  next(): Promise<IteratorResult<Page<T>>> {\n    return this.#step();\n',
      },
      {
        find: '  next(): Promise<IteratorResult<T>> {\n    const answer = this.#queue.then(() => this.#step());\n    this.#queue = answer.catch(() => undefined);\n    return answer;\n',
        replace: '  next(): Promise<IteratorResult<T>> {\n    return this.#step();\n',
      },
    ],
  },
  {
    name: 'no-prefetch-after-empty-page',
    story: 'With prefetch, nothing is prefetched after an empty page: the request for the page after it waits until the consumer asks.',
    breaks: [
      'prefetch: page n + 1 is requested as soon as page n is handed out, and never further ahead',
    ],
    edits: [
      {
        find: '    if (more && prefetch && !hasExited()) {',
        replace: '    if (more && prefetch && !hasExited() && page.items.length > 0) {',
      },
    ],
  },
  {
    name: 'options-default-written',
    story: "A default is written into the caller's options (options.stopOnSameToken ??= false).",
    breaks: [
      'never mutates the options object; one options object gives every paginator the same behaviour',
    ],
    edits: [
      {
        find: '  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
        replace: '  options.stopOnSameToken ??= false;\n  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
      },
    ],
  },
  {
    name: 'options-max-pages-added',
    story: "maxPages: Infinity is added to the caller's options when it is missing.",
    breaks: [
      'never mutates the options object; one options object gives every paginator the same behaviour',
    ],
    edits: [
      {
        find: '  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
        replace: '  if (options.maxPages === undefined) options.maxPages = Infinity;\n  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
      },
    ],
  },
  {
    name: 'options-undefined-keys-deleted',
    story: "The keys of the caller's options whose value is undefined are deleted.",
    breaks: [
      'never mutates the options object; one options object gives every paginator the same behaviour',
    ],
    edits: [
      {
        find: '  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
        replace: '  for (const k of Object.keys(options) as (keyof PaginateOptions)[]) if (options[k] === undefined) delete options[k];\n  const { startingToken, pageSize, stopOnSameToken = false, maxPages = Infinity, prefetch = false, signal } = options;',
      },
    ],
  },
  {
    name: 'page-size-zero-dropped',
    story: 'A truthiness test (`if (pageSize)`) decides whether the request carries pageSize, so pageSize 0 is treated as "no pageSize".',
    breaks: [
      'every request, prefetched ones included, carries its own token, the given pageSize (0 too) and signal',
    ],
    edits: [
      {
        find: '    if (pageSize !== undefined) pageRequest.pageSize = pageSize;',
        replace: '    if (pageSize) pageRequest.pageSize = pageSize;',
      },
    ],
  },
  {
    name: 'prefetch-error-surfaces-early',
    story: "paginateItems stores a failed prefetch in a flag checked before every item, so the error comes one page too early and the current page's remaining items are lost.",
    breaks: [
      "prefetch: page n + 1 is on its way by the time page n's last item is handed out; its failure surfaces only after page n's items",
    ],
    edits: [
      {
        find: 'async function* itemsOf<T>(pages: AsyncIterable<Page<T>>, signal: AbortSignal | undefined): AsyncGenerator<T> {',
        replace: 'async function* itemsOf<T>(pages: AsyncIterable<Page<T>>, signal: AbortSignal | undefined, failure = (): { error: unknown } | undefined => undefined): AsyncGenerator<T> {',
      },
      {
        find: '      signal?.throwIfAborted();\n      yield item;',
        replace: '      signal?.throwIfAborted();\n      const failed = failure();\n      if (failed) throw failed.error;\n      yield item;',
      },
      {
        find: '  return exitingAtOnce(itemsOf(pagesOf(fetchPage, options, () => exited), options.signal), () => (exited = true));',
        replace: '  let failure: { error: unknown } | undefined;\n  const watched: FetchPage<T> = (request) => {\n    const result = fetchPage(request);\n    result.catch((error: unknown) => {\n      failure = { error };\n    });\n    return result;\n  };\n  return exitingAtOnce(itemsOf(pagesOf(watched, options, () => exited), options.signal, () => failure), () => (exited = true));',
      },
    ],
  },
  {
    name: 'prefetch-ignores-max-pages',
    story: 'The prefetch starts whenever there is a nextToken, forgetting maxPages: the page after the last one maxPages allows is requested, then thrown away.',
    breaks: ['prefetch: stops at the last page, at maxPages and at a repeated token'],
    edits: [
      {
        find: '    if (more && prefetch && !hasExited()) {',
        replace: '    if (!isLast && !repeated && prefetch && !hasExited()) {',
      },
    ],
  },
  {
    name: 'prefetch-rejection-unhandled',
    story: 'A prefetched request gets no rejection handler when it starts: if it rejects before the consumer asks for its page, Node reports an unhandled rejection.',
    breaks: [
      'prefetch: a prefetched request that rejects surfaces as the rejection of the next() that would have returned it, never as an unhandled rejection',
      'prefetch: an early exit discards the prefetched page and makes no further request',
      "prefetch: page n + 1 is on its way by the time page n's last item is handed out; its failure surfaces only after page n's items",
    ],
    edits: [
      {
        find: '      pending = request(next);\n      pending.catch(() => {});',
        replace: '      pending = request(next);',
      },
    ],
  },
  {
    name: 'prefetch-request-drops-options',
    story: 'The prefetch path builds its own request with `{ token }` alone, so prefetched requests lose pageSize and signal.',
    breaks: [
      'every request, prefetched ones included, carries its own token, the given pageSize (0 too) and signal',
    ],
    edits: [{ find: '      pending = request(next);', replace: '      pending = (async () => fetchPage({ token: next }))();' }],
  },
  {
    name: 'prefetch-requests-repeated-token',
    story: 'The prefetch of the next token starts as soon as a page arrives, before the repeated-token check: a repeated token is requested a second time before the error.',
    breaks: [
      'prefetch: stops at the last page, at maxPages and at a repeated token',
      'without stopOnSameToken, a repeated token rejects next() with an Error naming it, instead of looping',
    ],
    edits: [
      {
        find: '    const next = page.nextToken;\n',
        replace: "    const next = page.nextToken;\n    if (prefetch && !hasExited() && typeof next === 'string' && next !== '' && requests < maxPages) {\n      pending = request(next);\n      pending.catch(() => {});\n    }\n",
      },
      {
        find: '    if (more && prefetch && !hasExited()) {',
        replace: '    if (more && prefetch && !hasExited() && pending === undefined) {',
      },
      {
        find: '    if (!more) return;',
        replace: '    if (!more) {\n      pending = undefined;\n      return;\n    }',
      },
    ],
  },
  {
    name: 'prefetch-runs-away',
    story: 'With prefetch, every prefetched page that arrives starts the request for the one after it: reads ahead as fast as the API answers (even after the consumer left), not one page ahead.',
    breaks: [
      'prefetch: page n + 1 is requested as soon as page n is handed out, and never further ahead',
      'prefetch: an early exit discards the prefetched page and makes no further request',
    ],
    edits: [
      {
        find: '  let requests = 0;\n',
        replace: '  let requests = 0;\n  const cache = new Map<string | undefined, Promise<Page<T>>>();\n  const fetchCached = (t: string | undefined): Promise<Page<T>> => {\n    let promise = cache.get(t);\n    if (promise === undefined) {\n      promise = request(t);\n      promise.catch(() => {});\n      cache.set(t, promise);\n      if (prefetch) {\n        promise.then(\n          (arrived) => {\n            const following = arrived.nextToken;\n            if (following && following !== t && cache.size < maxPages) fetchCached(following);\n          },\n          () => {},\n        );\n      }\n    }\n    return promise;\n  };\n',
      },
      {
        find: '    if (pending === undefined) pending = request(token);',
        replace: '    if (pending === undefined) pending = fetchCached(token);',
      },
      {
        find: '      pending = request(next);\n      pending.catch(() => {});',
        replace: '      pending = fetchCached(next);',
      },
    ],
  },
  {
    name: 'prefetched-page-after-abort',
    story: 'The signal is checked only before starting a new request, so a page prefetched before the abort is still handed out instead of rejecting with signal.reason.',
    breaks: [
      'signal: an abort while a request is pending rejects next() with signal.reason, and no further request is made',
      'prefetch: once the signal aborts, a page already prefetched is not handed out; next() rejects with signal.reason',
    ],
    edits: [
      {
        find: '    signal?.throwIfAborted();\n    if (pending === undefined) pending = request(token);',
        replace: '    if (pending === undefined) {\n      signal?.throwIfAborted();\n      pending = request(token);\n    }',
      },
    ],
  },
  {
    name: 'retries-after-failure',
    story: 'after a failed request the iterator is not done: the next next() requests the same page again',
    breaks: [
      'a rejected fetchPage rejects that next() with the same error, and the iterator is done afterwards',
      'prefetch: a prefetched request that rejects surfaces as the rejection of the next() that would have returned it, never as an unhandled rejection',
      'a failed request or an abort rejects next() with that same error, and then the iterator is done',
    ],
    base: 'class-promise-queue',
    edits: [
      {
        find: '    } catch (error) {\n      this.#finish();\n      throw error;',
        replace: '    } catch (error) {\n      this.#prefetched = undefined;\n      throw error;',
      },
    ],
  },
  {
    name: 'return-not-forwarded',
    story: 'paginate wraps its generator in a plain object whose return() only answers { done: true }: after break, the paginator underneath is not stopped.',
    breaks: [
      'break or return() makes no further request, and the iterator is done afterwards',
      'prefetch: an early exit discards the prefetched page and makes no further request',
    ],
    edits: [
      {
        find: '  let exited = false;\n  return exitingAtOnce(pagesOf(fetchPage, options, () => exited), () => (exited = true));',
        replace: '  const inner = pagesOf(fetchPage, options, () => false);\n  const wrapper: AsyncIterableIterator<Page<T>> = {\n    next: () => inner.next(),\n    return: async () => ({ done: true, value: undefined }),\n    [Symbol.asyncIterator]: () => wrapper,\n  };\n  return wrapper;',
      },
    ],
  },
  {
    name: 'reused-request-object',
    story: 'One request object is reused and changed for every page, so a fetchPage that keeps its request (to log it, to retry it) sees it rewritten.',
    breaks: [
      "each request carries the previous page's nextToken, and pageSize and signal when given",
    ],
    edits: [
      {
        find: '  // Every request is a fresh object; `pageSize` and `signal` only when the caller gave them.\n  const request = (token: string | undefined): Promise<Page<T>> => {\n    const pageRequest: PageRequest = { token };\n    if (pageSize !== undefined) pageRequest.pageSize = pageSize;\n    if (signal !== undefined) pageRequest.signal = signal;\n',
        replace: '  // One request object for every page; `pageSize` and `signal` only when the caller gave them.\n  const pageRequest: PageRequest = { token: startingToken };\n  if (pageSize !== undefined) pageRequest.pageSize = pageSize;\n  if (signal !== undefined) pageRequest.signal = signal;\n  const request = (token: string | undefined): Promise<Page<T>> => {\n    pageRequest.token = token;\n',
      },
    ],
  },
  {
    name: 'signal-not-passed',
    story: 'The paginator checks the signal itself but never passes it on to fetchPage, so an abort cannot cancel a request already on its way.',
    breaks: [
      "each request carries the previous page's nextToken, and pageSize and signal when given",
      'takes the same options as paginate: startingToken, pageSize, signal, maxPages, stopOnSameToken',
    ],
    edits: [
      {
        find: '    if (signal !== undefined) pageRequest.signal = signal;\n',
        replace: '',
      },
    ],
  },
  {
    name: 'stop-on-same-token-drops-page',
    story: 'With stopOnSameToken, the loop stops before yielding the page that repeats its token, so its items are lost.',
    breaks: [
      'stopOnSameToken: the page that repeats its token is yielded and iteration ends',
      'prefetch: stops at the last page, at maxPages and at a repeated token',
      'takes the same options as paginate: startingToken, pageSize, signal, maxPages, stopOnSameToken',
    ],
    edits: [
      {
        find: '    const more = !isLast && !repeated && requests < maxPages;',
        replace: '    if (repeated) return;\n    const more = !isLast && !repeated && requests < maxPages;',
      },
    ],
  },
  {
    name: 'take-accepts-infinity',
    story: 'take checks Math.floor(n) !== n, so take(source, Infinity) resolves with every item.',
    breaks: ['a negative or non-integer n rejects with a TypeError or RangeError'],
    edits: [
      {
        find: '  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);',
        replace: '  if (Math.floor(n) !== n || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);',
      },
    ],
  },
  {
    name: 'take-asks-one-more',
    story: 'take checks the count at the top of the loop, so it asks the source for item n + 1 before stopping: behind a paginator, maybe a whole extra request.',
    breaks: [
      'resolves to the first n items, calling next() n times and then return()',
      'stops a paginator behind it: no request beyond the page that holds the nth item',
    ],
    edits: [
      {
        find: "    taken.push(item);\n    // Leaving the loop calls the iterator's return(): the paginator behind it stops, no extra request.\n    if (taken.length === n) break;",
        replace: '    if (taken.length === n) break;\n    taken.push(item);',
      },
    ],
  },
  {
    name: 'take-coerces-strings',
    story: "take converts n with Number(n), so take(source, '2') resolves with 2 items.",
    breaks: ['a negative or non-integer n rejects with a TypeError or RangeError'],
    edits: [
      {
        find: '  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);',
        replace: '  n = Number(n);\n  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);',
      },
    ],
  },
  {
    name: 'take-never-returns',
    story: "take reads with a manual next() loop that simply stops, never calling the source's return(): the source is left suspended instead of closed.",
    breaks: ['resolves to the first n items, calling next() n times and then return()'],
    edits: [
      {
        find: "  for await (const item of source) {\n    taken.push(item);\n    // Leaving the loop calls the iterator's return(): the paginator behind it stops, no extra request.\n    if (taken.length === n) break;\n  }",
        replace: '  const iterator = source[Symbol.asyncIterator]();\n  while (taken.length < n) {\n    const result = await iterator.next();\n    if (result.done) break;\n    taken.push(result.value);\n  }',
      },
    ],
  },
  {
    name: 'take-no-validation',
    story: 'take accepts a negative or fractional n and just reads the whole source: an endless source never ends.',
    breaks: ['a negative or non-integer n rejects with a TypeError or RangeError'],
    edits: [
      {
        find: '  // Inside an async function, this throw becomes a rejection of the promise take returns.\n  if (!Number.isInteger(n) || n < 0) throw new RangeError(`take: n must be a whole number of at least 0, got ${n}`);\n',
        replace: '',
      },
    ],
  },
  {
    name: 'take-zero-reads-one',
    story: 'take(source, 0) still asks the source for an item: a do/while shape makes the first next() before the count is checked.',
    breaks: ['n of 0 resolves to [] without calling next()'],
    edits: [
      {
        find: "  if (n === 0) return taken; // no next() at all\n  for await (const item of source) {\n    taken.push(item);\n    // Leaving the loop calls the iterator's return(): the paginator behind it stops, no extra request.\n    if (taken.length === n) break;\n  }",
        replace: '  const iterator = source[Symbol.asyncIterator]();\n  do {\n    const result = await iterator.next();\n    if (result.done) return taken;\n    if (n > 0) taken.push(result.value);\n  } while (taken.length < n);\n  await iterator.return?.();',
      },
    ],
  },
] satisfies SmallBug[];
