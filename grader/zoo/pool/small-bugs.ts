/**
 * Small bugs of the pool exercise: each is the reference solution with a few anchored edits (`find` must
 * occur exactly once). Bugs that are a different design stay whole files in `bugs/`.
 */
import type { SmallBug } from '../../course/zoo.ts';

export default [
  {
    name: 'abort-error-in-message',
    story: 'clearQueue() rejects with an error whose message, not its name, is "AbortError".',
    breaks: ['clearQueue() rejects every waiting call with an AbortError, and they never run'],
    edits: [
      { find: "const error = new Error('The call was removed from the queue by clearQueue()');\n          error.name = 'AbortError';\n          call.reject(error);", replace: "call.reject(new Error('AbortError'));" },
    ],
  },
  {
    name: 'args-after-the-third-dropped',
    story: 'limit(fn, ...args) passes only the first three arguments on to fn.',
    breaks: ['calls fn with the arguments given after it'],
    edits: [{ find: 'resolve(await fn(...args));', replace: 'resolve(await fn(...(args.slice(0, 3) as A)));' }],
  },
  {
    name: 'clear-queue-keeps-calls',
    story: 'clearQueue() rejects the waiting calls but leaves them in the queue, so they still run later.',
    breaks: ['clearQueue() rejects every waiting call with an AbortError, and they never run'],
    edits: [
      { find: '// splice empties the queue first, so nothing cleared can start later.\n        for (const call of waiting.splice(0)) {', replace: 'for (const call of waiting) {' },
    ],
  },
  {
    name: 'clear-queue-keeps-head-index',
    story: 'An index-based queue whose clearQueue() empties the array but keeps the read index',
    breaks: ['after clearQueue(), new calls wait for a free slot, then start in order and use every slot'],
    base: 'nexttick-race-feeder',
    edits: [{ find: '      queue = [];\n      head = 0;\n', replace: '      queue = [];\n' }],
  },
  {
    name: 'clear-queue-leaks-slots',
    story: 'clearQueue() only marks the waiting calls as cancelled, and each one still takes a slot when reached.',
    breaks: ['after clearQueue(), new calls wait for a free slot, then start in order and use every slot'],
    edits: [
      { find: 'reject: (reason: unknown) => void;', replace: 'reject: (reason: unknown) => void;\n  cancelled: boolean;' },
      { find: 'waiting.shift()!.start();', replace: 'const call = waiting.shift()!;\n      if (call.cancelled) continue;\n      call.start();' },
      { find: 'waiting.push({ start, reject });', replace: 'waiting.push({ start, reject, cancelled: false });' },
      { find: 'pendingCount: { get: () => waiting.length },', replace: 'pendingCount: { get: () => waiting.filter((call) => !call.cancelled).length },' },
      { find: '// splice empties the queue first, so nothing cleared can start later.\n        for (const call of waiting.splice(0)) {', replace: '// Cancelled calls stay in the queue; startWaiting skips them.\n        for (const call of waiting) {\n          if (call.cancelled) continue;\n          call.cancelled = true;' },
    ],
  },
  {
    name: 'clear-queue-without-reject',
    story: 'clearQueue() empties the queue without rejecting the waiting calls, so their promises never settle.',
    breaks: ['clearQueue() rejects every waiting call with an AbortError, and they never run'],
    edits: [
      { find: "// splice empties the queue first, so nothing cleared can start later.\n        for (const call of waiting.splice(0)) {\n          const error = new Error('The call was removed from the queue by clearQueue()');\n          error.name = 'AbortError';\n          call.reject(error);\n        }", replace: '// Forget every waiting call.\n        waiting.length = 0;' },
    ],
  },
  {
    name: 'compaction-loses-a-call',
    story: 'An index-based queue compacted with an off-by-one, so a long queue loses a call',
    breaks: ['runs a queue of 2,000 waiting calls exactly once each, in order, keeping every slot busy'],
    base: 'nexttick-race-feeder',
    edits: [
      {
        find: 'const job = queue[head]!;\n    queue[head++] = undefined as unknown as Job; // let it be collected\n    if (head > 64 && head * 2 > queue.length) {\n      queue = queue.slice(head);',
        replace: 'const job = queue[head++]!;\n    if (head >= 1000) {\n      // Drop the calls already taken (up to the one just taken) so the array does not grow for ever.\n      queue = queue.slice(head + 1);',
      },
    ],
  },
  {
    name: 'concurrent-pull-loops',
    story: 'mapLimit has no guard against a second pull loop: a mapper finishing while next() is pending starts another reader.',
    breaks: ['never runs more than `concurrency` mappers, and starts the next as soon as one finishes'],
    edits: [
      { find: '    let pulling = false; // only one `iterator.next()` in flight: async iterators are not re-entrant\n', replace: '' },
      { find: '      if (pulling) return;\n      pulling = true;\n', replace: '' },
      { find: '      } finally {\n        pulling = false;\n', replace: '' },
    ],
  },
  {
    name: 'counts-snapshot',
    story: 'activeCount and pendingCount are plain properties copied once at creation, not getters.',
    breaks: ['activeCount and pendingCount are accurate between steps', 'lowering concurrency lets running calls finish and holds new ones back', 'clearQueue() leaves running calls alone, and the limiter keeps working'],
    edits: [
      {
        find: 'Object.defineProperties(limiter, {\n    activeCount: { get: () => active },\n    pendingCount: { get: () => waiting.length },',
        replace: 'Object.assign(limiter, { activeCount: active, pendingCount: waiting.length });\n  Object.defineProperties(limiter, {',
      },
    ],
  },
  {
    name: 'drain-starts-one',
    story: 'startWaiting uses `if` instead of `while`: it starts at most one waiting call each time it runs.',
    breaks: ['raising concurrency starts waiting calls at once'],
    edits: [
      { find: 'while (active < limit && waiting.length > 0) {', replace: 'if (active < limit && waiting.length > 0) {' },
    ],
  },
  {
    name: 'empty-input-never-resolves',
    story: 'mapLimit resolves only from a mapper finishing, so empty input never resolves.',
    breaks: ['resolves to the mapped values in input order, whatever order the mappers finish in', 'resolves to [] for empty input without calling the mapper'],
    edits: [
      { find: '\n        finishIfDone();\n      } catch (error) {', replace: '\n      } catch (error) {' },
    ],
  },
  {
    name: 'falsy-rejection-ignored',
    story: 'mapLimit tests the caught error for truthiness, so a mapper rejecting with undefined (or null, 0, "") counts as a success.',
    breaks: ['rejects with the first error, the same object, whether the mapper throws or rejects'],
    edits: [
      { find: '// The async arrow turns a synchronous throw from `mapper` into a rejection.\n      (async (): Promise<Awaited<R>> => await mapper(item, index))().then(\n        (value) => {\n          results[index] = value;\n          running--;\n          finishIfDone();\n          void pull();\n        },\n        fail,\n      );', replace: '// Catch every failure into an outcome object, so nothing is left unhandled.\n      (async (): Promise<{ value?: Awaited<R>; error?: unknown }> => {\n        try {\n          return { value: await mapper(item, index) };\n        } catch (error) {\n          return { error };\n        }\n      })().then((outcome) => {\n        if (outcome.error) {\n          fail(outcome.error);\n          return;\n        }\n        results[index] = outcome.value as Awaited<R>;\n        running--;\n        finishIfDone();\n        void pull();\n      });' },
    ],
  },
  {
    name: 'finally-unhandled-rejection',
    story: 'The slot is freed with a detached `.finally()` whose derived promise rejects unhandled when fn fails.',
    breaks: ['rejects with the very error fn throws or rejects with, and never throws from limit()', 'never runs more than `concurrency` calls at once', 'starts waiting calls in the order limit() was called (first in, first out)', 'when a call settles, the next waiting call starts before any timer fires', 'a call that fails frees its slot, so the queue never stalls', 'activeCount and pendingCount are accurate between steps'],
    edits: [
      {
        find: 'const start = async (): Promise<void> => {\n        try {\n          // `await` of a plain value is fine; a synchronous throw lands in `catch`.\n          resolve(await fn(...args));\n        } catch (error) {\n          reject(error);\n        } finally {\n          // Fulfilled or rejected, the slot is freed: a failure never stalls the queue.\n          active--;\n          startWaiting();\n        }',
        replace:
          'const start = (): void => {\n        // The async arrow turns a synchronous throw into a rejection.\n        const running = (async (): Promise<Awaited<R>> => await fn(...args))();\n        running.then(resolve, reject);\n        running.finally(() => {\n          active--;\n          startWaiting();\n        });',
      },
    ],
  },
  {
    name: 'infinity-rejected',
    story: 'The concurrency check forgets Infinity: createLimiter(Infinity) throws a TypeError.',
    breaks: ['throws a TypeError for a concurrency that is not a whole number from 1 up, or Infinity', 'the concurrency setter throws a TypeError for invalid values and accepts valid ones', 'with concurrency Infinity every call starts at once'],
    edits: [
      { find: "const valid = value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1);", replace: "const valid = typeof value === 'number' && Number.isInteger(value) && value >= 1;" },
    ],
  },
  {
    name: 'lifo-pop',
    story: 'The next waiting call is taken with pop() from the back of the queue (LIFO) instead of shift(): the newest call jumps ahead.',
    breaks: ['starts waiting calls in the order limit() was called (first in, first out)'],
    edits: [{ find: 'waiting.shift()!.start();', replace: 'waiting.pop()!.start();' }],
  },
  {
    name: 'limiter-normalizes-non-errors',
    story: 'The limiter turns a non-Error rejection (a string, undefined, an object) into a new Error instead of passing it through.',
    breaks: ['rejects with the very error fn throws or rejects with, and never throws from limit()'],
    edits: [
      { find: '} catch (error) {\n          reject(error);', replace: '} catch (error) {\n          reject(error instanceof Error ? error : new Error(String(error)));' },
    ],
  },
  {
    name: 'limiter-wraps-error',
    story: "The limiter rejects with a new Error wrapping fn's error instead of the same error object.",
    breaks: ['rejects with the very error fn throws or rejects with, and never throws from limit()', 'a call that fails frees its slot, so the queue never stalls'],
    edits: [
      { find: '} catch (error) {\n          reject(error);', replace: '} catch (error) {\n          reject(new Error(`Limited task failed: ${String(error)}`, { cause: error }));' },
    ],
  },
  {
    name: 'linked-list-stale-tail',
    story: 'A linked-list queue whose dequeue forgets to reset the tail when it takes the last node',
    breaks: ['calls made after the waiting queue has emptied still start, once each and in order'],
    base: 'class-linked-list-then',
    edits: [{ find: '      if (this.head === undefined) this.tail = undefined;\n', replace: '' }],
  },
  {
    name: 'loose-validation',
    story: 'The concurrency check is `typeof value === "number" && value >= 1`: 1.5 and NaN are accepted.',
    breaks: ['throws a TypeError for a concurrency that is not a whole number from 1 up, or Infinity', 'the concurrency setter throws a TypeError for invalid values and accepts valid ones', 'rejects an invalid concurrency with a TypeError without calling the mapper'],
    edits: [
      { find: "const valid = value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1);", replace: "const valid = !(typeof value !== 'number' || value < 1);" },
    ],
  },
  {
    name: 'map-infinity-completion-order',
    story: 'mapLimit with concurrency Infinity pushes each result as its mapper finishes, so results come in completion order.',
    breaks: ['accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order'],
    edits: [
      {
        find: 'results[index] = value;',
        replace: 'if (concurrency === Infinity) results.push(value);\n          else results[index] = value;',
      },
    ],
  },
  {
    name: 'map-infinity-fast-path',
    story: 'mapLimit with concurrency Infinity takes a shortcut, Promise.all(Array.from(items, mapper)), that sees no items in an async iterable.',
    breaks: ['accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order'],
    edits: [
      {
        find: 'const iterator = iteratorOf(items);',
        replace:
          'if (concurrency === Infinity) return Promise.all(Array.from(items as Iterable<T>, (x, i) => mapper(x, i)));\n  const iterator = iteratorOf(items);',
      },
    ],
  },
  {
    name: 'map-infinity-index-from-one',
    story: 'mapLimit with concurrency Infinity counts indexes from 1.',
    breaks: ['accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order'],
    edits: [
      {
        find: 'await mapper(item, index)',
        replace: 'await mapper(item, index + (concurrency === Infinity ? 1 : 0))',
      },
    ],
  },
  {
    name: 'map-infinity-index-zero',
    story: 'mapLimit with concurrency Infinity calls every mapper with index 0.',
    breaks: ['accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order'],
    edits: [{ find: 'await mapper(item, index)', replace: 'await mapper(item, concurrency === Infinity ? 0 : index)' }],
  },
  {
    name: 'map-last-error-wins',
    story: 'mapLimit keeps overwriting the stored error and rejects two microtasks after the first failure, so a later failure in the same tick wins.',
    breaks: ['rejects with the first error, the same object, whether the mapper throws or rejects'],
    edits: [
      {
        find: 'const fail = (error: unknown): void => {\n      if (failed) return;\n      failed = true;\n      reject(error);',
        replace:
          'let lastError: unknown;\n    const fail = (error: unknown): void => {\n      lastError = error;\n      if (failed) return;\n      failed = true;\n      queueMicrotask(() => queueMicrotask(() => reject(lastError)));',
      },
    ],
  },
  {
    name: 'map-limit-rejects-infinity',
    story: 'mapLimit checks concurrency with its own `Number.isInteger(n) && n >= 1`, so mapLimit(items, Infinity, mapper) rejects.',
    breaks: ['accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order'],
    edits: [
      { find: '): Promise<Awaited<R>[]> {\n  assertValidConcurrency(concurrency);', replace: '): Promise<Awaited<R>[]> {\n  if (!Number.isInteger(concurrency) || concurrency < 1) {\n    throw new TypeError(`Expected concurrency to be a whole number from 1 upwards, got ${String(concurrency)}`);\n  }' },
    ],
  },
  {
    name: 'maps-after-error',
    story: 'mapLimit keeps taking items and starting mappers after the first error.',
    breaks: ['starts no further mappers after the first error'],
    edits: [
      { find: 'while (!failed && !exhausted && running < concurrency) {', replace: 'while (!exhausted && running < concurrency) {' },
      { find: '          if (failed) return;\n', replace: '' },
    ],
  },
  {
    name: 'no-finally',
    story: 'The slot is freed only when fn fulfils: a rejection never frees its slot, so the pool stalls.',
    breaks: ['rejects with the very error fn throws or rejects with, and never throws from limit()', 'when a call settles, the next waiting call starts before any timer fires', 'a call that fails frees its slot, so the queue never stalls', 'activeCount and pendingCount are accurate between steps'],
    edits: [
      {
        find: '          // `await` of a plain value is fine; a synchronous throw lands in `catch`.\n          resolve(await fn(...args));\n        } catch (error) {\n          reject(error);\n        } finally {\n          // Fulfilled or rejected, the slot is freed: a failure never stalls the queue.\n          active--;\n          startWaiting();\n',
        replace: '          resolve(await fn(...args));\n          // Done: free the slot and start the next call.\n          active--;\n          startWaiting();\n        } catch (error) {\n          reject(error);\n',
      },
    ],
  },
  {
    name: 'not-lazy',
    story: 'mapLimit reads the whole input into an array before mapping anything (not lazy).',
    breaks: ['reads the input lazily: never more than `concurrency` items taken and not yet finished', 'starts no further mappers after the first error'],
    edits: [
      { find: 'const iterator = iteratorOf(items);', replace: '// Collect the items first, then run the pool over the array.\n  const all: T[] = [];\n  for await (const item of items) all.push(item as T);\n  const iterator = iteratorOf(all);' },
      { find: '// Take items only while a slot is free: the input is read lazily, so an\n    // endless generator is fine and never more than `concurrency` items are held.', replace: '// Start a mapper for each item while a slot is free.' },
    ],
  },
  {
    name: 'permits-reset-on-resize',
    story: 'The concurrency setter resets the free permits to the new limit, forgetting the calls already running.',
    breaks: ['raising concurrency starts waiting calls at once', 'lowering concurrency lets running calls finish and holds new ones back'],
    edits: [
      { find: 'let limit = concurrency;', replace: 'let limit = concurrency;\n  let free = concurrency; // permits not handed out' },
      { find: 'while (active < limit && waiting.length > 0) {', replace: 'while (free > 0 && waiting.length > 0) {\n      free--;' },
      { find: 'active--;', replace: 'active--;\n          free++;' },
      { find: 'limit = value;', replace: 'limit = value;\n        free = value;' },
    ],
  },
  {
    name: 'rejects-after-running-finish',
    story: 'After the first error mapLimit waits for the mappers still running to finish before it rejects.',
    breaks: ['rejects as soon as a mapper fails, without waiting for the mappers still running'],
    edits: [
      {
        find: 'const fail = (error: unknown): void => {\n      if (failed) return;\n      failed = true;\n      reject(error);',
        replace:
          'let firstError: unknown;\n    const rejectWhenIdle = (): void => {\n      // Report the failure once the mappers still running are done.\n      if (running === 0) reject(firstError);\n    };\n    const fail = (error: unknown): void => {\n      if (failed) return rejectWhenIdle();\n      failed = true;\n      firstError = error;\n      rejectWhenIdle();',
      },
      { find: 'running--;', replace: 'running--;\n          if (failed) return rejectWhenIdle();' },
      { find: 'fail,', replace: '(error: unknown) => {\n          running--;\n          fail(error);\n        },' },
    ],
  },
  {
    name: 'resize-from-infinity-stalls',
    story: 'A semaphore whose free-permit balance moves by newLimit - oldLimit, which breaks after Infinity',
    breaks: [
      'lowering concurrency lets running calls finish and holds new ones back',
      'stays exact over 1,000 random steps of new calls, finishes, failures, new limits and clearQueue()',
    ],
    base: 'semaphore-workers',
    edits: [
      { find: 'private held = 0;', replace: 'private permits: number;' },
      { find: '    this.capacity = capacity;\n  }\n', replace: '    this.capacity = capacity;\n    this.permits = capacity;\n  }\n' },
      {
        find: '/** Resize; with a smaller capacity, more permits may stay held until enough are released. */\n  resize(capacity: number): void {\n',
        replace: '/** Resize; with fewer permits the balance may go negative until enough are released. */\n  resize(capacity: number): void {\n    this.permits += capacity - this.capacity;\n',
      },
      { find: 'this.held--;', replace: 'this.permits++;' },
      { find: 'while (this.held < this.capacity && this.waiters.length > 0) {\n      this.held++;', replace: 'while (this.permits > 0 && this.waiters.length > 0) {\n      this.permits--;' },
    ],
  },
  {
    name: 'resolves-before-mappers-finish',
    story: 'mapLimit resolves as soon as the input is used up, while the last mappers are still running.',
    breaks: ['resolves to the mapped values in input order, whatever order the mappers finish in'],
    edits: [
      { find: 'if (exhausted && running === 0 && !failed) resolve(results);', replace: 'if (exhausted && !failed) resolve(results);' },
    ],
  },
  {
    name: 'results-in-completion-order',
    story: 'mapLimit pushes each result when its mapper finishes, so results come back in completion order.',
    breaks: ['resolves to the mapped values in input order, whatever order the mappers finish in'],
    edits: [
      { find: 'results[index] = value;', replace: 'results.push(value);' },
    ],
  },
  {
    name: 'ring-buffer-grow-ignores-head',
    story: 'A ring-buffer queue that, when it grows, copies the slots from index 0 instead of from its head',
    breaks: ['stays exact over 1,000 random steps of new calls, finishes, failures, new limits and clearQueue()'],
    base: 'private-ring-buffer',
    edits: [
      { find: '      const mask = old.length - 1;\n', replace: '' },
      { find: 'grown[i] = old[(this.#head + i) & mask];', replace: 'grown[i] = old[i];' },
    ],
  },
  {
    name: 'setter-assigns-before-validating',
    story: 'The concurrency setter stores the new value before validating it, so a rejected value still takes effect.',
    breaks: ['the concurrency setter throws a TypeError for invalid values and accepts valid ones'],
    edits: [
      {
        find: 'assertValidConcurrency(value);\n        limit = value;',
        replace: 'limit = value;\n        assertValidConcurrency(value);',
      },
    ],
  },
  {
    name: 'setter-does-not-start-waiting',
    story: 'Raising concurrency does not start waiting calls: they wait until a running call settles.',
    breaks: ['raising concurrency starts waiting calls at once'],
    edits: [
      { find: '        // Raising the limit may free slots for calls that are waiting now.\n        queueMicrotask(startWaiting);\n', replace: '' },
    ],
  },
  {
    name: 'setter-without-validation',
    story: 'The concurrency setter stores any value without validating it.',
    breaks: ['the concurrency setter throws a TypeError for invalid values and accepts valid ones'],
    edits: [
      { find: '/** An integer of at least 1, or Infinity. Checked by the limiter, its setter and `mapLimit`. */', replace: '/** An integer of at least 1, or Infinity. Checked by createLimiter and `mapLimit`. */' },
      { find: '        assertValidConcurrency(value);\n', replace: '' },
    ],
  },
  {
    name: 'sync-iterables-only',
    story: 'mapLimit only asks for Symbol.iterator, so async iterables (async generators) are rejected.',
    breaks: ['never runs more than `concurrency` mappers, and starts the next as soon as one finishes', 'reads the input lazily: never more than `concurrency` items taken and not yet finished', 'accepts async iterables, such as an async generator that waits between items', 'starts no further mappers after the first error'],
    edits: [
      { find: "  if (items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {\n    return (items as AsyncIterable<T>)[Symbol.asyncIterator]();\n  }\n", replace: '' },
    ],
  },
  {
    name: 'sync-throw-keeps-mapping',
    story: "mapLimit catches a mapper's synchronous throw apart from its rejections, and forgets to stop there.",
    breaks: ['starts no further mappers after the first error'],
    edits: [
      { find: '// The async arrow turns a synchronous throw from `mapper` into a rejection.\n      (async (): Promise<Awaited<R>> => await mapper(item, index))().then(', replace: 'let output: R | PromiseLike<R>;\n      try {\n        output = mapper(item, index);\n      } catch (error) {\n        reject(error);\n        running--;\n        void pull();\n        return;\n      }\n      Promise.resolve(output).then(' },
      { find: 'results[index] = value;', replace: 'results[index] = value as Awaited<R>;' },
    ],
  },
  {
    name: 'sync-throw-not-caught',
    story: 'A synchronous throw from fn is not turned into a rejection: it escapes as an uncaught exception.',
    breaks: ['rejects with the very error fn throws or rejects with, and never throws from limit()', 'a call that fails frees its slot, so the queue never stalls'],
    edits: [
      { find: 'const start = async (): Promise<void> => {\n        try {\n          // `await` of a plain value is fine; a synchronous throw lands in `catch`.\n          resolve(await fn(...args));\n        } catch (error) {\n          reject(error);\n        } finally {\n          // Fulfilled or rejected, the slot is freed: a failure never stalls the queue.\n          active--;\n          startWaiting();\n        }', replace: 'const start = (): void => {\n        // Promise.resolve handles plain values and promises alike.\n        Promise.resolve(fn(...args))\n          .then(resolve, reject)\n          .finally(() => {\n            active--;\n            startWaiting();\n          });' },
    ],
  },
  {
    name: 'thenable-frees-slot-early',
    story: "The limiter only waits for fn's result when it is `instanceof Promise`: a thenable frees its slot at once.",
    breaks: ['never runs more than `concurrency` calls at once'],
    edits: [
      {
        find: 'const start = async (): Promise<void> => {\n        try {\n          // `await` of a plain value is fine; a synchronous throw lands in `catch`.\n          resolve(await fn(...args));\n        } catch (error) {\n          reject(error);\n        } finally {\n          // Fulfilled or rejected, the slot is freed: a failure never stalls the queue.\n          active--;\n          startWaiting();\n        }',
        replace:
          'const release = (): void => {\n        active--;\n        startWaiting();\n      };\n      const start = (): void => {\n        let result: R | PromiseLike<R>;\n        try {\n          result = fn(...args);\n        } catch (error) {\n          reject(error);\n          release();\n          return;\n        }\n        if (result instanceof Promise) {\n          // Wait for a promise to settle before freeing the slot.\n          result.then(resolve, reject).finally(release);\n        } else {\n          // A plain value: done already.\n          resolve(result as Awaited<R>);\n          release();\n        }',
      },
    ],
  },
  {
    name: 'thenable-mapper-not-awaited',
    story: "mapLimit waits only for real Promises: a mapper's thenable is stored as the result at once.",
    breaks: ['waits for a mapper that returns a thenable, and keeps its slot busy until it settles'],
    edits: [
      { find: '// The async arrow turns a synchronous throw from `mapper` into a rejection.\n      (async (): Promise<Awaited<R>> => await mapper(item, index))().then(', replace: 'let output: R | PromiseLike<R>;\n      try {\n        output = mapper(item, index);\n      } catch (error) {\n        fail(error);\n        return;\n      }\n      if (!(output instanceof Promise)) {\n        // "Not a promise, so it is the value": true of plain values, not of thenables.\n        results[index] = output as Awaited<R>;\n        running--;\n        finishIfDone();\n        void pull();\n        return;\n      }\n      (output as Promise<Awaited<R>>).then(' },
    ],
  },
  {
    name: 'timer-deferral',
    story: 'fn is deferred with setTimeout(0) instead of a microtask, so calls only start when a timer fires.',
    breaks: ["resolves with fn's result, whether fn returns a plain value or a promise", 'calls fn with the arguments given after it', 'rejects with the very error fn throws or rejects with, and never throws from limit()', 'never calls fn inside limit() itself, but starts it before any timer fires', 'when a call settles, the next waiting call starts before any timer fires', 'a call that fails frees its slot, so the queue never stalls', 'activeCount and pendingCount are accurate between steps', 'lowering concurrency lets running calls finish and holds new ones back', 'clearQueue() rejects every waiting call with an AbortError, and they never run', 'clearQueue() leaves running calls alone, and the limiter keeps working', 'with concurrency Infinity every call starts at once'],
    edits: [
      { find: '// Even with a free slot, start on a microtask: `fn` never runs inside `limit()`.\n      queueMicrotask(startWaiting);', replace: '// Even with a free slot, start later: `fn` never runs inside `limit()`.\n      setTimeout(startWaiting, 0);' },
    ],
  },
  {
    name: 'wraps-mapper-error',
    story: "mapLimit rejects with a new Error wrapping the mapper's error instead of the same object.",
    breaks: ['rejects with the first error, the same object, whether the mapper throws or rejects', 'starts no further mappers after the first error'],
    edits: [
      { find: 'failed = true;\n      reject(error);', replace: 'failed = true;\n      reject(new Error(`mapLimit: a mapper failed: ${error instanceof Error ? error.message : String(error)}`));' },
    ],
  },
  {
    name: 'zalgo-sync-start',
    story: 'fn is called synchronously inside limit() when a slot is free (releases Zalgo).',
    breaks: ['never calls fn inside limit() itself, but starts it before any timer fires'],
    edits: [
      { find: '// Even with a free slot, start on a microtask: `fn` never runs inside `limit()`.\n      queueMicrotask(startWaiting);', replace: '// Start right away if a slot is free.\n      startWaiting();' },
    ],
  },
] satisfies SmallBug[];
