/**
 * Hidden suite — retry (contract: ../shared/spec/retry.md).
 *
 * Every behaviour runs on a fake clock. Delays are checked to the millisecond:
 * the clock is moved to one millisecond before a retry is due (no call yet),
 * then one more (the call has come). Attempts whose end matters ("rejects at
 * once") are settled by hand with a gate, and the outcome is read after
 * `drain()`, so nothing depends on how many microtasks an implementation takes.
 * `Math.random` is stubbed with a seeded sequence for `randomize`, and put back
 * afterwards.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import type * as Contract from '@impl/03-retry/retry.ts';
import {
  advance,
  assertPromise,
  attempt,
  behaviour,
  check,
  drain,
  fail,
  fakeNow,
  fulfilledValue,
  gate,
  loadImplementation,
  pendingTimerCount,
  randomInt,
  rejectionReason,
  seededRandom,
  show,
  task,
  track,
  type Gate,
  type Tracked,
} from '@grader/harness';

const { retry, AbortError } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/03-retry/retry.ts'),
  exports: { retry: 'function', AbortError: 'function' },
});

type RetryOptions = Contract.RetryOptions;
type FailedAttempt = Contract.FailedAttempt;

const FORMULA_HINT =
  'the wait after failed attempt n is min(maxTimeout, Math.round(minTimeout * factor ** (n - 1))): n is 1 for the first failure, so the first wait is minTimeout itself';

/** Options as a learner would write them in a call: `{ retries: 2, minTimeout: 10 }`. */
function showOptions(options: RetryOptions | undefined): string {
  if (options === undefined) return 'no options';
  const parts = Object.entries(options).map(([key, value]) => `${key}: ${typeof value === 'function' ? 'fn' : show(value)}`);
  return `{ ${parts.join(', ')} }`;
}

/**
 * An `input` that records every call (attempt number and time) and fails with a new Error each time,
 * unless a plan says otherwise for that call: succeed with a value, or hand the suite a gate to settle.
 */
function recorder(plan: { succeedOn?: number; value?: unknown; gateOn?: number[] } = {}) {
  const attempts: number[] = [];
  const times: number[] = [];
  const errors: Error[] = [];
  const gates = new Map<number, Gate<unknown>>();
  // Times are counted from when the recorder was made: one behaviour may run several schedules.
  const start = fakeNow();
  const input = (attemptNumber: number): Promise<unknown> => {
    attempts.push(attemptNumber);
    times.push(fakeNow() - start);
    const call = attempts.length;
    if (plan.gateOn?.includes(call)) {
      const g = gate<unknown>();
      gates.set(call, g);
      return g.promise;
    }
    if (plan.succeedOn === call) return Promise.resolve(plan.value);
    const error = new Error(`attempt ${call} failed`);
    errors.push(error);
    return Promise.reject(error);
  };
  const gateOf = (call: number): Gate<unknown> => {
    const g = gates.get(call);
    if (g) return g;
    return fail({
      expected: `call ${call} of input to have happened by now (${fakeNow()} ms into the test)`,
      received: `input was called ${attempts.length} time(s) so far`,
      hint:
        'after a failed attempt with retries left, wait exactly the delay, no longer, then call input again: ' +
        'after attempt n the delay is min(maxTimeout, round(minTimeout * factor ** (n - 1)))',
    });
  };
  return {
    input,
    attempts,
    times,
    errors,
    gateOf,
    get calls() {
      return attempts.length;
    },
  };
}

/**
 * Run `retry` with an input that always fails and check every wait to the millisecond:
 * `expected[i]` is the wait after failed attempt i + 1. Then `retry` must reject at once with the last error.
 */
async function checkSchedule(options: RetryOptions | undefined, expected: number[], hint = FORMULA_HINT): Promise<void> {
  const start = fakeNow();
  const log = recorder();
  const shown = showOptions(options);
  const result = track(options === undefined ? retry(log.input) : retry(log.input, options));
  await drain();
  check(log.calls === 1 && log.times[0] === 0, {
    expected: `input to be called once, at once, by retry(input, ${shown})`,
    received: log.calls === 0 ? 'input had not been called before any timer fired' : `input was called ${log.calls} times`,
    hint: 'the first attempt never waits',
  });
  for (let i = 0; i < expected.length; i++) {
    const delay = expected[i]!;
    const failedAt = log.times[i]!;
    const so = `with ${shown}, the retry after failed attempt ${i + 1}`;
    const waitsSoFar = i === 0 ? '' : ` (the waits before it, correctly: ${expected.slice(0, i).join(', ')} ms)`;
    await advance(delay - 1);
    if (log.calls > i + 1) {
      fail({
        expected: `${so} to come ${delay} ms after that failure${waitsSoFar}`,
        received: `it came after ${log.times[i + 1]! - failedAt} ms`,
        hint,
      });
    }
    await advance(1);
    if (log.calls === i + 1) {
      // Late: find out when it does come, to say so.
      for (let waited = 0; waited < delay * 4 + 10_000 && log.calls === i + 1; waited += delay) await advance(delay);
      fail({
        expected: `${so} to come ${delay} ms after that failure${waitsSoFar}`,
        received:
          log.calls === i + 1
            ? `no retry came, even ${fakeNow() - start - failedAt} ms later; retry was still ${result.outcome.state}`
            : `it came after ${log.times[i + 1]! - failedAt} ms`,
        hint,
      });
    }
  }
  const lastError = log.errors[log.errors.length - 1];
  const outcome = result.outcome;
  check(outcome.state === 'rejected' && outcome.reason === lastError && log.calls === expected.length + 1, () => ({
    expected: `with ${shown}: ${expected.length + 1} calls in all, then retry rejects at once with the last error`,
    received:
      outcome.state === 'pending'
        ? `${log.calls} calls, and retry was still pending right after the last one failed`
        : outcome.state === 'fulfilled'
          ? `it resolved with ${show(outcome.value)}`
          : `${log.calls} calls, and it rejected with ${show(outcome.reason)}`,
    hint: 'no wait after the last failure: reject with that very error',
  }));
}

/** What a hook was given, read at the moment of the call (own fields or getters alike). */
function copyAttempt(info: FailedAttempt): FailedAttempt {
  return { error: info.error, attemptNumber: info.attemptNumber, retriesLeft: info.retriesLeft };
}

/**
 * Once retry has settled, check that every object a hook kept still reads what it read when the hook got it:
 * `kept[i]` is the object itself, `copies[i]` its fields at call time. A hook may keep the object it is given,
 * so an implementation that reuses one object and changes it for the next attempt fails here.
 */
function checkKeptAttempts(hook: string, kept: FailedAttempt[], copies: FailedAttempt[]): void {
  kept.forEach((info, i) => {
    const then = copies[i]!;
    const now = copyAttempt(info);
    const reused = kept.findIndex((other, j) => j !== i && other === info);
    check(now.error === then.error && now.attemptNumber === then.attemptNumber && now.retriesLeft === then.retriesLeft, {
      expected: `the object ${hook} got after failed attempt ${then.attemptNumber} to keep its own values once retry has settled: { error: ${show(then.error)}, attemptNumber: ${show(then.attemptNumber)}, retriesLeft: ${show(then.retriesLeft)} }`,
      received: `it now reads { error: ${show(now.error)}, attemptNumber: ${show(now.attemptNumber)}, retriesLeft: ${show(now.retriesLeft)} }${reused >= 0 ? ` (the same object was passed again for attempt ${copies[reused]!.attemptNumber})` : ''}`,
      hint: 'build a new { error, attemptNumber, retriesLeft } object for each failed attempt instead of reusing and changing one: its fields are readonly, and a hook may keep the object it was given',
    });
  });
}

/** Replace `Math.random` for the length of `body`, and always put it back. */
async function withMathRandom(random: () => number, body: () => Promise<void>): Promise<void> {
  const original = Math.random;
  Math.random = random;
  try {
    await body();
  } finally {
    Math.random = original;
  }
}

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Once `retry` has settled: none of its timers pending, no abort listener left on the signal. */
async function checkCleanedUp(what: string, result: Tracked<unknown>, signal?: AbortSignal): Promise<void> {
  await drain();
  check(result.outcome.state !== 'pending', {
    expected: `${what}: retry to have settled by now`,
    received: 'it was still pending',
  });
  const timers = pendingTimerCount();
  check(timers === 0, {
    expected: `${what}: no timer left pending once retry has settled`,
    received: `${timers} timer(s) still scheduled`,
    hint: 'when a wait ends early (abort), clearTimeout its timer; never start a timer you do not wait for',
  });
  if (signal) {
    const listeners = abortListeners(signal);
    check(listeners === 0, {
      expected: `${what}: no abort listener left on the signal once retry has settled`,
      received: `${listeners} abort listener(s) still attached`,
      hint: 'removeEventListener("abort", ...) when the timer fires, and whenever retry settles; { once: true } only removes a listener that fired',
    });
  }
}

/** retry(...) must return a promise, never throw: a synchronous throw is the learner's bug, said plainly. */
function callRetry(what: string, call: () => Promise<unknown>): Tracked<unknown> {
  const result = attempt(call);
  if (result.threw) {
    fail({
      expected: `${what} to return a promise`,
      received: `retry threw ${show(result.error)} synchronously`,
      hint: 'make retry an async function: then every throw inside it becomes a rejection',
    });
  }
  const tracked = track(result.value);
  assertPromise(tracked, what);
  return tracked;
}

task('AbortError', () => {
  behaviour('new AbortError(error) is an Error named "AbortError" whose originalError is that same error', () => {
    const original = new RangeError('quota exceeded');
    const made = attempt(() => new AbortError(original));
    if (made.threw) fail({ expected: 'new AbortError(error) to construct', received: `it threw ${show(made.error)}` });
    const abort = made.value as Contract.AbortError;
    check(abort instanceof Error && abort instanceof AbortError, {
      expected: 'new AbortError(error) to be an instance of Error and of AbortError',
      received: show(abort),
      hint: 'class AbortError extends Error',
    });
    check(abort.name === 'AbortError', {
      expected: 'its name to be "AbortError"',
      received: show(abort.name),
      hint: 'set name in the class (readonly name = "AbortError") so that it is there whatever the message',
    });
    check(abort.originalError === original, {
      expected: 'its originalError to be the error passed in, the same object',
      received: show(abort.originalError),
      hint: 'keep the error itself, not a copy: this.originalError = messageOrError',
    });
  });

  behaviour('new AbortError(message) gets an originalError that is a new Error with that message', () => {
    const made = attempt(() => new AbortError('stop now'));
    if (made.threw) fail({ expected: "new AbortError('stop now') to construct", received: `it threw ${show(made.error)}` });
    const abort = made.value as Contract.AbortError;
    check(abort instanceof Error && abort.name === 'AbortError', {
      expected: "new AbortError('stop now') to be an Error named \"AbortError\"",
      received: show(abort),
    });
    const original = abort.originalError;
    check(original instanceof Error && !(original instanceof AbortError) && original.message === 'stop now', {
      expected: "its originalError to be a new Error with the message 'stop now' (not the AbortError itself)",
      received: show(original),
      hint: 'for a string, originalError = new Error(message)',
    });
  });
});

task('retry', () => {
  behaviour('calls input with the attempt number, starting at 1, and resolves with the first success', async () => {
    const value = { answer: 42 };
    const log = recorder({ succeedOn: 3, value });
    const result = callRetry('retry(input, { retries: 5, minTimeout: 10 })', () => retry(log.input, { retries: 5, minTimeout: 10 }));
    await advance(10_000);
    const resolved = fulfilledValue(result, 'retry(input) where input succeeds on its third call');
    check(show(log.attempts) === show([1, 2, 3]), {
      expected: 'input called with 1, 2, 3: the attempt number, counting from 1, and no call after the success',
      received: `it was called with ${show(log.attempts)}`,
      hint: 'call input(attemptNumber) with attemptNumber = 1 for the first call; return as soon as one call succeeds',
    });
    check(resolved === value, {
      expected: "retry to resolve with the successful call's value, the same object",
      received: show(resolved),
    });
  }, { points: 2 });

  behaviour('resolves with what input returns: a plain value, a promise or a thenable', async () => {
    const plain = callRetry('retry(() => 42)', () => retry(() => 42));
    const promised = callRetry("retry(async () => 'async value')", () => retry(async () => 'async value'));
    const thenable = callRetry('retry(input) where input returns a thenable', () =>
      retry(() => ({ then: (resolve: (v: string) => void) => resolve('thenable value') }) as PromiseLike<string>),
    );
    await drain();
    for (const [tracked, expected, what] of [
      [plain, 42, 'retry(() => 42)'],
      [promised, 'async value', "retry(async () => 'async value')"],
      [thenable, 'thenable value', 'retry(input) where input returns a thenable'],
    ] as const) {
      const value = fulfilledValue(tracked, what);
      check(value === expected, {
        expected: `${what} to resolve with ${show(expected)} at once`,
        received: show(value),
        hint: 'await whatever input returns',
      });
    }
  });

  behaviour('a thenable from input that rejects is a failed attempt, retried like a rejected promise', async () => {
    // Plain objects with a `then` method, not Promises: `instanceof Promise` is false for them.
    const attempts: number[] = [];
    const first = new Error('the thenable of attempt 1 rejected');
    const result = callRetry('retry(input, { retries: 3, minTimeout: 10 }) where input returns thenables', () =>
      retry(
        (n: number): PromiseLike<string> => {
          attempts.push(n);
          if (n === 1) {
            return { then: (_resolve: (v: string) => void, reject: (e: unknown) => void) => reject(first) } as PromiseLike<string>;
          }
          return { then: (resolve: (v: string) => void) => resolve(`value of attempt ${n}`) } as PromiseLike<string>;
        },
        { retries: 3, minTimeout: 10 },
      ),
    );
    await advance(1000);
    const outcome = result.outcome;
    check(outcome.state === 'fulfilled' && outcome.value === 'value of attempt 2' && show(attempts) === show([1, 2]), () => ({
      expected:
        "a thenable that rejects on attempt 1 to count as a failure: one retry (attempt 2), whose thenable fulfils, so retry resolves with 'value of attempt 2' after exactly 2 calls",
      received: `${attempts.length} call(s), numbered ${show(attempts)}; retry ${
        outcome.state === 'fulfilled'
          ? `resolved with ${show(outcome.value)}`
          : outcome.state === 'rejected'
            ? `rejected with ${show(outcome.reason)}${outcome.reason === first ? " (attempt 1's rejection, not retried)" : ''}`
            : 'was still pending'
      }`,
      hint:
        'input may return any PromiseLike, not only a Promise: always `await input(attemptNumber)` inside the try ' +
        '(await unwraps any thenable), instead of awaiting only when the result is `instanceof Promise`',
    }));
  });

  behaviour('calls input at once: no delay before the first attempt', async () => {
    for (const options of [{}, { minTimeout: 500 }, { minTimeout: 500, randomize: true }] as RetryOptions[]) {
      const log = recorder({ gateOn: [1] });
      callRetry(`retry(input, ${showOptions(options)})`, () => retry(log.input, options));
      await drain();
      check(log.calls === 1, {
        expected: `input to be called before any timer fires, with ${showOptions(options)}`,
        received: log.calls === 0 ? 'it had not been called yet: the first attempt waited for a timer' : `${log.calls} calls`,
        hint: 'only retries wait; call input straight away (or after an await), never after a setTimeout',
      });
      log.gateOf(1).resolve('done');
      await drain();
    }
  });

  behaviour('`retries: N` allows at most N + 1 calls', async () => {
    for (const retries of [0, 1, 3, 6]) {
      const log = recorder();
      const result = callRetry(`retry(input, { retries: ${retries}, minTimeout: 1 })`, () =>
        retry(log.input, { retries, minTimeout: 1, factor: 1 }),
      );
      await advance(1000);
      rejectionReason(result, `retry(input, { retries: ${retries} }) where every call fails`);
      const expected = Array.from({ length: retries + 1 }, (_, i) => i + 1);
      check(show(log.attempts) === show(expected), {
        expected: `with retries: ${retries}, ${retries + 1} call(s) of input, numbered ${show(expected)}`,
        received: `${log.calls} call(s), numbered ${show(log.attempts)}`,
        hint: 'retries counts the calls after the first one: the first attempt plus `retries` retries',
      });
    }
  }, { points: 2 });

  behaviour('when every attempt fails, rejects with the last error, the same object', async () => {
    const log = recorder();
    const result = callRetry('retry(input, { retries: 3, minTimeout: 5 })', () => retry(log.input, { retries: 3, minTimeout: 5 }));
    await advance(1000);
    const reason = rejectionReason(result, 'retry(input) where all 4 calls fail');
    const index = log.errors.indexOf(reason as Error);
    check(reason === log.errors[3], {
      expected: 'retry to reject with the error of the 4th (last) call, the very same object',
      received:
        index >= 0 ? `it rejected with the error of call ${index + 1}` : `it rejected with ${show(reason)}, which input never threw`,
      hint: 'keep the latest error and reject with it as it is: no new Error(...), no wrapping',
    });
  });

  behaviour('does not wait after the last failure: rejects at once', async () => {
    const log = recorder({ gateOn: [3] });
    const result = callRetry('retry(input, { retries: 2, minTimeout: 100 })', () => retry(log.input, { retries: 2, minTimeout: 100 }));
    await advance(1000);
    const last = new Error('the last attempt failed');
    log.gateOf(3).reject(last);
    await drain();
    check(result.outcome.state === 'rejected', {
      expected: 'retry to reject the moment the last attempt (call 3 of 3) fails, before any timer fires',
      received: result.outcome.state === 'pending' ? 'it was still pending: it waited after the last failure' : 'it resolved',
      hint: 'when no retries are left, reject right away: there is nothing to wait for',
    });
    const reason = rejectionReason(result, 'retry(input) after its last attempt failed');
    check(reason === last, { expected: `it to reject with ${show(last)}`, received: show(reason) });
  });

  behaviour('waits min(maxTimeout, round(minTimeout × factor^(n−1))) before the retry after failed attempt n, to the millisecond', async () => {
    // Math.random is stubbed: without `randomize` it must not change any delay.
    await withMathRandom(() => 0.75, async () => {
      await checkSchedule({ retries: 5, minTimeout: 10, factor: 1.7 }, [10, 17, 29, 49, 84]);
      await checkSchedule({ retries: 4, minTimeout: 100, factor: 3, maxTimeout: 500 }, [100, 300, 500, 500]);
      await checkSchedule({ retries: 3, minTimeout: 1000, maxTimeout: 50, randomize: false }, [50, 50, 50]);
      await checkSchedule({ retries: 3, minTimeout: 7, factor: 1 }, [7, 7, 7]);
      // A factor below 1 shrinks the waits: the first one is still minTimeout, the later ones are shorter (62.5 rounds to 63).
      await checkSchedule({ retries: 5, minTimeout: 1000, factor: 0.5 }, [1000, 500, 250, 125, 63]);
      // The cap applies to each wait as the formula gives it, not to a running total: 1000 and 500 are capped, 250 is not.
      await checkSchedule({ retries: 4, minTimeout: 1000, maxTimeout: 300, factor: 0.5 }, [300, 300, 250, 125]);
    });
  }, { points: 2 });

  behaviour('uses the defaults: 10 retries, minTimeout 1000, factor 2, no maxTimeout', async () => {
    await checkSchedule(undefined, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000]);
  });

  behaviour('with randomize, multiplies each delay by 1 + Math.random() before capping it at maxTimeout', async () => {
    const cases: Array<{ options: RetryOptions; randoms: number[] }> = [
      { options: { retries: 6, minTimeout: 100, maxTimeout: 1500, randomize: true }, randoms: seeded(3001, 6) },
      { options: { retries: 4, minTimeout: 33, factor: 1.5, randomize: true }, randoms: seeded(3002, 4) },
      { options: { retries: 2, minTimeout: 1000, randomize: true }, randoms: [0, 0.99999] },
    ];
    for (const { options, randoms } of cases) {
      const { minTimeout = 1000, maxTimeout = Infinity, factor = 2 } = options;
      const expected = randoms.map((r, i) => Math.min(maxTimeout, Math.round((1 + r) * minTimeout * factor ** i)));
      let handedOut = 0;
      const hint =
        `Math.random() returned ${randoms.map((r) => r.toFixed(5)).join(', ')} in turn (one per wait). ` +
        'Each wait is min(maxTimeout, Math.round((1 + Math.random()) * minTimeout * factor ** (n - 1))): a fresh random number per wait, the cap applied last';
      await withMathRandom(() => randoms[handedOut++] ?? 0.5, () => checkSchedule(options, expected, hint));
    }
  }, { points: 2 });

  behaviour('a synchronous throw from input is retried like a rejection', async () => {
    const thrown: Error[] = [];
    const attempts: number[] = [];
    const result = callRetry('retry(input) where input throws synchronously', () =>
      retry(
        (n: number) => {
          attempts.push(n);
          if (n < 3) {
            const error = new Error(`sync failure ${n}`);
            thrown.push(error);
            throw error;
          }
          return 'third time lucky';
        },
        { retries: 4, minTimeout: 10 },
      ),
    );
    await advance(1000);
    const value = fulfilledValue(result, 'retry(input) where input throws synchronously twice, then returns');
    check(value === 'third time lucky' && attempts.length === 3, {
      expected: "two synchronous throws retried, then 'third time lucky' from the third call",
      received: `${attempts.length} call(s), resolved with ${show(value)}`,
      hint: 'call input inside the try (await input(n)), so a throw is caught just like a rejection',
    });
    const lone = new Error('thrown with no retries left');
    const single = callRetry('retry(input, { retries: 0 }) where input throws synchronously', () =>
      retry(
        () => {
          throw lone;
        },
        { retries: 0 },
      ),
    );
    await drain();
    const reason = rejectionReason(single, 'retry(input, { retries: 0 }) where input throws synchronously');
    check(reason === lone, { expected: `it to reject with ${show(lone)}, the same object`, received: show(reason) });
  });

  behaviour('calls onFailedAttempt after every failed attempt, the last one too, with { error, attemptNumber, retriesLeft }', async () => {
    for (const { retries, succeedOn } of [{ retries: 3, succeedOn: undefined }, { retries: 4, succeedOn: 3 }]) {
      const log = recorder({ succeedOn, value: 'ok' });
      const seen: FailedAttempt[] = [];
      const kept: FailedAttempt[] = [];
      const result = callRetry(`retry(input, { retries: ${retries}, onFailedAttempt })`, () =>
        retry(log.input, {
          retries,
          minTimeout: 10,
          onFailedAttempt: (info) => {
            kept.push(info);
            seen.push(copyAttempt(info));
          },
        }),
      );
      await advance(10_000);
      const failures = succeedOn === undefined ? retries + 1 : succeedOn - 1;
      if (succeedOn === undefined) rejectionReason(result, 'retry(input) where every call fails');
      else fulfilledValue(result, `retry(input) where call ${succeedOn} succeeds`);
      const situation =
        succeedOn === undefined ? `all ${retries + 1} calls fail (retries: ${retries})` : `calls 1 and 2 fail and call 3 succeeds (retries: ${retries})`;
      check(seen.length === failures, {
        expected: `onFailedAttempt called ${failures} times when ${situation}`,
        received: `it was called ${seen.length} times`,
        hint: 'call it after every failure, the last one included, and never after a success',
      });
      seen.forEach((info, i) => {
        const want = { attemptNumber: i + 1, retriesLeft: retries - i };
        check(info.error === log.errors[i] && info.attemptNumber === want.attemptNumber && info.retriesLeft === want.retriesLeft, {
          expected: `after failed attempt ${i + 1} (${situation}): { error: ${show(log.errors[i])} (that same object), attemptNumber: ${want.attemptNumber}, retriesLeft: ${want.retriesLeft} }`,
          received: `{ error: ${show(info.error)}${info.error !== log.errors[i] && info.error instanceof Error ? ' (another object)' : ''}, attemptNumber: ${show(info.attemptNumber)}, retriesLeft: ${show(info.retriesLeft)} }`,
          hint: 'retriesLeft is how many more calls may still come after this failure: retries - (attemptNumber - 1)',
        });
      });
      checkKeptAttempts('onFailedAttempt', kept, seen);
    }
  });

  behaviour('calls shouldRetry after onFailedAttempt, only while retries are left, then waits the delay', async () => {
    for (const retries of [2, 0]) {
      const start = fakeNow();
      const now = (): number => fakeNow() - start;
      const events: string[] = [];
      const attempts: FailedAttempt[] = [];
      const kept: FailedAttempt[] = [];
      const errors: Error[] = [];
      const result = callRetry(`retry(input, { retries: ${retries}, onFailedAttempt, shouldRetry })`, () =>
        retry(
          (n: number) => {
            events.push(`input ${n} at ${now()} ms`);
            const error = new Error(`attempt ${n} failed`);
            errors.push(error);
            throw error;
          },
          {
            retries,
            minTimeout: 40,
            onFailedAttempt: (info) => void events.push(`onFailedAttempt ${info.attemptNumber} at ${now()} ms`),
            shouldRetry: (info) => {
              events.push(`shouldRetry ${info.attemptNumber} at ${now()} ms`);
              attempts.push(copyAttempt(info));
              kept.push(info);
              return true;
            },
          },
        ),
      );
      await advance(1000);
      rejectionReason(result, `retry(input, { retries: ${retries} }) where every call fails`);
      const expected =
        retries === 2
          ? [
              'input 1 at 0 ms',
              'onFailedAttempt 1 at 0 ms',
              'shouldRetry 1 at 0 ms',
              'input 2 at 40 ms',
              'onFailedAttempt 2 at 40 ms',
              'shouldRetry 2 at 40 ms',
              'input 3 at 120 ms',
              'onFailedAttempt 3 at 120 ms',
            ]
          : ['input 1 at 0 ms', 'onFailedAttempt 1 at 0 ms'];
      check(show(events) === show(expected), {
        expected: `with retries: ${retries} and minTimeout 40, this order of calls: ${expected.join(', ')}`,
        received: events.join(', '),
        hint: 'after a failure: onFailedAttempt, then shouldRetry only if retries are left, then the delay, then the next call. No shouldRetry after the last attempt',
      });
      attempts.forEach((info, i) => {
        check(info.error === errors[i] && info.attemptNumber === i + 1 && info.retriesLeft === retries - i, {
          expected: `shouldRetry after attempt ${i + 1} to get { error: that attempt's error, attemptNumber: ${i + 1}, retriesLeft: ${retries - i} }`,
          received: `{ error: ${show(info.error)}, attemptNumber: ${show(info.attemptNumber)}, retriesLeft: ${show(info.retriesLeft)} }`,
          hint: 'give shouldRetry the same details as onFailedAttempt',
        });
      });
      checkKeptAttempts('shouldRetry', kept, attempts);
    }
  }, { points: 2 });

  behaviour('waits for async onFailedAttempt and shouldRetry before going on', async () => {
    const onFailedGate = gate<void>();
    const shouldRetryGate = gate<boolean>();
    let shouldRetryCalls = 0;
    const log = recorder();
    const result = callRetry('retry(input, { retries: 1, minTimeout: 100, onFailedAttempt, shouldRetry }) with async hooks', () =>
      retry(log.input, {
        retries: 1,
        minTimeout: 100,
        onFailedAttempt: (info) => (info.attemptNumber === 1 ? onFailedGate.promise : undefined),
        shouldRetry: () => {
          shouldRetryCalls++;
          return shouldRetryGate.promise;
        },
      }),
    );
    await drain();
    check(shouldRetryCalls === 0, {
      expected: "shouldRetry not to be called while onFailedAttempt's promise is pending",
      received: 'shouldRetry was called before onFailedAttempt had finished',
      hint: 'await onFailedAttempt(...) before going on',
    });
    await advance(5000);
    check(log.calls === 1 && shouldRetryCalls === 0, {
      expected: "no retry (and no shouldRetry) while onFailedAttempt's promise is pending, even 5 s later",
      received: `input was called ${log.calls} times, shouldRetry ${shouldRetryCalls} times`,
      hint: 'await onFailedAttempt(...): its promise must settle before anything else happens',
    });
    onFailedGate.resolve();
    await drain();
    check(shouldRetryCalls === 1, {
      expected: "shouldRetry to be called once onFailedAttempt's promise resolved",
      received: `shouldRetry was called ${shouldRetryCalls} times`,
    });
    await advance(5000);
    check(log.calls === 1, {
      expected: "no retry while shouldRetry's promise is pending, even 5 s later",
      received: `input was called ${log.calls} times`,
      hint: 'await shouldRetry(...): a promise is not an answer, the value it resolves to is',
    });
    shouldRetryGate.resolve(true);
    await drain();
    await advance(99);
    check(log.calls === 1, {
      expected: 'the 100 ms delay to start only when shouldRetry resolved: no retry 99 ms later',
      received: 'the retry came before its delay was over: the wait started before the hooks had finished',
      hint: 'run the hooks first, then sleep',
    });
    await advance(1);
    check(log.calls === 2, {
      expected: 'the retry to come 100 ms after shouldRetry resolved to true',
      received: `input was called ${log.calls} times`,
    });
    // The last attempt: retry settles only after onFailedAttempt's promise does.
    const lastGate = gate<void>();
    const single = recorder();
    const last = callRetry('retry(input, { retries: 0, onFailedAttempt }) with an async onFailedAttempt', () =>
      retry(single.input, { retries: 0, onFailedAttempt: () => lastGate.promise }),
    );
    await advance(5000);
    check(last.outcome.state === 'pending', {
      expected: "retry to stay pending while onFailedAttempt's promise for the last attempt is pending",
      received: `it had already ${last.outcome.state === 'rejected' ? 'rejected' : 'resolved'}`,
      hint: 'onFailedAttempt is awaited after the last failure too, before retry rejects',
    });
    lastGate.resolve();
    await drain();
    const reason = rejectionReason(last, 'retry(input, { retries: 0 }) once onFailedAttempt resolved');
    check(reason === single.errors[0], { expected: "it to reject with the attempt's error", received: show(reason) });
    await drain();
    rejectionReason(result, 'retry(input, { retries: 1 }) after both calls failed');
  }, { points: 2 });

  behaviour("shouldRetry returning false (or a promise of false) rejects at once with that attempt's error", async () => {
    for (const asyncAnswer of [false, true]) {
      const log = recorder({ gateOn: [2] });
      const what = `retry(input) whose shouldRetry ${asyncAnswer ? 'resolves to' : 'returns'} false after attempt 2`;
      const result = callRetry(what, () =>
        retry(log.input, {
          retries: 5,
          minTimeout: 10,
          shouldRetry: (info) => {
            const answer = info.attemptNumber < 2;
            return asyncAnswer ? Promise.resolve(answer) : answer;
          },
        }),
      );
      await advance(10);
      const error = new Error('attempt 2 failed');
      log.gateOf(2).reject(error);
      await drain();
      check(result.outcome.state === 'rejected', {
        expected: `${what}: retry to reject at once, before any timer fires`,
        received: result.outcome.state === 'pending' ? 'it was still pending (did it sleep first?)' : 'it resolved',
        hint: 'when shouldRetry says false, reject right away: no delay',
      });
      const reason = rejectionReason(result, what);
      check(reason === error, {
        expected: `${what}: it to reject with the error of attempt 2, the same object`,
        received: show(reason),
      });
      await advance(10_000);
      check(log.calls === 2, {
        expected: `${what}: no more calls of input`,
        received: `${log.calls} calls in all`,
        hint: asyncAnswer ? 'await shouldRetry(...): a pending promise is truthy, the false it resolves to is what counts' : undefined,
      });
    }
  });

  behaviour("a hook that throws or rejects stops retrying, and retry rejects with the hook's error", async () => {
    const cases: Array<{ what: string; options: (error: Error) => RetryOptions }> = [
      { what: 'onFailedAttempt throws after attempt 1', options: (e) => ({ onFailedAttempt: () => { throw e; } }) },
      {
        what: 'onFailedAttempt rejects after attempt 2',
        options: (e) => ({ onFailedAttempt: (info) => (info.attemptNumber === 2 ? Promise.reject(e) : undefined) }),
      },
      { what: 'shouldRetry throws after attempt 1', options: (e) => ({ shouldRetry: () => { throw e; } }) },
      {
        what: 'shouldRetry rejects after attempt 2',
        options: (e) => ({ shouldRetry: (info) => (info.attemptNumber === 2 ? Promise.reject(e) : true) }),
      },
      {
        what: 'onFailedAttempt throws after the last attempt (retries: 1)',
        options: (e) => ({ retries: 1, onFailedAttempt: (info) => { if (info.attemptNumber === 2) throw e; } }),
      },
      { what: 'shouldRetry throws an AbortError after attempt 1', options: (e) => ({ shouldRetry: () => { throw e; } }) },
    ];
    for (const { what, options } of cases) {
      // An AbortError from a hook is the hook's error like any other: only input's AbortError is unwrapped.
      const hookError = what.includes('AbortError') ? new AbortError(new Error('stop, said the hook')) : new Error(`hook failed: ${what}`);
      const log = recorder();
      const result = callRetry(`retry(input) where ${what}`, () => retry(log.input, { retries: 5, minTimeout: 10, ...options(hookError) }));
      await advance(10_000);
      const reason = rejectionReason(result, `retry(input) where ${what}`);
      const expectedCalls = what.includes('attempt 1') ? 1 : 2;
      check(reason === hookError, {
        expected: `when ${what}: retry to reject with the hook's error, the same object`,
        received: log.errors.includes(reason as Error)
          ? `it rejected with the error of input's call ${log.errors.indexOf(reason as Error) + 1}`
          : hookError instanceof AbortError && reason === hookError.originalError
            ? "it rejected with the hook's AbortError's originalError, not the AbortError itself"
            : show(reason),
        hint: "do not catch errors from the hooks: let them reject retry as they are (an AbortError from a hook too: only input's AbortError is turned into its originalError)",
      });
      check(log.calls === expectedCalls, {
        expected: `when ${what}: no call of input after that (${expectedCalls} in all)`,
        received: `${log.calls} calls in all`,
      });
    }
  });

  behaviour('input throwing or rejecting with an AbortError stops at once with its originalError, calling no hook', async () => {
    // Rejecting with new AbortError(error) on attempt 2.
    const original = new Error('permanent failure');
    const log = recorder({ gateOn: [2] });
    const hookCalls: string[] = [];
    const result = callRetry('retry(input) where attempt 2 rejects with new AbortError(error)', () =>
      retry(log.input, {
        retries: 5,
        minTimeout: 10,
        onFailedAttempt: (info) => void hookCalls.push(`onFailedAttempt ${info.attemptNumber}`),
        shouldRetry: (info) => {
          hookCalls.push(`shouldRetry ${info.attemptNumber}`);
          return true;
        },
      }),
    );
    await advance(10);
    const abortError = new AbortError(original);
    log.gateOf(2).reject(abortError);
    await drain();
    check(result.outcome.state === 'rejected', {
      expected: 'retry to reject at once when input rejects with an AbortError',
      received: result.outcome.state === 'pending' ? 'it was still pending (it waited, or went on retrying)' : 'it resolved',
      hint: 'check `error instanceof AbortError` first thing after a failure, and stop',
    });
    const reason = rejectionReason(result, 'retry(input) where attempt 2 rejects with new AbortError(error)');
    check(reason === original, {
      expected: 'it to reject with the AbortError\'s originalError, the same object',
      received: reason === abortError ? 'it rejected with the AbortError itself' : show(reason),
      hint: 'throw error.originalError, not the AbortError',
    });
    await advance(10_000);
    check(log.calls === 2, { expected: 'no call of input after the AbortError', received: `${log.calls} calls in all` });
    check(show(hookCalls) === show(['onFailedAttempt 1', 'shouldRetry 1']), {
      expected: 'the hooks called for attempt 1 only, never for the AbortError of attempt 2',
      received: `hook calls: ${hookCalls.join(', ')}`,
      hint: 'an AbortError skips onFailedAttempt and shouldRetry',
    });
    // Throwing new AbortError(message) synchronously, with no retries left: still no hook.
    let onFailedCalls = 0;
    let thrownAbort: Contract.AbortError | undefined;
    const fromString = callRetry("retry(input) where input throws new AbortError('stop')", () =>
      retry(
        () => {
          thrownAbort = new AbortError('stop');
          throw thrownAbort;
        },
        { retries: 0, onFailedAttempt: () => void onFailedCalls++ },
      ),
    );
    await drain();
    const stringReason = rejectionReason(fromString, "retry(input) where input throws new AbortError('stop')");
    check(stringReason === thrownAbort?.originalError && !(stringReason instanceof AbortError), {
      expected: "it to reject with the AbortError's originalError: an Error with the message 'stop', not the AbortError",
      received: stringReason === thrownAbort ? 'it rejected with the AbortError itself' : show(stringReason),
    });
    check(onFailedCalls === 0, {
      expected: 'onFailedAttempt not to be called for an AbortError, even on the last attempt',
      received: `it was called ${onFailedCalls} time(s)`,
    });
  }, { points: 2 });

  behaviour('retries: Infinity keeps retrying, with retriesLeft Infinity', async () => {
    const log = recorder({ succeedOn: 40, value: 'finally' });
    const left = new Set<number>();
    const result = callRetry('retry(input, { retries: Infinity })', () =>
      retry(log.input, { retries: Infinity, minTimeout: 2, factor: 1, onFailedAttempt: (info) => void left.add(info.retriesLeft) }),
    );
    await advance(1000);
    const value = fulfilledValue(result, 'retry(input, { retries: Infinity }) where call 40 succeeds');
    check(value === 'finally' && log.calls === 40, {
      expected: "'finally' from the 40th call, 39 failures retried (retries: Infinity)",
      received: `${log.calls} calls, resolved with ${show(value)}`,
      hint: 'Infinity is a valid number of retries: compare with it, never loop over it',
    });
    check(left.size === 1 && left.has(Infinity), {
      expected: 'retriesLeft to be Infinity after every failure',
      received: `retriesLeft took the values ${show([...left])}`,
    });
  });
});

/** A short seeded sequence of numbers in [0, 1), the same on every run. */
function seeded(seed: number, count: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
}

task('retry with a signal', () => {
  behaviour('an already aborted signal rejects with signal.reason and never calls input', async () => {
    const withReason = new AbortController();
    const reason = new Error('cancelled by the caller');
    withReason.abort(reason);
    const plain = new AbortController();
    plain.abort();
    for (const [controller, what] of [
      [withReason, 'a signal aborted with a reason of its own'],
      [plain, 'a signal aborted with abort() (its reason is a DOMException)'],
    ] as const) {
      const log = recorder();
      const result = callRetry(`retry(input, { signal }) with ${what}`, () => retry(log.input, { signal: controller.signal }));
      await advance(10_000);
      const got = rejectionReason(result, `retry(input, { signal }) with ${what}`);
      check(got === controller.signal.reason, {
        expected: `with ${what}: retry to reject with signal.reason, the same object`,
        received: show(got),
        hint: 'signal.throwIfAborted() throws signal.reason itself',
      });
      check(log.calls === 0, {
        expected: `with ${what}: input never to be called`,
        received: `it was called ${log.calls} time(s)`,
        hint: 'check the signal before the first attempt',
      });
    }
  });

  behaviour('aborting during a delay rejects at once with signal.reason, clears the timer and makes no further call', async () => {
    for (const [abortAt, stringReason] of [[500, false], [1000 + 700, false], [300, true]] as const) {
      const controller = new AbortController();
      const log = recorder();
      const what = `retry(input, { retries: 5, minTimeout: 1000, signal }) aborted at ${abortAt} ms, during delay ${abortAt < 1000 ? 1 : 2}${stringReason ? ", with a string as the reason" : ''}`;
      const result = callRetry(what, () => retry(log.input, { retries: 5, minTimeout: 1000, signal: controller.signal }));
      await advance(abortAt);
      // signal.reason can be anything the caller passes to abort(), a string too: reject with it as it is.
      const reason: unknown = stringReason ? `aborted at ${abortAt} ms` : new Error(`aborted at ${abortAt} ms`);
      controller.abort(reason);
      await drain();
      check(result.outcome.state === 'rejected', {
        expected: `${what}: retry to reject at once, before any timer fires`,
        received: result.outcome.state === 'pending' ? 'it was still pending: it waited out the delay' : 'it resolved',
        hint: 'listen for "abort" on the signal while you sleep, and reject from the listener',
      });
      const got = rejectionReason(result, what);
      check(got === reason, { expected: `${what}: it to reject with signal.reason, the same object`, received: show(got) });
      const timers = pendingTimerCount();
      check(timers === 0, {
        expected: `${what}: the delay's timer to be cleared`,
        received: `${timers} timer(s) still scheduled`,
        hint: 'clearTimeout(timer) in the abort listener',
      });
      await advance(100_000);
      check(log.calls === (abortAt < 1000 ? 1 : 2), {
        expected: `${what}: no further call of input`,
        received: `${log.calls} calls in all`,
      });
    }
    // Aborted while an async onFailedAttempt runs, just before the delay: the contract does not say whether
    // retry rejects at once or once the delay is over (p-retry waits, then checks the signal), so both pass;
    // what is pinned is that it rejects with signal.reason by the end of that delay and never calls input again.
    const controller = new AbortController();
    const hook = gate<void>();
    const log = recorder();
    const what = 'retry(input, { minTimeout: 1000, onFailedAttempt, signal }) aborted while onFailedAttempt runs, just before the delay';
    const result = callRetry(what, () =>
      retry(log.input, { retries: 5, minTimeout: 1000, onFailedAttempt: () => hook.promise, signal: controller.signal }),
    );
    await drain();
    const reason = new Error('aborted before the delay');
    controller.abort(reason);
    await drain();
    hook.resolve();
    await advance(1000);
    check(result.outcome.state === 'rejected' && result.outcome.reason === reason, () => ({
      expected: `${what}: retry to reject with signal.reason, at the latest when that delay is over`,
      received:
        result.outcome.state === 'pending'
          ? 'it was still pending after the delay: an abort that happened before the delay began was missed'
          : result.outcome.state === 'rejected'
            ? `it rejected with ${show(result.outcome.reason)}`
            : 'it resolved',
      hint: 'an abort event never fires twice: before you start a delay (or after it), check signal.aborted',
    }));
    await advance(100_000);
    check(log.calls === 1, { expected: `${what}: no further call of input`, received: `${log.calls} calls in all` });
  }, { points: 2 });

  behaviour('aborting while an attempt runs rejects with signal.reason by the time that attempt settles, and makes no further call', async () => {
    const cases = [
      { what: 'attempt 1 is running, and then it fails', call: 1, settle: 'reject' },
      { what: 'attempt 2 is running, and then it succeeds', call: 2, settle: 'resolve' },
      { what: 'attempt 1 is running, and then it succeeds', call: 1, settle: 'resolve' },
      { what: 'the last attempt (call 2, retries: 1) is running, and then it fails', call: 2, settle: 'reject', retries: 1 },
      { what: 'the only attempt (retries: 0) is running, and then it fails', call: 1, settle: 'reject', retries: 0 },
      // Whether the hooks run for an attempt the signal aborted is not pinned; if they do, they must not hold the rejection back.
      {
        what: 'attempt 2 is running, and then it fails (onFailedAttempt and shouldRetry return promises that never settle after that)',
        call: 2,
        settle: 'reject',
        hooked: true,
      },
    ] as const;
    for (const { what, call, settle, ...rest } of cases) {
      const retries = 'retries' in rest ? rest.retries : 5;
      const hooks: RetryOptions =
        'hooked' in rest
          ? {
              onFailedAttempt: (info) => (info.attemptNumber === 1 ? undefined : new Promise<void>(() => {})),
              shouldRetry: (info) => (info.attemptNumber === 1 ? true : new Promise<boolean>(() => {})),
            }
          : {};
      const controller = new AbortController();
      const log = recorder({ gateOn: [call] });
      const result = callRetry(`retry(input, { signal }) aborted while ${what}`, () =>
        retry(log.input, { retries, minTimeout: 10, signal: controller.signal, ...hooks }),
      );
      await advance(10);
      const reason = new Error('aborted mid-attempt');
      controller.abort(reason);
      await drain();
      const g = log.gateOf(call);
      if (settle === 'reject') g.reject(new Error(`attempt ${call} failed after the abort`));
      else g.resolve('too late');
      await drain();
      const got = rejectionReason(result, `retry(input, { signal }) aborted while ${what}`);
      check(got === reason, {
        expected: `aborted while ${what}: retry to reject with signal.reason, the same object, by the time the attempt settled`,
        received: got === 'too late' ? "it resolved with the attempt's value" : show(got),
        hint: 'after every attempt, fulfilled or rejected, check signal.aborted (signal.throwIfAborted()) before anything else (the hooks included), even when no retries are left',
      });
      await advance(100_000);
      check(log.calls === call, {
        expected: `aborted while ${what}: no further call of input`,
        received: `${log.calls} calls in all`,
      });
    }
    // input aborts the signal itself, synchronously, before it fails or returns.
    for (const ending of ['throws', 'returns a value'] as const) {
      const controller = new AbortController();
      const reason = new Error('input aborted its own signal');
      let calls = 0;
      const what = `retry(input, { retries: 5, minTimeout: 10, signal }) where input calls controller.abort() and then ${ending}`;
      const result = callRetry(what, () =>
        retry(
          () => {
            calls++;
            controller.abort(reason);
            if (ending === 'throws') throw new Error('failed after aborting');
            return 'value after aborting';
          },
          { retries: 5, minTimeout: 10, signal: controller.signal },
        ),
      );
      await drain();
      const outcome = result.outcome;
      check(outcome.state === 'rejected' && outcome.reason === reason, () => ({
        expected: `${what}: retry to reject with signal.reason, the same object, at once`,
        received:
          outcome.state === 'pending'
            ? 'it was still pending: the abort came before the attempt settled, and nothing noticed it'
            : outcome.state === 'rejected'
              ? `it rejected with ${show(outcome.reason)}`
              : `it resolved with ${show(outcome.value)}`,
        hint: 'an abort can happen inside input itself: after the attempt settles, check signal.aborted rather than only listening for the event',
      }));
      await advance(100_000);
      check(calls === 1, { expected: `${what}: no further call of input`, received: `${calls} calls in all` });
    }
  }, { points: 2 });

  behaviour('an abort while shouldRetry runs, or from inside a hook, rejects with signal.reason by the end of the delay and makes no further call', async () => {
    const cases: Array<{
      what: string;
      failedAttempt: number;
      minTimeout?: number;
      hooks: (abort: () => void, pending: Gate<boolean>) => RetryOptions;
      after: (pending: Gate<boolean>) => void;
    }> = [
      {
        what: "aborted while shouldRetry's promise for attempt 2 is pending, which then resolves to true",
        failedAttempt: 2,
        hooks: (_abort, pending) => ({ shouldRetry: (info) => (info.attemptNumber === 2 ? pending.promise : true) }),
        after: (pending) => pending.resolve(true),
      },
      {
        what: 'onFailedAttempt calls controller.abort() itself after attempt 1',
        failedAttempt: 1,
        hooks: (abort) => ({ onFailedAttempt: () => abort() }),
        after: () => {},
      },
      {
        what: 'shouldRetry calls controller.abort() itself after attempt 2, then returns true',
        failedAttempt: 2,
        hooks: (abort) => ({
          shouldRetry: (info) => {
            if (info.attemptNumber === 2) abort();
            return true;
          },
        }),
        after: () => {},
      },
      {
        what: "onFailedAttempt calls controller.abort() after attempt 1, and its promise resolves later",
        failedAttempt: 1,
        hooks: (abort, pending) => ({
          onFailedAttempt: () => {
            abort();
            return pending.promise.then(() => undefined);
          },
        }),
        after: (pending) => pending.resolve(true),
      },
      {
        what: 'onFailedAttempt calls controller.abort() itself after attempt 1, and the delay is 0 ms (minTimeout: 0)',
        failedAttempt: 1,
        minTimeout: 0,
        hooks: (abort) => ({ onFailedAttempt: () => abort() }),
        after: () => {},
      },
    ];
    for (const { what, failedAttempt, hooks, after, minTimeout = 1000 } of cases) {
      const controller = new AbortController();
      const reason = new Error(`aborted: ${what}`);
      const pending = gate<boolean>();
      const log = recorder();
      const full = `retry(input, { retries: 5, minTimeout: ${minTimeout}, signal, ... }) where ${what}`;
      const result = callRetry(full, () =>
        retry(log.input, { retries: 5, minTimeout, signal: controller.signal, ...hooks(() => controller.abort(reason), pending) }),
      );
      // Attempt 2 comes 1000 ms after attempt 1; the delay after failed attempt n is minTimeout * 2 ** (n - 1).
      await advance(failedAttempt === 2 ? 1000 : 0);
      if (!controller.signal.aborted) controller.abort(reason);
      await drain();
      after(pending);
      // A 0 ms delay may still be a setTimeout(0): a few ms of slack.
      const delay = minTimeout * 2 ** (failedAttempt - 1);
      await advance(delay === 0 ? 5 : delay);
      const outcome = result.outcome;
      check(outcome.state === 'rejected' && outcome.reason === reason, () => ({
        expected: `${full}: retry to reject with signal.reason, the same object, at the latest when the delay after attempt ${failedAttempt} (${delay} ms) is over`,
        received:
          outcome.state === 'pending'
            ? `it was still pending after that delay, with ${log.calls} call(s) of input: the abort came before the delay began and was missed`
            : outcome.state === 'rejected'
              ? `it rejected with ${show(outcome.reason)}`
              : 'it resolved',
        hint: 'an abort event fires only once: an abort that came while a hook ran is over before your delay starts listening, so check signal.aborted before every delay (or after it, and even when the delay is 0 ms), not only in an "abort" listener',
      }));
      await advance(100_000);
      check(log.calls === failedAttempt, {
        expected: `${full}: no call of input after the abort (${failedAttempt} in all)`,
        received: `${log.calls} calls in all`,
        hint: 'once the signal has aborted, never call input again, whatever the hooks said',
      });
      await checkCleanedUp(full, result, controller.signal);
    }
  }, { points: 2 });

  behaviour('an abort while a hook runs ends retrying whatever the hook then does, and leaves nothing behind', async () => {
    // Which reason wins here (signal.reason, the hook's error, or the attempt's) is not pinned by the contract:
    // any of them passes. What is pinned: retry settles, input is never called again, and no timer, listener
    // or unhandled rejection is left behind.
    const cases: Array<{
      what: string;
      retries: number;
      calls: number;
      hooks: (pending: Gate<boolean>) => RetryOptions;
      settle: (pending: Gate<boolean>, hookError: Error) => void;
      alsoAllowed: (log: ReturnType<typeof recorder>, hookError: Error) => Array<[unknown, string]>;
      /** A hook that never settles: retry may wait for it forever, but if it does settle, it leaves nothing behind. */
      mayHang?: boolean;
    }> = [
      {
        what: "onFailedAttempt's promise for attempt 1 is pending, and then rejects",
        retries: 5,
        calls: 1,
        hooks: (pending) => ({ onFailedAttempt: () => pending.promise.then(() => undefined) }),
        settle: (pending, hookError) => pending.reject(hookError),
        alsoAllowed: (_log, hookError) => [[hookError, "the hook's error"]],
      },
      {
        what: "shouldRetry's promise for attempt 1 is pending, and then resolves to false",
        retries: 5,
        calls: 1,
        hooks: (pending) => ({ shouldRetry: () => pending.promise }),
        settle: (pending) => pending.resolve(false),
        alsoAllowed: (log) => [[log.errors[0], "attempt 1's error"]],
      },
      {
        what: "shouldRetry's promise for attempt 1 is pending, and then rejects",
        retries: 5,
        calls: 1,
        hooks: (pending) => ({ shouldRetry: () => pending.promise }),
        settle: (pending, hookError) => pending.reject(hookError),
        alsoAllowed: (_log, hookError) => [[hookError, "the hook's error"]],
      },
      {
        what: "onFailedAttempt's promise for the last attempt (call 2, retries: 1) is pending, and then resolves",
        retries: 1,
        calls: 2,
        hooks: (pending) => ({ onFailedAttempt: (info) => (info.attemptNumber === 2 ? pending.promise.then(() => undefined) : undefined) }),
        settle: (pending) => pending.resolve(true),
        alsoAllowed: (log) => [[log.errors[1], "the last attempt's error"]],
      },
      {
        what: "onFailedAttempt's promise for attempt 1 never settles",
        retries: 5,
        calls: 1,
        hooks: () => ({ onFailedAttempt: () => new Promise<void>(() => {}) }),
        settle: () => {},
        alsoAllowed: () => [],
        mayHang: true,
      },
    ];
    for (const { what, retries, calls, hooks, settle, alsoAllowed, mayHang } of cases) {
      const controller = new AbortController();
      const reason = new Error('aborted while a hook ran');
      const hookError = new Error(`hook failed: ${what}`);
      const pending = gate<boolean>();
      const log = recorder();
      const full = `retry(input, { retries: ${retries}, minTimeout: 1000, signal, ... }) aborted while ${what}`;
      const result = callRetry(full, () => retry(log.input, { retries, minTimeout: 1000, signal: controller.signal, ...hooks(pending) }));
      await advance(calls === 2 ? 1000 : 0);
      controller.abort(reason);
      await drain();
      settle(pending, hookError);
      await advance(1000);
      const allowed: Array<[unknown, string]> = [[reason, 'signal.reason'], ...alsoAllowed(log, hookError)];
      const outcome = result.outcome;
      if (mayHang && outcome.state === 'pending') {
        // Waiting for a hook that never settles is allowed; calling input again is not.
        await advance(100_000);
        check(log.calls === calls, { expected: `${full}: no call of input after the abort (${calls} in all)`, received: `${log.calls} calls in all` });
        continue;
      }
      check(outcome.state === 'rejected' && allowed.some(([value]) => value === outcome.reason), () => ({
        expected: `${full}: retry to ${mayHang ? 'stay pending, or ' : ''}reject (with ${allowed.map(([, name]) => name).join(' or ')}) by the time the delay would have ended`,
        received:
          outcome.state === 'pending'
            ? 'it was still pending: after the abort, nothing ended it'
            : outcome.state === 'rejected'
              ? `it rejected with ${show(outcome.reason)}`
              : `it resolved with ${show(outcome.value)}`,
        hint: 'after a hook finishes (or fails), check signal.aborted before you wait or call input again',
      }));
      await advance(100_000);
      check(log.calls === calls, {
        expected: `${full}: no call of input after the abort (${calls} in all)`,
        received: `${log.calls} calls in all`,
        hint: 'once the signal has aborted, never call input again, whatever the hooks do',
      });
      await checkCleanedUp(full, result, controller.signal);
    }
  });

  behaviour('an abort with no reason (signal.reason is then a DOMException) rejects with that same DOMException, at every step', async () => {
    const cases: Array<{ what: string; retries: number; gateOn: number[]; run: (log: ReturnType<typeof recorder>, abort: () => void, hook: Gate<void>) => Promise<void>; calls: number; hooked?: boolean }> = [
      { what: 'during the delay after attempt 1', retries: 5, gateOn: [], calls: 1, run: async (_log, abort) => { await advance(500); abort(); } },
      { what: 'during the delay after attempt 2', retries: 5, gateOn: [], calls: 2, run: async (_log, abort) => { await advance(1000 + 1500); abort(); } },
      {
        what: 'while attempt 2 runs, which then fails',
        retries: 5,
        gateOn: [2],
        calls: 2,
        run: async (log, abort) => {
          await advance(1000);
          abort();
          await drain();
          log.gateOf(2).reject(new Error('attempt 2 failed after the abort'));
        },
      },
      {
        what: 'while attempt 1 runs, which then succeeds',
        retries: 5,
        gateOn: [1],
        calls: 1,
        run: async (log, abort) => {
          await drain();
          abort();
          await drain();
          log.gateOf(1).resolve('too late');
        },
      },
      {
        what: 'while the last attempt (retries: 1) runs, which then fails',
        retries: 1,
        gateOn: [2],
        calls: 2,
        run: async (log, abort) => {
          await advance(1000);
          abort();
          await drain();
          log.gateOf(2).reject(new Error('the last attempt failed after the abort'));
        },
      },
      {
        what: "while onFailedAttempt's promise for attempt 1 is pending (checked when the delay would end)",
        retries: 5,
        gateOn: [],
        calls: 1,
        hooked: true,
        run: async (_log, abort, hook) => {
          await drain();
          abort();
          await drain();
          hook.resolve();
          await advance(1000);
        },
      },
    ];
    for (const { what, retries, gateOn, run, calls, hooked } of cases) {
      const controller = new AbortController();
      const hook = gate<void>();
      const log = recorder({ gateOn });
      const full = `retry(input, { retries: ${retries}, minTimeout: 1000, signal }) aborted with controller.abort() ${what}`;
      const result = callRetry(full, () =>
        retry(log.input, { retries, minTimeout: 1000, signal: controller.signal, ...(hooked ? { onFailedAttempt: () => hook.promise } : {}) }),
      );
      await run(log, () => controller.abort(), hook);
      await drain();
      const outcome = result.outcome;
      const domException = controller.signal.reason as unknown;
      check(outcome.state === 'rejected' && outcome.reason === domException, () => ({
        expected: `${full}: retry to reject with signal.reason (a DOMException named "AbortError"), the same object, ${hooked ? 'by the time that delay is over' : 'before any other timer fires'}`,
        received:
          outcome.state === 'pending'
            ? 'it was still pending'
            : outcome.state === 'rejected'
              ? `it rejected with ${outcome.reason === undefined ? 'undefined' : show(outcome.reason)}${outcome.reason instanceof Error && outcome.reason !== domException && outcome.reason.name === 'AbortError' ? ' (another AbortError, not signal.reason)' : ''}`
              : `it resolved with ${show(outcome.value)}`,
        hint:
          'reject with signal.reason itself. Its name is "AbortError" too: recognise your own AbortError with instanceof, never by name (a DOMException has no originalError)',
      }));
      await advance(100_000);
      check(log.calls === calls, { expected: `${full}: no further call of input (${calls} in all)`, received: `${log.calls} calls in all` });
      await checkCleanedUp(full, result, controller.signal);
    }
  }, { points: 2 });

  behaviour('leaves no timer pending and no abort listener attached once it has settled', async () => {
    const scenarios: Array<{ what: string; run: (signal: AbortSignal, controller: AbortController) => Promise<Tracked<unknown>> }> = [
      {
        what: 'success on attempt 3',
        run: async (signal) => {
          const log = recorder({ succeedOn: 3, value: 'ok' });
          const result = track(retry(log.input, { retries: 5, minTimeout: 10, signal }));
          await advance(1000);
          return result;
        },
      },
      {
        what: 'every attempt failed (retries: 2)',
        run: async (signal) => {
          const result = track(retry(recorder().input, { retries: 2, minTimeout: 10, signal }));
          await advance(1000);
          return result;
        },
      },
      {
        what: 'shouldRetry said false after attempt 2',
        run: async (signal) => {
          const result = track(retry(recorder().input, { retries: 5, minTimeout: 10, signal, shouldRetry: (i) => i.attemptNumber < 2 }));
          await advance(1000);
          return result;
        },
      },
      {
        what: 'input threw an AbortError on attempt 2',
        run: async (signal) => {
          const result = track(
            retry(
              (n: number) => {
                throw n === 2 ? new AbortError('stop') : new Error('retry me');
              },
              { retries: 5, minTimeout: 10, signal },
            ),
          );
          await advance(1000);
          return result;
        },
      },
      {
        what: 'onFailedAttempt threw after attempt 2',
        run: async (signal) => {
          const result = track(
            retry(recorder().input, {
              retries: 5,
              minTimeout: 10,
              signal,
              onFailedAttempt: (i) => {
                if (i.attemptNumber === 2) throw new Error('hook failed');
              },
            }),
          );
          await advance(1000);
          return result;
        },
      },
      {
        what: 'the signal aborted during the second delay',
        run: async (signal, controller) => {
          const result = track(retry(recorder().input, { retries: 5, minTimeout: 100, signal }));
          await advance(150);
          controller.abort(new Error('stop'));
          return result;
        },
      },
      {
        what: 'the signal aborted while attempt 2 ran, which then failed',
        run: async (signal, controller) => {
          const log = recorder({ gateOn: [2] });
          const result = track(retry(log.input, { retries: 5, minTimeout: 10, signal }));
          await advance(10);
          controller.abort(new Error('stop'));
          await drain();
          log.gateOf(2).reject(new Error('late failure'));
          return result;
        },
      },
      {
        what: 'the signal aborted while attempt 2 ran, which then succeeded',
        run: async (signal, controller) => {
          const log = recorder({ gateOn: [2] });
          const result = track(retry(log.input, { retries: 5, minTimeout: 10, signal }));
          await advance(10);
          controller.abort(new Error('stop'));
          await drain();
          log.gateOf(2).resolve('late value');
          return result;
        },
      },
    ];
    for (const { what, run } of scenarios) {
      const controller = new AbortController();
      const result = await run(controller.signal, controller);
      await checkCleanedUp(`with a signal, after ${what}`, result, controller.signal);
    }
    // Without a signal: success after two retries leaves no timer either.
    const log = recorder({ succeedOn: 3, value: 'ok' });
    const result = track(retry(log.input, { retries: 5, minTimeout: 10 }));
    await advance(1000);
    await checkCleanedUp('without a signal, after success on attempt 3', result);
  }, { points: 2 });
});

task('options', () => {
  behaviour('rejects invalid options with a TypeError: negative or non-number retries, minTimeout, maxTimeout or factor', async () => {
    for (const name of ['retries', 'minTimeout', 'maxTimeout', 'factor'] as const) {
      for (const value of [-1, -Infinity, '3', true, {}]) {
        const what = `retry(input, { ${name}: ${show(value)} })`;
        const result = callRetry(what, () => retry(() => 'ok', { [name]: value } as unknown as RetryOptions));
        await advance(10_000);
        check(result.outcome.state === 'rejected' && result.outcome.reason instanceof TypeError, () => ({
          expected: `${what} to reject with a TypeError`,
          received:
            result.outcome.state === 'rejected'
              ? `it rejected with ${show(result.outcome.reason)}`
              : result.outcome.state === 'fulfilled'
                ? `it resolved with ${show(result.outcome.value)}`
                : 'it was still pending',
          hint: `${name} must be a number (typeof value === "number") and not negative; check the options before the first attempt`,
        }));
      }
    }
  });

  behaviour('accepts any non-negative number, Infinity included, for retries, minTimeout, maxTimeout and factor', async () => {
    const valid: Array<[string, number]> = [
      ['retries', 0],
      ['retries', Infinity],
      ['minTimeout', 0],
      ['minTimeout', Infinity],
      ['maxTimeout', 0],
      ['maxTimeout', Infinity],
      ['factor', 0],
      ['factor', 1],
      ['factor', Infinity],
    ];
    for (const [name, value] of valid) {
      const what = `retry(() => 'ok', { ${name}: ${show(value)} })`;
      const result = callRetry(what, () => retry(() => 'ok', { [name]: value }));
      await drain();
      const got = fulfilledValue(result, what);
      check(got === 'ok', { expected: `${what} to resolve with 'ok'`, received: show(got), hint: 'only negative numbers and non-numbers are invalid' });
    }
  });

  behaviour('minTimeout: 0, maxTimeout: 0 and factor: 0 are used as given on calls that retry, not replaced by the defaults', async () => {
    // A zero wait may be a setTimeout(0) or no timer at all, and a fake clock may count a timer started while
    // another fires as 1 ms: so "no wait" is checked as "every retry within a few milliseconds", far from any default.
    const SLACK = 20;
    const cases: Array<{ options: RetryOptions; first: number; zero: string }> = [
      { options: { retries: 3, minTimeout: 0 }, first: 0, zero: 'minTimeout: 0 makes every wait 0 ms' },
      { options: { retries: 3, minTimeout: 0, factor: 3, randomize: true }, first: 0, zero: 'minTimeout: 0 makes every wait 0 ms, randomized or not' },
      { options: { retries: 3, minTimeout: 1000, maxTimeout: 0 }, first: 0, zero: 'maxTimeout: 0 caps every wait at 0 ms' },
      { options: { retries: 3, minTimeout: 500, maxTimeout: 0, randomize: true }, first: 0, zero: 'maxTimeout: 0 caps every wait at 0 ms, randomized or not' },
      { options: { retries: 3, minTimeout: 100, factor: 0 }, first: 100, zero: 'factor: 0 makes the first wait minTimeout (0 ** 0 is 1) and every later wait 0 ms' },
    ];
    for (const { options, first, zero } of cases) {
      const shown = showOptions(options);
      const log = recorder();
      const result = callRetry(`retry(input, ${shown})`, () => retry(log.input, options));
      await drain();
      if (first > 0) {
        await advance(first - 1);
        check(log.calls === 1, {
          expected: `with ${shown}: the first retry ${first} ms after the first failure`,
          received: `it came after ${log.times[1]} ms`,
          hint: FORMULA_HINT,
        });
        await advance(1);
      }
      await advance(SLACK);
      const settled = result.outcome;
      check(log.calls === 4 && settled.state === 'rejected' && settled.reason === log.errors[3], () => ({
        expected: `with ${shown} (${zero}): all 4 calls within ${first} ms and a few more, then a rejection with the last error`,
        received:
          `${log.calls} call(s) by ${first + SLACK} ms, at ${log.times.map((t) => `${t} ms`).join(', ')}; retry was ` +
          (settled.state === 'rejected' ? `rejected with ${show(settled.reason)}` : settled.state === 'fulfilled' ? 'resolved' : 'still pending'),
        hint:
          '0 is a valid value, not a missing one: take defaults with a default value (const { minTimeout = 1000 } = options) or ??, never with ||, which turns 0 into the default',
      }));
    }
  });

  behaviour('never changes the options object, so one object can be reused for many calls', async () => {
    const controller = new AbortController();
    const frozen = Object.freeze({ retries: 2, minTimeout: 10, factor: 3, onFailedAttempt: () => {}, shouldRetry: () => true, signal: controller.signal });
    await checkSchedule(frozen, [10, 30], 'read the options into local variables; never assign to the caller\'s object (it may be frozen)');
    const shared: RetryOptions = { retries: 2, minTimeout: 20 };
    for (const run of [1, 2, 3]) {
      await checkSchedule(shared, [20, 40], `run ${run} with the same options object behaved differently: keep your counters in local variables, not in the options`);
      check(show(shared) === show({ retries: 2, minTimeout: 20 }), {
        expected: 'the options object to be left exactly as the caller wrote it: { retries: 2, minTimeout: 20 }',
        received: show(shared),
        hint: 'apply defaults to local variables (const { retries = 10 } = options), never to the caller\'s object',
      });
    }
    const empty: RetryOptions = {};
    const result = track(retry(() => 'ok', empty));
    await drain();
    fulfilledValue(result, "retry(() => 'ok', {})");
    check(Object.keys(empty).length === 0, {
      expected: 'an empty options object to stay empty',
      received: show(empty),
      hint: 'apply defaults to local variables, never to the caller\'s object',
    });
  });
});

task('many retries at once', () => {
  behaviour('hundreds of retry calls on one clock: each makes exactly its own attempts, in order and on time, and settles with its own outcome', async () => {
    const random = seededRandom(0x7e77a1);
    const CALLS = 250;
    const start = fakeNow();
    const now = (): number => fakeNow() - start;
    // Every wait below is an even number of ms, so every attempt comes at an even time: the signals abort at odd
    // times, never at the same moment as an attempt. One is aborted with abort() (its reason is a DOMException).
    const signals = [
      { at: 41, reason: new Error('aborted at 41 ms') as unknown },
      { at: 97, reason: undefined },
      { at: 233, reason: new Error('aborted at 233 ms') },
      { at: 601, reason: new Error('aborted at 601 ms') },
      { at: 1501, reason: undefined },
      { at: Infinity, reason: undefined },
    ].map((entry) => ({ ...entry, controller: new AbortController() }));
    for (const { controller } of signals) setMaxListeners(CALLS, controller.signal);
    // Some calls share one frozen options object: one object reused by many calls at once.
    const shared: RetryOptions[] = [
      Object.freeze({ retries: 3, minTimeout: 10 }),
      Object.freeze({ retries: 6, minTimeout: 4, factor: 3, maxTimeout: 200 }),
      Object.freeze({ retries: Infinity, minTimeout: 2, factor: 1 }),
      Object.freeze({ retries: 0 }),
    ];
    interface Plan {
      options: RetryOptions;
      failures: number;
      sync: boolean;
      stopAfter: number | undefined;
      hooked: boolean;
      signal: number | undefined;
    }
    interface Expected {
      times: number[];
      hooks: string[];
      outcome: { kind: 'value' } | { kind: 'error'; attempt: number } | { kind: 'reason' };
    }
    const plans: Plan[] = Array.from({ length: CALLS }, () => {
      const failures = randomInt(random, 0, 8);
      const sync = random() < 0.5;
      if (random() < 0.25) {
        return { options: shared[randomInt(random, 0, shared.length - 1)]!, failures, sync, stopAfter: undefined, hooked: false, signal: undefined };
      }
      const retries = random() < 0.1 ? Infinity : randomInt(random, 0, 6);
      const options: RetryOptions = { retries, minTimeout: 2 * randomInt(random, 1, 40), factor: randomInt(random, 1, 3) };
      if (random() < 0.3) options.maxTimeout = 2 * randomInt(random, 5, 100);
      const stopAfter = random() < 0.5 ? randomInt(random, 1, 8) : undefined;
      const signal = random() < 0.6 ? randomInt(random, 0, signals.length - 1) : undefined;
      return { options, failures, sync, stopAfter, hooked: true, signal };
    });

    /** What the contract says call `plan` does: its attempts' times, its hook calls, and how it settles. */
    const expect = (plan: Plan): Expected => {
      const { retries = 10, minTimeout = 1000, maxTimeout = Infinity, factor = 2 } = plan.options;
      const abortAt = plan.signal === undefined ? Infinity : signals[plan.signal]!.at;
      const times: number[] = [];
      const hooks: string[] = [];
      for (let n = 1, t = 0; ; n++) {
        if (t > abortAt) return { times, hooks, outcome: { kind: 'reason' } };
        times.push(t);
        if (n > plan.failures) return { times, hooks, outcome: { kind: 'value' } };
        const retriesLeft = retries - (n - 1);
        if (plan.hooked) hooks.push(`onFailedAttempt(${n}, retriesLeft ${retriesLeft})`);
        if (retriesLeft <= 0) return { times, hooks, outcome: { kind: 'error', attempt: n } };
        if (plan.hooked && plan.stopAfter !== undefined) {
          hooks.push(`shouldRetry(${n})`);
          if (n === plan.stopAfter) return { times, hooks, outcome: { kind: 'error', attempt: n } };
        }
        t += Math.min(maxTimeout, Math.round(minTimeout * factor ** (n - 1)));
      }
    };
    const expected = plans.map(expect);

    const runs = plans.map((plan, id) => {
      const attempts: number[] = [];
      const times: number[] = [];
      const errors: Error[] = [];
      const hooks: string[] = [];
      const value = { call: id };
      const input = (attemptNumber: number): unknown => {
        attempts.push(attemptNumber);
        times.push(now());
        if (attemptNumber > plan.failures) return plan.sync ? value : Promise.resolve(value);
        const error = new Error(`call ${id}, attempt ${attemptNumber} failed`);
        errors.push(error);
        if (plan.sync) throw error;
        return Promise.reject(error);
      };
      let options = plan.options;
      if (plan.hooked) {
        options = {
          ...plan.options,
          onFailedAttempt: (info) => void hooks.push(`onFailedAttempt(${info.attemptNumber}, retriesLeft ${info.retriesLeft})`),
          ...(plan.stopAfter === undefined
            ? {}
            : {
                shouldRetry: (info: FailedAttempt) => {
                  hooks.push(`shouldRetry(${info.attemptNumber})`);
                  return info.attemptNumber !== plan.stopAfter;
                },
              }),
          ...(plan.signal === undefined ? {} : { signal: signals[plan.signal]!.controller.signal }),
        };
      }
      const result = callRetry(`retry(input, ${showOptions(plan.options)}), call ${id + 1} of ${CALLS} made at once`, () => retry(input, options));
      return { attempts, times, errors, hooks, value, result };
    });

    await drain();
    for (const entry of [...signals].sort((a, b) => a.at - b.at)) {
      const { at, reason, controller } = entry;
      if (at === Infinity) break;
      await advance(at - now());
      if (reason === undefined) controller.abort();
      else controller.abort(reason);
      await drain();
      // Every call waiting on this signal must have rejected at once, not when its delay is over.
      const slow = plans.findIndex((plan, id) => plan.signal === signals.indexOf(entry) && expected[id]!.outcome.kind === 'reason' && runs[id]!.result.outcome.state !== 'rejected');
      if (slow >= 0) {
        fail({
          expected: `call ${slow + 1} of ${CALLS} made at once, retry(input, ${showOptions(plans[slow]!.options)}) with a signal aborted at ${at} ms during one of its delays, to reject at once`,
          received: `it was still ${runs[slow]!.result.outcome.state} right after the abort`,
          hint: 'listen for "abort" (addEventListener, never signal.onabort, which holds one listener for all the calls sharing the signal) during every delay',
        });
      }
    }
    const end = Math.max(...expected.map((e) => e.times[e.times.length - 1]!));
    await advance(Math.max(0, end - now()) + 1);

    let made = 0;
    plans.forEach((plan, id) => {
      const run = runs[id]!;
      const want = expected[id]!;
      made += run.attempts.length;
      const signal = plan.signal === undefined ? undefined : signals[plan.signal]!;
      const about =
        `call ${id + 1} of ${CALLS} made at once: retry(input, ${showOptions(plan.options)}${plan.hooked ? ' with onFailedAttempt' : ''}` +
        `${plan.stopAfter !== undefined && plan.hooked ? `, shouldRetry false after attempt ${plan.stopAfter}` : ''}` +
        `${signal ? `, a signal aborted at ${signal.at === Infinity ? 'no time' : `${signal.at} ms`}` : ''})` +
        `, where input ${plan.sync ? 'throws' : 'rejects'} on its first ${plan.failures} call(s)`;
      const wantAttempts = want.times.map((_, i) => i + 1);
      check(show(run.attempts) === show(wantAttempts) && show(run.times) === show(want.times), {
        expected: `${about}: input called with ${show(wantAttempts)} at ${show(want.times)} ms`,
        received: `it was called with ${show(run.attempts)} at ${show(run.times)} ms`,
        hint:
          'keep every piece of state (attempt number, timer, listener) in local variables of one retry call: calls running at the same time must not share any',
      });
      check(show(run.hooks) === show(want.hooks), {
        expected: `${about}: hook calls ${want.hooks.join(', ') || '(none)'}`,
        received: run.hooks.join(', ') || '(none)',
        hint: 'each call of retry runs its own hooks, once per failed attempt, in order',
      });
      const outcome = run.result.outcome;
      const wanted =
        want.outcome.kind === 'value'
          ? { state: 'fulfilled', value: run.value, shown: `resolve with its own value ${show(run.value)}` }
          : want.outcome.kind === 'error'
            ? { state: 'rejected', value: run.errors[want.outcome.attempt - 1], shown: `reject with the error of its attempt ${want.outcome.attempt}` }
            : { state: 'rejected', value: signal!.controller.signal.reason as unknown, shown: `reject with its signal's reason, ${show(signal!.controller.signal.reason)}` };
      const got = outcome.state === 'fulfilled' ? outcome.value : outcome.state === 'rejected' ? outcome.reason : undefined;
      check(outcome.state === wanted.state && got === wanted.value, {
        expected: `${about}: retry to ${wanted.shown}, the same object`,
        received:
          outcome.state === 'pending'
            ? 'it was still pending after every timer had run'
            : `it ${outcome.state === 'fulfilled' ? 'resolved' : 'rejected'} with ${show(got)}`,
        hint: 'each retry call settles once, with its own value or error',
      });
    });
    const total = expected.reduce((sum, e) => sum + e.times.length, 0);
    check(made === total, {
      expected: `${total} calls of input in all, across the ${CALLS} retry calls`,
      received: `${made}`,
    });
    const timers = pendingTimerCount();
    check(timers === 0, {
      expected: `no timer left pending once all ${CALLS} retry calls have settled`,
      received: `${timers} timer(s) still scheduled`,
      hint: 'keep each call\'s timer in a local variable, and clear it when that call is aborted',
    });
    for (const { controller, at } of signals) {
      const listeners = abortListeners(controller.signal);
      check(listeners === 0, {
        expected: `no abort listener left on a signal shared by many retry calls once they have all settled (the one aborted at ${at === Infinity ? 'no time' : `${at} ms`})`,
        received: `${listeners} abort listener(s) still attached`,
        hint: 'remove your abort listener whenever a retry call settles, whichever way',
      });
    }
  }, { points: 2 });
});
