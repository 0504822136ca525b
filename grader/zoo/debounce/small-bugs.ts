/**
 * Small bugs of the debounce exercise: each is the reference solution with a few anchored edits (`find` must
 * occur exactly once). Bugs that are a different design stay whole files in `bugs/`.
 */
import type { SmallBug } from '../../course/zoo.ts';

const FIRST_CALL_RECORDS_BURST =
  '      if (startsBurst) {\n' +
  '        // Record the burst (timer and promise) BEFORE calling fn: if fn calls the\n' +
  '        // debounced function, that call joins this burst instead of calling fn again.\n' +
  '        const outcome = deferred<Awaited<R>>();\n' +
  '        leading = outcome.promise;\n' +
  '        outcome.resolve(invoke(this, args));\n' +
  '      }\n';

const LEADING_TIMER = '      timer = setTimeout(() => {\n        timer = undefined;\n        leading = undefined;\n';

const ADD_LISTENER_PER_BURST =
  '    if (waiting === undefined) {\n' +
  '      waiting = deferred<Awaited<R>>();\n' +
  '      // One listener per waiting burst: `once` removes it if the signal aborts,\n' +
  '      // and the timer below removes it when fn is invoked.\n' +
  "      signal?.addEventListener('abort', onAbort, { once: true });\n" +
  '    }\n';

export default [
  {
    name: 'abort-deletes-options-signal',
    story: "On abort, the caller's options object loses its signal (delete options.signal).",
    breaks: ['never changes the options or arguments it is given, and one options object serves many debounced functions'],
    edits: [{ find: 'abandoned.reject(signal!.reason);', replace: 'abandoned.reject(signal!.reason);\n    delete options.signal;' }],
  },
  {
    name: 'abort-keeps-timer',
    story: "Aborting rejects the waiting callers but leaves the burst's timer running, so fn is still called.",
    breaks: [
      'aborting rejects every waiting caller with signal.reason at once, clears the timer, and fn is never called',
      'whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)',
    ],
    edits: [
      {
        find: '  const onAbort = (): void => {\n    clearTimeout(timer);\n    timer = undefined;\n',
        replace: '  const onAbort = (): void => {\n',
      },
    ],
  },
  {
    name: 'abort-only-clears-timer',
    story: 'Aborting clears the timer but never rejects the waiting callers, whose promises stay pending forever.',
    breaks: [
      'aborting rejects every waiting caller with signal.reason at once, clears the timer, and fn is never called',
      'whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)',
    ],
    edits: [
      {
        find: "    // Their invocation never started: they get the signal's reason, the same object.\n    abandoned.reject(signal!.reason);",
        replace: '    void abandoned;',
      },
    ],
  },
  {
    name: 'abort-rejects-running-invocation',
    story: 'Aborting also rejects the callers of an invocation that already started: the burst stays "abortable" until fn settles.',
    breaks: ['an abort does not cancel an invocation that already started: its callers get its outcome'],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  const running = new Set<Deferred<Awaited<R>>>();',
      },
      {
        find: 'abandoned.reject(signal!.reason);',
        replace: 'abandoned.reject(signal!.reason);\n    for (const burst of running) burst.reject(signal!.reason);\n    running.clear();',
      },
      {
        find: '      stopListening();\n      burst.resolve(invoke(thisArg, args));',
        replace:
          '      running.add(burst);\n' +
          '      const done = (): void => {\n' +
          '        running.delete(burst);\n' +
          '        if (running.size === 0 && waiting === undefined) stopListening();\n' +
          '      };\n' +
          '      invoke(thisArg, args).then(\n' +
          '        (value) => {\n' +
          '          done();\n' +
          '          burst.resolve(value);\n' +
          '        },\n' +
          '        (error: unknown) => {\n' +
          '          done();\n' +
          '          burst.reject(error);\n' +
          '        },\n' +
          '      );',
      },
    ],
  },
  {
    name: 'abort-rejects-with-new-error',
    story: 'Aborting rejects with a new AbortError instead of signal.reason, so `error === signal.reason` checks fail.',
    breaks: [
      'aborting rejects every waiting caller with signal.reason at once, clears the timer, and fn is never called',
      'a call made after the abort rejects with signal.reason at once and never calls fn',
      'whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)',
    ],
    edits: [
      {
        find: 'abandoned.reject(signal!.reason);',
        replace: "abandoned.reject(new DOMException('This operation was aborted', 'AbortError'));",
      },
      {
        find: 'if (signal?.aborted) return Promise.reject(signal.reason);',
        replace: "if (signal?.aborted) return Promise.reject(new DOMException('This operation was aborted', 'AbortError'));",
      },
    ],
  },
  {
    name: 'abort-sets-options-signal-undefined',
    story: "On abort, the caller's options object gets signal: undefined.",
    breaks: ['never changes the options or arguments it is given, and one options object serves many debounced functions'],
    edits: [{ find: 'abandoned.reject(signal!.reason);', replace: 'abandoned.reject(signal!.reason);\n    options.signal = undefined;' }],
  },
  {
    name: 'arrow-function-loses-this',
    story: "The debounced function is an arrow function calling fn(...args), so fn never sees the caller's `this`.",
    breaks: [
      'calls fn with the arguments and `this` of the last call of the burst',
      "calls fn at once on the first call of a burst, with that call's arguments and `this`",
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: 'resolve(fn.apply(thisArg, args) as',
        replace: 'resolve((fn as (...args: A) => R | PromiseLike<R>)(...args) as',
      },
      {
        find: 'return function debounced(this: This, ...args: A): Promise<Awaited<R>> {',
        replace: 'return ((...args: A): Promise<Awaited<R>> => {',
      },
      { find: 'outcome.resolve(invoke(this, args));', replace: 'outcome.resolve(invoke(undefined as This, args));' },
      { find: 'const thisArg = this;', replace: 'const thisArg = undefined as This;' },
      {
        find: '    return burst.promise;\n  };\n}',
        replace: '    return burst.promise;\n  }) as (this: This, ...args: A) => Promise<Awaited<R>>;\n}',
      },
    ],
  },
  {
    name: 'burst-promise-never-reset',
    story: "The burst's shared promise is never reset when fn is invoked, so every later burst hands out the first burst's (settled) promise.",
    breaks: [
      'each burst gets its own invocation and its own outcome',
      'a call made after fn was invoked starts a new burst, even while that invocation is still running',
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [{ find: '      waiting = undefined;\n      stopListening();', replace: '      stopListening();' }],
  },
  {
    name: 'checks-reason-not-aborted',
    story: 'Tests `signal.reason` instead of `signal.aborted` to refuse calls made after an abort: abort(null) looks "not aborted".',
    breaks: [
      'whatever the debounced function is doing when the signal aborts, only callers whose fn has not started are rejected, and no abort listener is left (both modes)',
    ],
    edits: [{ find: 'if (signal?.aborted) return', replace: 'if (signal?.reason) return' }],
  },
  {
    name: 'empty-args-keep-earlier',
    story: "A last call with no arguments keeps an earlier call's arguments: fn gets ('x') instead of ().",
    breaks: ['calls fn with the arguments and `this` of the last call of the burst'],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let lastArgs: A | undefined;',
      },
      { find: 'waiting = deferred<Awaited<R>>();', replace: 'waiting = deferred<Awaited<R>>();\n      lastArgs = undefined;' },
      {
        find: 'const thisArg = this;',
        replace: 'const thisArg = this;\n    const callArgs = (lastArgs = args.length > 0 || !lastArgs ? args : lastArgs);',
      },
      { find: 'burst.resolve(invoke(thisArg, args));', replace: 'burst.resolve(invoke(thisArg, callArgs));' },
    ],
  },
  {
    name: 'fills-in-option-defaults',
    story: "Fills in defaults by writing to the caller's options object (`options.before ??= false`).",
    breaks: ['never changes the options or arguments it is given, and one options object serves many debounced functions'],
    edits: [
      {
        find: 'const before = Boolean(options.before);',
        replace: 'options.before ??= false;\n  const before = options.before;',
      },
    ],
  },
  {
    name: 'finally-unhandled-rejection',
    story: 'A cleanup step chained with .finally() on the invocation re-rejects, and nobody handles that promise.',
    breaks: [
      "every caller of a burst gets the invocation's rejection, the same error object",
      'a synchronous throw from fn rejects every caller of the burst',
    ],
    edits: [
      {
        find: 'burst.resolve(invoke(thisArg, args));',
        replace:
          'const outcome = invoke(thisArg, args);\n      burst.resolve(outcome);\n      void outcome.finally(() => stopListening());',
      },
    ],
  },
  {
    name: 'first-call-arguments',
    story: "Trailing mode calls fn with the first call's arguments and `this`, not the last call's.",
    breaks: [
      'calls fn with the arguments and `this` of the last call of the burst',
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let burstThis: This | undefined;\n  let burstArgs: A | undefined;',
      },
      {
        find: 'waiting = deferred<Awaited<R>>();',
        replace: 'waiting = deferred<Awaited<R>>();\n      burstThis = this;\n      burstArgs = args;',
      },
      { find: 'const thisArg = this;', replace: 'const thisArg = burstThis as This;\n    const firstArgs = burstArgs as A;' },
      { find: 'burst.resolve(invoke(thisArg, args));', replace: 'burst.resolve(invoke(thisArg, firstArgs));' },
    ],
  },
  {
    name: 'freezes-argument-objects',
    story: "The caller's argument objects are frozen before fn is called.",
    breaks: ['never changes the options or arguments it is given, and one options object serves many debounced functions'],
    edits: [
      {
        find: 'burst.resolve(invoke(thisArg, args));',
        replace:
          "for (const a of args) if (a && typeof a === 'object' && !Object.isFrozen(a)) Object.freeze(a);\n" +
          '      burst.resolve(invoke(thisArg, args));',
      },
    ],
  },
  {
    name: 'joins-running-invocation',
    story: "The burst is kept until fn settles, so a call made while fn runs joins the running invocation's result.",
    breaks: ['a call made after fn was invoked starts a new burst, even while that invocation is still running'],
    edits: [
      {
        find: '      waiting = undefined;\n      stopListening();\n      burst.resolve(invoke(thisArg, args));',
        replace:
          '      stopListening();\n' +
          '      const outcome = invoke(thisArg, args);\n' +
          '      burst.resolve(outcome);\n' +
          '      const done = (): void => {\n' +
          '        if (waiting === burst) waiting = undefined;\n' +
          '      };\n' +
          '      outcome.then(done, done);',
      },
    ],
  },
  {
    name: 'leading-abort-rejects-burst',
    story: "With before: true an abort rejects the burst's later callers although its leading invocation already ran.",
    breaks: ['an abort does not cancel an invocation that already started: its callers get its outcome'],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let later: Deferred<Awaited<R>>[] = [];',
      },
      {
        find: 'abandoned.reject(signal!.reason);',
        replace: 'abandoned.reject(signal!.reason);\n    for (const caller of later.splice(0)) caller.reject(signal!.reason);',
      },
      {
        find: LEADING_TIMER,
        replace:
          '      timer = setTimeout(() => {\n' +
          '        const outcome = leading!;\n' +
          '        timer = undefined;\n' +
          '        leading = undefined;\n' +
          '        stopListening();\n' +
          '        for (const caller of later.splice(0)) caller.resolve(outcome);\n',
      },
      {
        find: 'outcome.resolve(invoke(this, args));',
        replace: "outcome.resolve(invoke(this, args));\n        signal?.addEventListener('abort', onAbort, { once: true });",
      },
      {
        find: 'return leading!;',
        replace:
          'if (startsBurst) return leading!;\n' +
          '      const caller = deferred<Awaited<R>>();\n' +
          '      later.push(caller);\n' +
          '      return caller.promise;',
      },
    ],
  },
  {
    name: 'leading-and-trailing',
    story: 'With before: true fn is also called at the end of a burst of several calls (leading and trailing, as lodash does).',
    breaks: [
      "every call of the burst gets the leading invocation's value, and fn is not called again at its end",
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      { find: '    if (before) {\n', replace: '    if (before) {\n      const thisArg = this;\n      const extra = !startsBurst;\n' },
      {
        find: '        leading = undefined;\n      }, delay);',
        replace: '        leading = undefined;\n        if (extra) invoke(thisArg, args).catch(() => {});\n      }, delay);',
      },
    ],
  },
  {
    name: 'leading-burst-from-first-call',
    story: 'With before: true the burst ends `wait` ms after its first call, not after `wait` ms of quiet (throttling).',
    breaks: [
      'after `wait` ms with no call, the next call starts a new burst and calls fn at once again',
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      { find: '    clearTimeout(timer);\n\n    if (before) {', replace: '    if (!before) clearTimeout(timer);\n\n    if (before) {' },
      {
        find: LEADING_TIMER + '      }, delay);\n      if (startsBurst) {\n',
        replace:
          '      if (startsBurst) {\n' +
          '        timer = setTimeout(() => {\n' +
          '          timer = undefined;\n' +
          '          leading = undefined;\n' +
          '        }, delay);\n',
      },
    ],
  },
  {
    name: 'leading-burst-recorded-after-fn',
    story: 'With before: true, the burst is recorded only after fn returns: a call from inside fn calls it again.',
    breaks: ['a call made from inside the leading fn belongs to its burst: fn is not called again for it'],
    edits: [
      { find: FIRST_CALL_RECORDS_BURST, replace: '' },
      { find: LEADING_TIMER, replace: '      if (startsBurst) leading = invoke(this, args);\n' + LEADING_TIMER },
    ],
  },
  {
    name: 'leading-falsy-result-calls-again',
    story: 'With before: true, the leading value is cached once it arrives, and an empty cache (`=== undefined`) means "no invocation".',
    breaks: ["a result or rejection of undefined, null, 0, false or '' is passed on like any other, in both modes"],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let cached: Awaited<R> | undefined;',
      },
      {
        find: '        leading = undefined;\n      }, delay);',
        replace: '        leading = undefined;\n        cached = undefined;\n      }, delay);',
      },
      {
        find: '    if (before) {\n',
        replace:
          '    if (before) {\n' +
          '      if (cached !== undefined) {\n' +
          '        timer = setTimeout(() => {\n' +
          '          timer = undefined;\n' +
          '          leading = undefined;\n' +
          '          cached = undefined;\n' +
          '        }, delay);\n' +
          '        return Promise.resolve(cached);\n' +
          '      }\n',
      },
      { find: 'if (startsBurst) {', replace: 'if (startsBurst || leading === undefined) {' },
      {
        find: 'outcome.resolve(invoke(this, args));',
        replace:
          'outcome.resolve(invoke(this, args));\n' +
          '        const started = outcome.promise;\n' +
          '        started.then(\n' +
          '          (value) => {\n' +
          '            if (leading !== started) return;\n' +
          '            cached = value;\n' +
          '            leading = undefined;\n' +
          '          },\n' +
          '          () => {},\n' +
          '        );',
      },
    ],
  },
  {
    name: 'leading-later-callers-get-undefined',
    story: 'With before: true the later callers of a burst are resolved when it ends, after the leading value was already cleared.',
    breaks: [
      "every call of the burst gets the leading invocation's value, and fn is not called again at its end",
      "calls fn at once on the first call of a burst, with that call's arguments and `this`",
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace:
          'let leading: Promise<Awaited<R>> | undefined;\n  let later: Array<(value: Awaited<R> | PromiseLike<Awaited<R>>) => void> = [];',
      },
      {
        find: '        leading = undefined;\n      }, delay);',
        replace:
          '        leading = undefined;\n' +
          '        for (const resolve of later) resolve(leading as unknown as Awaited<R>);\n' +
          '        later = [];\n' +
          '      }, delay);',
      },
      {
        find: 'return leading!;',
        replace: 'if (startsBurst) return leading!;\n      return new Promise<Awaited<R>>((resolve) => later.push(resolve));',
      },
    ],
  },
  {
    name: 'leading-plain-call-gets-globalthis',
    story: 'With before: true, a plain call (no `this`) calls fn with globalThis instead of undefined.',
    breaks: ["calls fn at once on the first call of a burst, with that call's arguments and `this`"],
    edits: [
      {
        find: 'outcome.resolve(invoke(this, args));',
        replace: 'outcome.resolve(invoke((this ?? (globalThis as unknown)) as This, args));',
      },
    ],
  },
  {
    name: 'listener-kept-until-fn-settles',
    story: 'The abort listener stays until fn settles, and the abort handler returns early when nobody waits.',
    breaks: [
      'whatever the debounced function is doing when the signal aborts, only callers whose fn has not started are rejected, and no abort listener is left (both modes)',
      'removes its abort listener when fn is invoked, not when fn settles: a fn that never settles leaves no listener',
    ],
    edits: [
      {
        find: '    const abandoned = waiting!;',
        replace:
          '    if (waiting === undefined) return; // fn is running: its callers get its outcome\n' +
          '    stopListening();\n' +
          '    const abandoned = waiting;',
      },
      {
        find: "signal?.addEventListener('abort', onAbort, { once: true });",
        replace: "signal?.addEventListener('abort', onAbort);",
      },
      {
        find: '      stopListening();\n      burst.resolve(invoke(thisArg, args));',
        replace:
          '      const running = invoke(thisArg, args);\n' +
          '      running.then(stopListening, stopListening);\n' +
          '      burst.resolve(running);',
      },
    ],
  },
  {
    name: 'listener-per-call-never-removed',
    story: 'Every call adds a new abort listener (a fresh arrow function) and none is ever removed.',
    breaks: ['removes its abort listener once nothing is waiting: no listener leak across many bursts'],
    edits: [
      {
        find: ADD_LISTENER_PER_BURST,
        replace:
          '    if (waiting === undefined) waiting = deferred<Awaited<R>>();\n' +
          "    signal?.addEventListener('abort', () => onAbort());\n",
      },
      { find: '      stopListening();\n      burst.resolve(', replace: '      burst.resolve(' },
    ],
  },
  {
    name: 'listener-removed-at-settle',
    story: "Trailing mode removes the abort listener when fn's invocation settles, not when it starts (and leading mode records its burst only after fn returns).",
    breaks: [
      'removes its abort listener when fn is invoked, not when fn settles: a fn that never settles leaves no listener',
      'a call made from inside the leading fn belongs to its burst: fn is not called again for it',
    ],
    edits: [
      { find: '    const abandoned = waiting!;', replace: '    const abandoned = waiting;' },
      { find: 'abandoned.reject(signal!.reason);', replace: 'abandoned?.reject(signal!.reason);' },
      {
        find: '      stopListening();\n      burst.resolve(invoke(thisArg, args));',
        replace:
          '      const running = invoke(thisArg, args);\n' +
          '      const detach = (): void => {\n' +
          '        if (waiting === undefined) stopListening();\n' +
          '      };\n' +
          '      running.then(detach, detach);\n' +
          '      burst.resolve(running);',
      },
      { find: FIRST_CALL_RECORDS_BURST, replace: '' },
      { find: LEADING_TIMER, replace: '      if (startsBurst) leading = invoke(this, args);\n' + LEADING_TIMER },
    ],
  },
  {
    name: 'listener-removed-only-on-abort',
    story: 'One abort listener per burst, added with { once: true } and never removed when fn is invoked.',
    breaks: ['removes its abort listener once nothing is waiting: no listener leak across many bursts'],
    edits: [{ find: '      stopListening();\n      burst.resolve(', replace: '      burst.resolve(' }],
  },
  {
    name: 'module-level-abort-handler',
    story: 'One module-level abort handler shared by every debounced function, finding the waiting burst by signal.',
    breaks: [
      'whatever the debounced function is doing when the signal aborts, only callers whose fn has not started are rejected, and no abort listener is left (both modes)',
    ],
    edits: [
      {
        find: 'export function debounceAsync<',
        replace:
          'const waitingOn = new WeakMap<AbortSignal, (reason: unknown) => void>();\n' +
          'function onAbort(this: AbortSignal): void {\n' +
          '  const abandon = waitingOn.get(this);\n' +
          '  waitingOn.delete(this);\n' +
          '  abandon?.(this.reason);\n' +
          '}\n' +
          '\n' +
          'export function debounceAsync<',
      },
      { find: '  const onAbort = (): void => {', replace: '  const abandon = (reason: unknown): void => {' },
      { find: '    const abandoned = waiting!;', replace: '    const abandoned = waiting;' },
      { find: 'abandoned.reject(signal!.reason);', replace: 'abandoned?.reject(reason);' },
      {
        find: 'waiting = deferred<Awaited<R>>();',
        replace: 'waiting = deferred<Awaited<R>>();\n      if (signal) waitingOn.set(signal, abandon);',
      },
    ],
  },
  {
    name: 'module-level-timer',
    story: 'The timer lives in a module-level variable shared by every debounced function.',
    breaks: ['never changes the options or arguments it is given, and one options object serves many debounced functions'],
    edits: [
      { find: '  let timer: ReturnType<typeof setTimeout> | undefined;\n', replace: '' },
      {
        find: 'export function debounceAsync<',
        replace: 'let timer: ReturnType<typeof setTimeout> | undefined;\n\nexport function debounceAsync<',
      },
    ],
  },
  {
    name: 'negative-wait-absolute',
    story: 'A negative wait is turned into its absolute value (Math.abs) instead of 0.',
    breaks: ['a negative wait behaves as 0'],
    edits: [{ find: 'const delay = Math.max(0, wait);', replace: 'const delay = Math.abs(wait);' }],
  },
  {
    name: 'negative-wait-throws',
    story: 'A negative wait throws a TypeError instead of behaving as 0.',
    breaks: [
      'throws a TypeError at once for a wait that is NaN, ±Infinity or not a number',
      'a negative wait behaves as 0',
    ],
    edits: [{ find: 'if (!Number.isFinite(wait)) {', replace: 'if (!Number.isFinite(wait) || wait < 0) {' }],
  },
  {
    name: 'no-aborted-check',
    story: 'A call made after the abort is debounced as usual: it waits, and fn is called for it.',
    breaks: [
      'a call made after the abort rejects with signal.reason at once and never calls fn',
      'whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)',
    ],
    edits: [{ find: '    if (signal?.aborted) return Promise.reject(signal.reason);\n', replace: '' }],
  },
  {
    name: 'normalises-rejections',
    story: 'Rejections that are not Error objects are wrapped in a new Error, so callers no longer get what fn rejected with.',
    breaks: ["every caller of a burst gets the invocation's rejection, the same error object"],
    edits: [
      {
        find: 'resolve(fn.apply(thisArg, args) as Awaited<R> | PromiseLike<Awaited<R>>));',
        replace:
          'resolve(fn.apply(thisArg, args) as Awaited<R> | PromiseLike<Awaited<R>>)).catch(\n' +
          '      (error: unknown) => {\n' +
          '        throw error instanceof Error ? error : new Error(String(error));\n' +
          '      },\n' +
          '    );',
      },
    ],
  },
  {
    name: 'nullish-this-keeps-earlier',
    story: "lastThis = this ?? lastThis: a last call made without `this` calls fn with an earlier call's `this`.",
    breaks: ['calls fn with the arguments and `this` of the last call of the burst'],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let lastThis: This | undefined;',
      },
      { find: 'waiting = deferred<Awaited<R>>();', replace: 'waiting = deferred<Awaited<R>>();\n      lastThis = undefined;' },
      { find: 'const thisArg = this;', replace: 'const thisArg = (lastThis = this ?? lastThis) as This;' },
    ],
  },
  {
    name: 'rejects-superseded-callers',
    story: 'A later call rejects the earlier callers of the burst with a "Debounced" error instead of sharing the result.',
    breaks: [
      "every caller of a burst gets the invocation's value",
      "every caller of a burst gets the invocation's rejection, the same error object",
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: ADD_LISTENER_PER_BURST,
        replace:
          "    waiting?.reject(new Error('Debounced: superseded by a later call'));\n" +
          '    waiting = deferred<Awaited<R>>();\n' +
          "    signal?.addEventListener('abort', onAbort, { once: true });\n",
      },
    ],
  },
  {
    name: 'state-reset-after-calling-fn',
    story: 'Hands the burst over only after calling fn: a call made from inside fn joins the running invocation.',
    breaks: ['a call made from inside fn itself starts a new burst: it gets the next invocation\'s outcome'],
    edits: [
      { find: '      stopListening();\n      burst.resolve(invoke(thisArg, args));', replace: '      stopListening();' },
      {
        find: '    timer = setTimeout(() => {\n      timer = undefined;\n',
        replace: '    timer = setTimeout(() => {\n      burst.resolve(invoke(thisArg, args));\n      timer = undefined;\n',
      },
    ],
  },
  {
    name: 'sync-throw-escapes',
    story: 'The call of fn happens outside any promise (`Promise.resolve(fn.apply(...))`), so a synchronous throw escapes instead of rejecting the callers.',
    breaks: [
      'a synchronous throw from fn rejects every caller of the burst',
      "the first caller gets the leading invocation's rejection or throw, and every caller settles",
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: 'new Promise<Awaited<R>>((resolve) => resolve(fn.apply(thisArg, args) as Awaited<R> | PromiseLike<Awaited<R>>));',
        replace: 'Promise.resolve(fn.apply(thisArg, args)) as Promise<Awaited<R>>;',
      },
    ],
  },
  {
    name: 'throttle-timer-from-first-call',
    story: 'The trailing timer runs from the first call of the burst and is never restarted (throttling, not debouncing).',
    breaks: [
      'calls fn once, `wait` ms after the last call of a burst, never at once',
      "whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)",
    ],
    edits: [
      {
        find: 'let leading: Promise<Awaited<R>> | undefined;',
        replace: 'let leading: Promise<Awaited<R>> | undefined;\n  let latest: { thisArg: This; args: A } | undefined;',
      },
      { find: '    clearTimeout(timer);\n\n    if (before) {', replace: '    if (before) clearTimeout(timer);\n\n    if (before) {' },
      {
        find: '    const thisArg = this;\n    timer = setTimeout(() => {',
        replace: '    latest = { thisArg: this, args };\n    if (startsBurst) timer = setTimeout(() => {',
      },
      { find: 'burst.resolve(invoke(thisArg, args));', replace: 'burst.resolve(invoke(latest!.thisArg, latest!.args));' },
    ],
  },
  {
    name: 'validation-nan-only',
    story: 'Only NaN is refused as a wait (`Number.isNaN(wait)`): Infinity and strings are accepted.',
    breaks: ['throws a TypeError at once for a wait that is NaN, ±Infinity or not a number'],
    edits: [{ find: 'if (!Number.isFinite(wait)) {', replace: 'if (Number.isNaN(wait)) {' }],
  },
] satisfies SmallBug[];
