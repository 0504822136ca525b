/**
 * Small bugs of the retry exercise: each is the reference solution with a few anchored edits (`find` must
 * occur exactly once). Bugs that are a different design stay whole files in `bugs/`.
 */
import type { SmallBug } from '../../course/zoo.ts';

export default [
  {
    name: 'abort-during-should-retry-missed',
    story: 'Checks the signal after onFailedAttempt but not after shouldRetry, and the delay never checks it: an abort while shouldRetry runs is waited out.',
    breaks: ['an abort while shouldRetry runs, or from inside a hook, rejects with signal.reason by the end of the delay and makes no further call'],
    edits: [
      { find: '      await onFailedAttempt?.(failed);\n', replace: '      await onFailedAttempt?.(failed);\n      signal?.throwIfAborted();\n' },
      { find: '    if (signal?.aborted) {\n      reject(signal.reason);\n      return;\n    }\n', replace: '' },
    ],
  },
  {
    name: 'abort-error-detected-by-name',
    story: 'Races each attempt against the signal and recognises AbortError by its name: the DOMException of an abort with no reason passes for one, and retry rejects with its originalError, undefined.',
    breaks: ['an abort with no reason (signal.reason is then a DOMException) rejects with that same DOMException, at every step'],
    edits: [
      { find: 'export async function retry<R>(', replace: `/** The attempt, or signal.reason the moment the signal aborts. */
function abortable<T>(attempt: PromiseLike<T> | T, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(attempt);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(attempt).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function retry<R>(` },
      { find: 'value = await input(attemptNumber);', replace: 'value = await abortable(input(attemptNumber), signal);' },
      { find: "      // Aborted while this attempt ran: the signal's reason wins over the attempt's error.\n      signal?.throwIfAborted();\n      if (error instanceof AbortError) throw error.originalError;\n", replace: "      if ((error as Error).name === 'AbortError') throw (error as AbortError).originalError;\n      // Aborted while this attempt ran: the signal's reason wins over the attempt's error.\n      signal?.throwIfAborted();\n" },
    ],
  },
  {
    name: 'abort-error-string-wraps-itself',
    story: 'new AbortError(message) uses the AbortError itself as its originalError, so retry rejects with an AbortError.',
    breaks: [
      'new AbortError(message) gets an originalError that is a new Error with that message',
      'input throwing or rejecting with an AbortError stops at once with its originalError, calling no hook',
    ],
    edits: [
      { find: '      // For a plain message the caller gets an ordinary Error, not this AbortError.\n      this.originalError = new Error(messageOrError);', replace: '      this.originalError = this;' },
    ],
  },
  {
    name: 'abort-error-without-name',
    story: 'AbortError never sets its name, so it reads "Error": code that checks error.name misses it.',
    breaks: ['new AbortError(error) is an Error named "AbortError" whose originalError is that same error'],
    edits: [
      { find: "  override readonly name = 'AbortError';\n", replace: '' },
    ],
  },
  {
    name: 'abort-inside-input-missed',
    story: 'Listens for the abort only after calling input: an abort made by input itself, before it succeeds, is missed',
    breaks: ['aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call'],
    base: 'timers-promises-race',
    edits: [
      {
        find: '    const value = await Promise.race([work, aborted]);\n    // An abort from inside input itself came before the listener was added: it is seen here.\n    signal.throwIfAborted();\n    return value;\n',
        replace: '    return await Promise.race([work, aborted]);\n',
      },
    ],
  },
  {
    name: 'abort-listener-left-behind',
    story: 'Adds an abort listener for every delay and never removes it when the timer fires: a long-lived signal collects them all.',
    breaks: ['leaves no timer pending and no abort listener attached once it has settled'],
    edits: [
      { find: "      signal?.removeEventListener('abort', onAbort);\n", replace: '' },
    ],
  },
  {
    name: 'abort-unchecked-after-attempt',
    story: 'Ignores an abort that happens while an attempt runs: the signal is only looked at before the first attempt and during delays, so a late success still resolves.',
    breaks: ['aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call'],
    edits: [
      { find: "      // Aborted while this attempt ran: the signal's reason wins over the attempt's error.\n      signal?.throwIfAborted();\n", replace: '' },
      { find: '    // Aborted while this attempt ran, even if it succeeded: reject with the reason.\n    signal?.throwIfAborted();\n', replace: '' },
    ],
  },
  {
    name: 'already-aborted-calls-input',
    story: 'Calls input once even when the signal is already aborted: the signal is first checked after the first attempt.',
    breaks: ['an already aborted signal rejects with signal.reason and never calls input'],
    edits: [
      { find: "  // Already aborted: reject with the signal's own reason, and never call input.\n  signal?.throwIfAborted();\n\n", replace: '' },
    ],
  },
  {
    name: 'attempt-numbers-from-zero',
    story: 'Counts attempts from 0 (delays and the retry count adjusted for it): input gets 0, 1, 2 and the hooks see attemptNumber 0 first.',
    breaks: [
      'calls input with the attempt number, starting at 1, and resolves with the first success',
      'calls onFailedAttempt after every failed attempt, the last one too, with { error, attemptNumber, retriesLeft }',
    ],
    edits: [
      { find: '  for (let attemptNumber = 1; ; attemptNumber++) {', replace: '  for (let attemptNumber = 0; ; attemptNumber++) {' },
      { find: 'const retriesLeft = retries - (attemptNumber - 1);', replace: 'const retriesLeft = retries - attemptNumber;' },
      { find: 'await sleep(backoff(attemptNumber,', replace: 'await sleep(backoff(attemptNumber + 1,' },
    ],
  },
  {
    name: 'delay-at-least-min-timeout',
    story: 'Never waits less than minTimeout (`Math.max(minTimeout, ...)` around the delay), though with a factor below 1 the waits must shrink and a smaller maxTimeout must win.',
    breaks: [
      'waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond',
      'minTimeout: 0, maxTimeout: 0 and factor: 0 are used as given on calls that retry, not replaced by the defaults',
    ],
    edits: [
      { find: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));', replace: 'return Math.min(maxTimeout, Math.max(minTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1))));' },
    ],
  },
  {
    name: 'delay-not-capped',
    story: 'Ignores maxTimeout: the Math.min is missing, so delays keep growing past the cap.',
    breaks: [
      'waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond',
      'with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout',
    ],
    edits: [
      { find: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));', replace: 'return Math.round(random * minTimeout * factor ** (attemptNumber - 1));' },
    ],
  },
  {
    name: 'factor-zero-means-default',
    story: 'Defaults with ||: `options.factor || 2` treats 0 as missing, so `factor: 0` grows the waits by 2 anyway.',
    breaks: ['minTimeout: 0, maxTimeout: 0 and factor: 0 are used as given on calls that retry, not replaced by the defaults'],
    edits: [
      { find: '    factor = 2,\n', replace: '' },
      { find: '  } = options;\n', replace: '  } = options;\n  const factor = options.factor || 2;\n' },
    ],
  },
  {
    name: 'first-retry-doubled',
    story: 'Delays computed as minTimeout * factor ** n (not n - 1): the first retry already waits minTimeout * factor.',
    breaks: [
      'waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond',
      'uses the defaults: 10 retries, minTimeout 1000, factor 2, no maxTimeout',
    ],
    edits: [
      { find: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));', replace: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** attemptNumber));' },
    ],
  },
  {
    name: 'floor-not-round',
    story: 'Rounds delays down with Math.floor instead of Math.round: 28.9 ms becomes 28, not 29.',
    breaks: [
      'waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond',
      'with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout',
    ],
    edits: [
      { find: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));', replace: 'return Math.min(maxTimeout, Math.floor(random * minTimeout * factor ** (attemptNumber - 1)));' },
    ],
  },
  {
    name: 'hook-abort-error-unwrapped',
    story: "Unwraps an AbortError thrown by a hook, as if input had thrown it: retry must reject with the hook's AbortError itself.",
    breaks: ["a hook that throws or rejects stops retrying, and retry rejects with the hook's error"],
    edits: [
      { find: '      await onFailedAttempt?.(failed);\n      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n      if (shouldRetry && !(await shouldRetry(failed))) throw error;\n', replace: `      try {
        await onFailedAttempt?.(failed);
        if (retriesLeft <= 0) throw error;
        if (shouldRetry && !(await shouldRetry(failed))) throw error;
      } catch (stop) {
        throw stop instanceof AbortError ? stop.originalError : stop;
      }
` },
    ],
  },
  {
    name: 'hook-error-swallowed',
    story: 'Catches and ignores errors thrown by onFailedAttempt ("hooks must never break the retry"), and keeps retrying.',
    breaks: ["a hook that throws or rejects stops retrying, and retry rejects with the hook's error"],
    edits: [
      { find: "      // A hook that throws (or rejects) ends retrying with the hook's error: no try/catch here.\n      await onFailedAttempt?.(failed);\n", replace: '      try {\n        await onFailedAttempt?.(failed);\n      } catch {\n      }\n' },
    ],
  },
  {
    name: 'hooks-awaited-after-abort',
    story: 'Runs and awaits the hooks for an attempt the signal aborted, checking the signal only after onFailedAttempt: a slow hook holds back the rejection.',
    breaks: ['aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call'],
    edits: [
      { find: "      // Aborted while this attempt ran: the signal's reason wins over the attempt's error.\n      signal?.throwIfAborted();\n", replace: '' },
      { find: '      await onFailedAttempt?.(failed);\n', replace: '      await onFailedAttempt?.(failed);\n      signal?.throwIfAborted();\n' },
    ],
  },
  {
    name: 'infinity-rejected',
    story: 'Rejects Infinity (Number.isFinite) for retries and the timeouts, though `retries: Infinity` and the default maxTimeout are valid.',
    breaks: [
      'accepts any non-negative number, Infinity included, for retries, minTimeout, maxTimeout and factor',
      'retries: Infinity keeps retrying, with retriesLeft Infinity',
    ],
    edits: [
      { find: '/** A number, not NaN, not negative. Infinity passes: it is a number and it is not negative. */\n', replace: '' },
      { find: "typeof value !== 'number' || Number.isNaN(value) || value < 0", replace: "typeof value !== 'number' || !Number.isFinite(value) || value < 0" },
      { find: '    maxTimeout = Infinity,', replace: '    maxTimeout = Number.MAX_SAFE_INTEGER,' },
    ],
  },
  {
    name: 'jitter-after-cap',
    story: 'Applies the random factor after capping, so a randomized delay can exceed maxTimeout.',
    breaks: ['with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout'],
    edits: [
      { find: 'return Math.min(maxTimeout, Math.round(random * minTimeout * factor ** (attemptNumber - 1)));', replace: 'return Math.round(random * Math.min(maxTimeout, minTimeout * factor ** (attemptNumber - 1)));' },
    ],
  },
  {
    name: 'jitter-below-one',
    story: 'Multiplies by Math.random() instead of 1 + Math.random(): randomized delays shrink instead of spreading upwards.',
    breaks: ['with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout'],
    edits: [{ find: 'const random = randomize ? 1 + Math.random() : 1;', replace: 'const random = randomize ? Math.random() : 1;' }],
  },
  {
    name: 'jitter-once-per-call',
    story: 'Draws one random factor per retry() call and reuses it for every delay, instead of a fresh Math.random() for each wait.',
    breaks: ['with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout'],
    edits: [
      { find: 'factor: number, randomize: boolean): number {\n  const random = randomize ? 1 + Math.random() : 1;\n', replace: 'factor: number, random: number): number {\n' },
      { find: '  signal?.throwIfAborted();\n\n  for (let attemptNumber = 1; ; attemptNumber++) {', replace: '  signal?.throwIfAborted();\n  const jitter = randomize ? 1 + Math.random() : 1;\n\n  for (let attemptNumber = 1; ; attemptNumber++) {' },
      { find: 'factor, randomize), signal);', replace: 'factor, jitter), signal);' },
    ],
  },
  {
    name: 'last-attempt-error-beats-abort',
    story: "Checks the signal only when a retry is coming: an abort during the last attempt is lost, and retry rejects with the attempt's error.",
    breaks: [
      'aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call',
      'an abort with no reason (signal.reason is then a DOMException) rejects with that same DOMException, at every step',
    ],
    edits: [
      { find: "      // Aborted while this attempt ran: the signal's reason wins over the attempt's error.\n      signal?.throwIfAborted();\n", replace: '' },
      { find: '      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n', replace: '      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n      signal?.throwIfAborted();\n' },
    ],
  },
  {
    name: 'loose-validation',
    story: "Checks only that options are not negative: strings and booleans get through (`'3' < 0` is false).",
    breaks: ['rejects invalid options with a TypeError: negative or non-number retries, minTimeout, maxTimeout or factor'],
    edits: [{ find: "  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {", replace: '  if ((value as number) < 0) {' }],
  },
  {
    name: 'max-retries-exceeded',
    story: "Rejects with a new Error('Max retries exceeded') instead of the last error: the caller loses the real failure.",
    breaks: ['when every attempt fails, rejects with the last error, the same object'],
    edits: [{ find: 'if (retriesLeft <= 0) throw error;', replace: 'if (retriesLeft <= 0) throw new Error(`Max retries exceeded (${retries})`);' }],
  },
  {
    name: 'max-timeout-zero-means-no-cap',
    story: 'Defaults with ||: `options.maxTimeout || Infinity` treats 0 as missing, so `maxTimeout: 0` means no cap at all.',
    breaks: ['minTimeout: 0, maxTimeout: 0 and factor: 0 are used as given on calls that retry, not replaced by the defaults'],
    edits: [
      { find: '    maxTimeout = Infinity,\n', replace: '' },
      { find: '  } = options;\n', replace: '  } = options;\n  const maxTimeout = options.maxTimeout || Infinity;\n' },
    ],
  },
  {
    name: 'min-timeout-zero-means-default',
    story: 'Defaults with ||: `options.minTimeout || 1000` treats 0 as missing, so `minTimeout: 0` waits a second between retries.',
    breaks: ['minTimeout: 0, maxTimeout: 0 and factor: 0 are used as given on calls that retry, not replaced by the defaults'],
    edits: [
      { find: '    minTimeout = 1000,\n', replace: '' },
      { find: '  } = options;\n', replace: '  } = options;\n  const minTimeout = options.minTimeout || 1000;\n' },
    ],
  },
  {
    name: 'mutates-options',
    story: "Writes the defaults into the caller's options object (`options.retries ??= 10` and friends): a frozen one makes retry throw, a shared one changes.",
    breaks: ['never changes the options object, so one object can be reused for many calls'],
    edits: [
      { find: `  // Read the options once, into locals: the caller's object is never written to,
  // so one options object can be shared by many calls.
  const {
    retries = 10,
    minTimeout = 1000,
    maxTimeout = Infinity,
    factor = 2,
    randomize = false,
`, replace: `  options.retries ??= 10;
  options.minTimeout ??= 1000;
  options.maxTimeout ??= Infinity;
  options.factor ??= 2;
  options.randomize ??= false;
  const {
    retries,
    minTimeout,
    maxTimeout,
    factor,
    randomize,
` },
    ],
  },
  {
    name: 'on-failed-attempt-not-awaited',
    story: 'Calls onFailedAttempt without awaiting it: an async hook is fired and forgotten, the delay starts at once.',
    breaks: ['waits for async onFailedAttempt and shouldRetry before going on'],
    edits: [{ find: 'await onFailedAttempt?.(failed);', replace: 'void onFailedAttempt?.(failed);' }],
  },
  {
    name: 'on-failed-attempt-skipped-on-last',
    story: 'Skips onFailedAttempt after the last attempt: it is only called when a retry will follow.',
    breaks: ['calls onFailedAttempt after every failed attempt, the last one too, with { error, attemptNumber, retriesLeft }'],
    edits: [
      { find: '      await onFailedAttempt?.(failed);\n      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n', replace: '      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n      await onFailedAttempt?.(failed);\n' },
    ],
  },
  {
    name: 'onabort-property',
    story: 'Listens with `signal.onabort = ...` instead of addEventListener: one handler per signal, whoever set it last, so calls sharing a signal overwrite each other.',
    breaks: [
      'leaves no timer pending and no abort listener attached once it has settled',
      'hundreds of retry calls on one clock: each makes exactly its own attempts, in order and on time, and settles with its own outcome',
    ],
    edits: [
      { find: '      clearTimeout(timer);\n', replace: '      clearTimeout(timer);\n      signal!.onabort = null;\n' },
      { find: "      signal?.removeEventListener('abort', onAbort);", replace: '      if (signal) signal.onabort = null;' },
      { find: "    // `once`: the listener removes itself if it fires.\n    signal?.addEventListener('abort', onAbort, { once: true });", replace: '    if (signal) signal.onabort = onAbort;' },
    ],
  },
  {
    name: 'races-whole-loop',
    story: 'Races the whole retry loop against the signal: retry rejects on abort, but nothing stops the loop behind it.',
    breaks: [
      'aborting during a delay rejects at once with signal.reason, clears the timer and makes no further call',
      'leaves no timer pending and no abort listener attached once it has settled',
    ],
    edits: [
      { find: '  for (let attemptNumber = 1; ; attemptNumber++) {', replace: '  const loop = async (): Promise<Awaited<R>> => {\n  for (let attemptNumber = 1; ; attemptNumber++) {' },
      { find: 'factor, randomize), signal);', replace: 'factor, randomize), undefined);' },
      { find: '    return value;\n  }\n}\n', replace: `    return value;
  }
  };
  if (!signal) return loop();
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  return Promise.race([loop(), aborted]);
}
` },
    ],
  },
  {
    name: 'randomize-by-default',
    story: 'Randomizes delays unless told not to (randomize defaults to true), though the contract makes jitter opt-in.',
    breaks: [
      'waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond',
      'uses the defaults: 10 retries, minTimeout 1000, factor 2, no maxTimeout',
    ],
    edits: [{ find: 'randomize = false,', replace: 'randomize = true,' }],
  },
  {
    name: 'rejects-with-abort-error-itself',
    story: 'Stops on an AbortError but rejects with the AbortError instead of its originalError.',
    breaks: ['input throwing or rejecting with an AbortError stops at once with its originalError, calling no hook'],
    edits: [{ find: 'if (error instanceof AbortError) throw error.originalError;', replace: 'if (error instanceof AbortError) throw error;' }],
  },
  {
    name: 'rejects-with-first-error',
    story: 'Rejects with the first error, kept "for the report", instead of the last one.',
    breaks: ['when every attempt fails, rejects with the last error, the same object'],
    edits: [
      { find: '  for (let attemptNumber = 1; ; attemptNumber++) {', replace: '  let firstError: unknown;\n  for (let attemptNumber = 1; ; attemptNumber++) {' },
      { find: '      const retriesLeft = retries - (attemptNumber - 1);', replace: '      firstError ??= error;\n      const retriesLeft = retries - (attemptNumber - 1);' },
      { find: 'if (retriesLeft <= 0) throw error;', replace: 'if (retriesLeft <= 0) throw firstError;' },
    ],
  },
  {
    name: 'retries-left-off-by-one',
    story: 'Reports retriesLeft one too low (retries - attemptNumber): 0 after the second-to-last attempt, though the number of calls is still right.',
    breaks: ['calls onFailedAttempt after every failed attempt, the last one too, with { error, attemptNumber, retriesLeft }'],
    edits: [
      { find: 'const retriesLeft = retries - (attemptNumber - 1);', replace: 'const retriesLeft = retries - attemptNumber;' },
      { find: 'if (retriesLeft <= 0) throw error;', replace: 'if (retriesLeft < 0) throw error;' },
    ],
  },
  {
    name: 'retries-on-abort-error',
    story: 'Treats an AbortError like any other error and keeps retrying: there is no `instanceof AbortError` test.',
    breaks: ['input throwing or rejecting with an AbortError stops at once with its originalError, calling no hook'],
    edits: [
      { find: '      if (error instanceof AbortError) throw error.originalError;\n', replace: '' },
    ],
  },
  {
    name: 'retries-zero-means-default',
    story: 'Defaults with ||: `options.retries || 10` treats 0 as missing, so `retries: 0` falls back to 10 retries.',
    breaks: ['`retries: N` allows at most N + 1 calls'],
    edits: [
      { find: '    retries = 10,\n', replace: '' },
      { find: '  } = options;\n', replace: '  } = options;\n  const retries = options.retries || 10;\n' },
    ],
  },
  {
    name: 'shared-timer-handle',
    story: "Keeps the delay's timer in one module-level variable shared by every call: with many calls at once, an abort clears another call's timer.",
    breaks: ['hundreds of retry calls on one clock: each makes exactly its own attempts, in order and on time, and settles with its own outcome'],
    edits: [
      { find: '/**\n * Sleep `ms` milliseconds', replace: 'let timer: ReturnType<typeof setTimeout> | undefined;\n\n/**\n * Sleep `ms` milliseconds' },
      { find: '    const timer = setTimeout(() => {', replace: '    timer = setTimeout(() => {' },
    ],
  },
  {
    name: 'should-retry-after-last-attempt',
    story: 'Calls shouldRetry after the last attempt too: it is asked before the "retries left" test.',
    breaks: ['calls shouldRetry after onFailedAttempt, only while retries are left, then waits the delay'],
    edits: [
      { find: '      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n      if (shouldRetry && !(await shouldRetry(failed))) throw error;\n', replace: '      if (shouldRetry && !(await shouldRetry(failed))) throw error;\n      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n' },
    ],
  },
  {
    name: 'should-retry-before-on-failed-attempt',
    story: 'Calls shouldRetry before onFailedAttempt: the hooks run in the wrong order.',
    breaks: ['calls shouldRetry after onFailedAttempt, only while retries are left, then waits the delay'],
    edits: [
      { find: '      if (shouldRetry && !(await shouldRetry(failed))) throw error;\n', replace: '' },
      { find: '      const failed: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft };\n', replace: '      const failed: FailedAttempt = { error: error as Error, attemptNumber, retriesLeft };\n      if (retriesLeft > 0 && shouldRetry && !(await shouldRetry(failed))) throw error;\n' },
    ],
  },
  {
    name: 'should-retry-not-awaited',
    story: "Uses shouldRetry's return value without awaiting it: a promise of false is truthy and counts as true.",
    breaks: [
      "shouldRetry returning false (or a promise of false) rejects at once with that attempt's error",
      'waits for async onFailedAttempt and shouldRetry before going on',
    ],
    edits: [{ find: '!(await shouldRetry(failed))', replace: '!shouldRetry(failed)' }],
  },
  {
    name: 'sleep-ignores-signal',
    story: 'Sleeps with a plain setTimeout that ignores the signal until the timer fires: an abort waits out the delay.',
    breaks: ['aborting during a delay rejects at once with signal.reason, clears the timer and makes no further call'],
    edits: [
      { find: "    const onAbort = (): void => {\n      clearTimeout(timer);\n      reject(signal!.reason);\n    };\n    const timer = setTimeout(() => {\n      signal?.removeEventListener('abort', onAbort);\n      resolve();\n    }, ms);\n    // `once`: the listener removes itself if it fires.\n    signal?.addEventListener('abort', onAbort, { once: true });\n", replace: '    setTimeout(() => {\n      if (signal?.aborted) reject(signal.reason);\n      else resolve();\n    }, ms);\n' },
    ],
  },
  {
    name: 'sleep-misses-earlier-abort',
    story: 'Starts a delay without checking signal.aborted: an abort that fired just before the delay (while onFailedAttempt ran) is missed.',
    breaks: ['aborting during a delay rejects at once with signal.reason, clears the timer and makes no further call'],
    edits: [
      { find: '    if (signal?.aborted) {\n      reject(signal.reason);\n      return;\n    }\n', replace: '' },
    ],
  },
  {
    name: 'sleeps-after-last-failure',
    story: 'Sleeps after every failure, the last one too, before rejecting: the "no retries left" test comes after the sleep.',
    breaks: ['does not wait after the last failure: rejects at once'],
    edits: [
      { find: '      // The last attempt: no more hooks, no sleep, reject with this very error.\n      if (retriesLeft <= 0) throw error;\n      if (shouldRetry && !(await shouldRetry(failed))) throw error;\n', replace: '      if (retriesLeft > 0 && shouldRetry && !(await shouldRetry(failed))) throw error;\n' },
      { find: 'await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, randomize), signal);', replace: 'await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, randomize), signal);\n      if (retriesLeft <= 0) throw error;' },
    ],
  },
  {
    name: 'sleeps-before-first-attempt',
    story: 'Sleeps before every attempt, the first one too ("wait, then try"), instead of after each failure.',
    breaks: ['calls input at once: no delay before the first attempt'],
    edits: [
      { find: '      await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, randomize), signal);\n', replace: '' },
      { find: '    let value: Awaited<R>;\n', replace: '    let value: Awaited<R>;\n    await sleep(backoff(attemptNumber, minTimeout, maxTimeout, factor, randomize), signal);\n' },
    ],
  },
  {
    name: 'sync-throw-escapes',
    story: 'Calls input outside the try: a synchronous throw rejects retry at once instead of being retried.',
    breaks: ['a synchronous throw from input is retried like a rejection'],
    edits: [
      { find: '    let value: Awaited<R>;\n', replace: '    let value: Awaited<R>;\n    const pending = input(attemptNumber);\n' },
      { find: 'value = await input(attemptNumber);', replace: 'value = await pending;' },
    ],
  },
  {
    name: 'timer-not-cleared-on-abort',
    story: 'Rejects at once on abort but forgets clearTimeout: the delay timer still fires later, for nothing.',
    breaks: [
      'aborting during a delay rejects at once with signal.reason, clears the timer and makes no further call',
      'leaves no timer pending and no abort listener attached once it has settled',
    ],
    edits: [
      { find: '      clearTimeout(timer);\n', replace: '' },
    ],
  },
  {
    name: 'too-few-calls',
    story: 'Counts retries as total calls: `retries: 3` makes 3 calls, not 4.',
    breaks: ['`retries: N` allows at most N + 1 calls'],
    edits: [{ find: 'if (retriesLeft <= 0) throw error;', replace: 'if (attemptNumber >= retries) throw error;' }],
  },
  {
    name: 'too-many-calls',
    story: 'One retry too many (`attemptNumber > retries + 1`): `retries: 3` makes 5 calls.',
    breaks: ['`retries: N` allows at most N + 1 calls'],
    edits: [{ find: 'if (retriesLeft <= 0) throw error;', replace: 'if (attemptNumber > retries + 1) throw error;' }],
  },
  {
    name: 'unhandled-abort-promise',
    story: 'Makes one "aborted" promise per run and races it only during delays: an abort mid-attempt is an unhandled rejection, and its listener stays on the signal.',
    breaks: [
      'aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call',
      'leaves no timer pending and no abort listener attached once it has settled',
    ],
    edits: [
      { find: "function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {\n  return new Promise((resolve, reject) => {\n    if (signal?.aborted) {\n      reject(signal.reason);\n      return;\n    }\n    const onAbort = (): void => {\n      clearTimeout(timer);\n      reject(signal!.reason);\n    };\n    const timer = setTimeout(() => {\n      signal?.removeEventListener('abort', onAbort);\n      resolve();\n    }, ms);\n    // `once`: the listener removes itself if it fires.\n    signal?.addEventListener('abort', onAbort, { once: true });\n  });\n}", replace: `async function sleep(ms: number, aborted: Promise<never> | undefined): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const delay = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await (aborted ? Promise.race([delay, aborted]) : delay);
  } finally {
    clearTimeout(timer);
  }
}` },
      { find: '  signal?.throwIfAborted();\n\n  for (let attemptNumber = 1; ; attemptNumber++) {', replace: "  signal?.throwIfAborted();\n  const aborted = signal\n    ? new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))\n    : undefined;\n\n  for (let attemptNumber = 1; ; attemptNumber++) {" },
      { find: 'factor, randomize), signal);', replace: 'factor, randomize), aborted);' },
    ],
  },
  {
    name: 'validation-throws-synchronously',
    story: 'Checks the options in a plain function that throws before the async part: `retry(input, { retries: -1 })` throws at the call site instead of rejecting.',
    breaks: ['rejects invalid options with a TypeError: negative or non-number retries, minTimeout, maxTimeout or factor'],
    edits: [
      { find: 'export async function retry<R>(', replace: 'async function run<R>(' },
      { find: '    return value;\n  }\n}\n', replace: `    return value;
  }
}

export function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  for (const key of ['retries', 'minTimeout', 'maxTimeout', 'factor'] as const) {
    if (options[key] !== undefined) assertNonNegative(key, options[key]);
  }
  return run(input, options);
}
` },
    ],
  },
] satisfies SmallBug[];
