/**
 * Hidden suite — debounce (contract: ../shared/spec/debounce.md).
 *
 * Every behaviour runs on a fake clock and reads the learner's promises only
 * after `drain()` or `advance()` (microtasks run, timers fired in order), so
 * nothing depends on how many microtasks an implementation takes.
 *
 * Left open by the contract, and never required either way here:
 * - whether two invocations may overlap when fn is slower than `wait`: every
 *   check that involves a slow fn identifies invocations by their arguments
 *   and only reads outcomes after every timer has run;
 * - with `before: true`, what the callers after the first get when the leading
 *   invocation rejects (they must still settle: no promise is left pending).
 */
import { getEventListeners } from 'node:events';
import type * as Contract from '@impl/02-debounce/debounce.ts';
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

const { debounceAsync } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/02-debounce/debounce.ts'),
  exports: { debounceAsync: 'function' },
});

/** What fn saw each time it was called. */
interface Invocation {
  args: unknown[];
  thisArg: unknown;
  /** Milliseconds on the fake clock. */
  at: number;
}

/** A fn that records its invocations (times counted from the recorder's creation) and answers with `answer`. */
function recorder(answer: (invocation: Invocation, index: number) => unknown = () => 'done') {
  const origin = fakeNow();
  const invocations: Invocation[] = [];
  const fn = function (this: unknown, ...args: unknown[]): unknown {
    const invocation = { args, thisArg: this, at: fakeNow() - origin };
    invocations.push(invocation);
    return answer(invocation, invocations.length - 1);
  };
  return { fn, invocations };
}

function describeInvocations(invocations: Invocation[]): string {
  if (invocations.length === 0) return 'fn was never called';
  const calls = invocations.map((i) => `(${i.args.map((a) => show(a)).join(', ')}) at ${i.at} ms`);
  return `fn was called ${invocations.length} time(s): ${calls.join('; ')}`;
}

/** A promise that settles `ms` later on the fake clock. */
function later<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function failLater(ms: number, error: unknown): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(error), ms));
}

/** "callers 1, 3" for the pending ones, or undefined when every one settled. */
function pendingCallers(callers: Tracked<unknown>[]): string | undefined {
  const pending = callers.flatMap((c, i) => (c.outcome.state === 'pending' ? [i + 1] : []));
  return pending.length === 0 ? undefined : `caller${pending.length > 1 ? 's' : ''} ${pending.join(', ')}`;
}

function expectAllSettled(callers: Tracked<unknown>[], what: string): void {
  const pending = pendingCallers(callers);
  if (pending === undefined) return;
  fail({
    expected: `every one of the ${callers.length} callers ${what} to settle`,
    received: `${pending} of ${callers.length} ${pending.includes(',') ? 'were still pending after every timer had run: they' : 'was still pending after every timer had run: it'} will never settle`,
    hint: 'keep every caller of the burst (a list of resolve/reject functions, or one promise they all share), not only the last one: clearTimeout cancels the earlier timer, not the earlier promises',
  });
}

function expectValue(tracked: Tracked<unknown>, expected: unknown, what: string, hint?: string): void {
  const value = fulfilledValue(tracked, what);
  check(value === expected, {
    expected: `${what} to resolve with ${show(expected)}${typeof expected === 'object' && expected !== null ? ' (that same object)' : ''}`,
    received: `it resolved with ${show(value)}`,
    hint: hint ?? 'every caller of a burst gets the outcome of that burst\'s one invocation of fn',
  });
}

function expectRejection(tracked: Tracked<unknown>, expected: unknown, what: string, hint?: string): void {
  const reason = rejectionReason(tracked, what);
  check(reason === expected, {
    expected: `${what} to reject with ${show(expected)}, the same ${typeof expected === 'object' && expected !== null ? 'object' : 'value'}`,
    received: `it rejected with ${show(reason)}${reason instanceof Error && reason !== expected ? ' (a different object)' : ''}`,
    hint: hint ?? 'pass the rejection through untouched: no wrapping, no new Error(...)',
  });
}

function describeOutcome(outcome: Tracked<unknown>['outcome']): string {
  if (outcome.state === 'fulfilled') return `it resolved with ${show(outcome.value)}`;
  if (outcome.state === 'rejected') return `it rejected with ${show(outcome.reason)}`;
  return 'it was still pending';
}

/** Abort listeners currently registered on a signal (the real count, `once` listeners included). */
function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

task('trailing (the default)', () => {
  behaviour('calls fn once, `wait` ms after the last call of a burst, never at once', async () => {
    const single = recorder();
    const once = debounceAsync(single.fn, 25);
    const lone = track(once('only'));
    assertPromise(lone, 'the debounced function');
    await drain();
    check(single.invocations.length === 0, {
      expected: 'fn not to be called at once: the default is to wait `wait` ms of quiet first',
      received: `${describeInvocations(single.invocations)} (before any timer fired)`,
      hint: 'in trailing mode (the default) the debounced function only starts a timer; fn runs when it expires',
    });
    await advance(24);
    check(single.invocations.length === 0, {
      expected: 'fn not to be called yet 24 ms after a single call with wait 25 ms',
      received: describeInvocations(single.invocations),
    });
    await advance(1);
    check(single.invocations.length === 1, {
      expected: 'fn to be called once, 25 ms after a single call with wait 25 ms',
      received: describeInvocations(single.invocations),
      hint: 'start a setTimeout of `wait` ms on each call; fn runs when it fires',
    });
    expectValue(lone, 'done', 'the single call');

    // Calls at 0, 4, 8 and 12 ms are one burst (each less than 10 ms after the previous one).
    const burst = recorder();
    const debounced = debounceAsync(burst.fn, 10);
    const callers = [track(debounced(0))];
    for (const call of [1, 2, 3]) {
      await advance(4);
      callers.push(track(debounced(call)));
    }
    await advance(9); // 21 ms: 9 ms after the last call
    check(burst.invocations.length === 0, {
      expected: 'fn not to be called yet at 21 ms: calls came at 0, 4, 8 and 12 ms with wait 10 ms, so the burst ends at 22 ms',
      received: describeInvocations(burst.invocations),
      hint: 'every call restarts the timer (clearTimeout, then a new setTimeout); a timer measured from the first call of the burst is throttling, not debouncing',
    });
    await advance(1); // 22 ms
    check(burst.invocations.length === 1 && burst.invocations[0]!.at === 22, {
      expected: 'fn called exactly once, at 22 ms (10 ms after the last call, at 12 ms)',
      received: describeInvocations(burst.invocations),
      hint: 'one burst, one call of fn: clear the previous timer on every call',
    });
    await advance(100);
    check(burst.invocations.length === 1, {
      expected: 'fn called only once for the whole burst',
      received: describeInvocations(burst.invocations),
    });
    expectAllSettled(callers, 'of the burst');
  }, { points: 2 });

  behaviour('calls fn with the arguments and `this` of the last call of the burst', async () => {
    const { fn, invocations } = recorder();
    const debounced = debounceAsync(fn, 10);
    const owners = ['first', 'second', 'third'].map((name) => ({ name, debounced }));
    const payloads = owners.map((owner) => Object.freeze({ from: owner.name }));
    const callers = owners.map((owner, i) => track(owner.debounced(payloads[i], i)));
    await advance(10);
    expectAllSettled(callers, 'of the burst');
    check(invocations.length === 1, { expected: 'fn called once for the burst', received: describeInvocations(invocations) });
    const [invocation] = invocations;
    check(invocation!.args.length === 2 && invocation!.args[0] === payloads[2] && invocation!.args[1] === 2, {
      expected: "fn called with the last call's arguments: ({ from: 'third' }, 2), that same object",
      received: `fn was called with ${show(invocation!.args)}`,
      hint: 'remember the arguments of every call (the last one wins), and pass them on unchanged: fn.apply(thisArg, args)',
    });
    check(invocation!.thisArg === owners[2], {
      expected: "fn called with `this` of the last call (obj.debounced(...) makes `this` obj, the 'third' owner)",
      received: `this was ${invocation!.thisArg === undefined ? 'undefined' : show(invocation!.thisArg)}`,
      hint: 'return a regular `function` (an arrow function has no `this` of its own), keep `this` with the arguments, and call fn.apply(thisArg, args)',
    });

    // `.call` works the same way, and a single call is its own last call.
    const context = { name: 'context' };
    const single = recorder();
    const viaCall = debounceAsync(single.fn, 5);
    const result = track(viaCall.call(context, 'x'));
    await advance(5);
    fulfilledValue(result, 'debounced.call(context, "x")');
    check(single.invocations[0]?.thisArg === context, {
      expected: 'debounced.call(context, "x") to call fn with `this` === context',
      received: single.invocations.length === 0 ? 'fn was never called' : `this was ${show(single.invocations[0]!.thisArg)}`,
      hint: 'fn.apply(this, args) inside a regular function keeps the caller\'s `this`',
    });

    // A last call with no `this` and no arguments: fn gets exactly that, not what an earlier call of the burst had.
    const bare = recorder();
    const bareDebounced = debounceAsync(bare.fn, 5);
    const bareCallers = [track(bareDebounced.call({ name: 'earlier' }, 'x')), track(bareDebounced())];
    await advance(5);
    expectAllSettled(bareCallers, 'of the burst debounced.call({ name: "earlier" }, "x"), then debounced()');
    check(bare.invocations.length === 1, {
      expected: 'fn called once for the burst debounced.call({ name: "earlier" }, "x"), then debounced()',
      received: describeInvocations(bare.invocations),
    });
    const [bareInvocation] = bare.invocations;
    check(bareInvocation!.args.length === 0, {
      expected: 'fn called with no arguments: the last call of the burst, debounced(), had none',
      received: `fn was called with ${show(bareInvocation!.args)}, the arguments of the earlier call`,
      hint: 'the last call wins even when it has no arguments: remember `args` as they are (lastArgs = args), not only when there are some',
    });
    check(bareInvocation!.thisArg === undefined, {
      expected: 'fn called with `this` undefined: the last call of the burst, a plain debounced(), had no `this`',
      received: bareInvocation!.thisArg === globalThis ? 'this was globalThis' : `this was ${show(bareInvocation!.thisArg)}`,
      hint: "the last call's `this` wins even when it is undefined: remember it as it is (lastThis = this), not with `this ?? lastThis` or a fallback",
    });
  }, { points: 2 });

  behaviour("every caller of a burst gets the invocation's value", async () => {
    const answer = { answer: 42 };
    const { fn, invocations } = recorder(() => later(5, answer));
    const debounced = debounceAsync(fn, 10);
    const callers: Tracked<unknown>[] = [];
    for (let i = 0; i < 5; i++) {
      if (i > 0) await advance(2);
      callers.push(track(debounced(i)));
    }
    await advance(100);
    expectAllSettled(callers, 'of a burst of 5 calls');
    check(invocations.length === 1, { expected: 'fn called once for the burst of 5 calls', received: describeInvocations(invocations) });
    callers.forEach((caller, i) =>
      expectValue(caller, answer, `caller ${i + 1} of 5`, 'superseded callers are not cancelled: they share the result of the one invocation'),
    );

    // A fn that returns a plain value, or a thenable, works the same.
    const plain = debounceAsync(() => 'plain', 3);
    const thenable = debounceAsync(() => ({ then: (resolve: (v: string) => void) => resolve('from a thenable') }) as PromiseLike<string>, 3);
    const fromPlain = [track(plain()), track(plain())];
    const fromThenable = [track(thenable()), track(thenable())];
    await advance(10);
    fromPlain.forEach((c, i) => expectValue(c, 'plain', `caller ${i + 1} of a fn that returns "plain"`));
    fromThenable.forEach((c, i) => expectValue(c, 'from a thenable', `caller ${i + 1} of a fn that returns a thenable`));
  }, { points: 2 });

  behaviour("every caller of a burst gets the invocation's rejection, the same error object", async () => {
    const failure = new Error('the request failed');
    const { fn } = recorder(() => failLater(5, failure));
    const debounced = debounceAsync(fn, 10);
    const callers = [track(debounced('a')), track(debounced('b')), track(debounced('c'))];
    await advance(100);
    expectAllSettled(callers, 'of the burst');
    callers.forEach((caller, i) => expectRejection(caller, failure, `caller ${i + 1} of 3 (fn rejects)`));
    // Not every rejection is an Error: it comes through as it is.
    const busy = debounceAsync(() => Promise.reject('busy'), 5);
    const both = [track(busy()), track(busy())];
    await advance(10);
    both.forEach((caller, i) => expectRejection(caller, 'busy', `caller ${i + 1} of a fn that rejects with the string "busy"`));
  });

  behaviour('a synchronous throw from fn rejects every caller of the burst', async () => {
    const failure = new TypeError('fn threw');
    const debounced = debounceAsync(() => {
      throw failure;
    }, 10);
    const calls = [attempt(() => debounced()), attempt(() => debounced())];
    const thrown = calls.find((c) => c.threw);
    if (thrown?.threw) {
      fail({
        expected: 'the debounced function to return a promise, even when fn throws',
        received: `it threw ${show(thrown.error)}`,
        hint: 'a throw from fn must reject the callers\' promises, never escape from the debounced function',
      });
    }
    const callers = calls.map((c) => track((c as { value: unknown }).value));
    try {
      await advance(20);
    } catch (error) {
      fail({
        expected: "fn's throw to reject the burst's promises",
        received: `${show(error)} escaped from your timer callback (an uncaught exception: it would crash a Node process)`,
        hint: 'call fn inside try/catch, or inside new Promise(...) or an async function, so that a throw becomes a rejection',
      });
    }
    expectAllSettled(callers, 'of a burst whose fn throws');
    callers.forEach((caller, i) =>
      expectRejection(caller, failure, `caller ${i + 1} of 2 (fn throws)`, 'a synchronous throw rejects the callers like a rejected promise would, with the same error'),
    );
  });

  behaviour('a call made after fn was invoked starts a new burst, even while that invocation is still running', async () => {
    const gates: Gate<string>[] = [];
    const { fn, invocations } = recorder(() => {
      const g = gate<string>();
      gates.push(g);
      return g.promise;
    });
    const debounced = debounceAsync(fn, 10);
    const a = track(debounced('a'));
    await advance(3);
    const b = track(debounced('b'));
    await advance(10); // 13 ms: fn('b') runs and has not finished
    check(invocations.length === 1 && invocations[0]!.args[0] === 'b', {
      expected: 'fn called once, with "b", at 13 ms (calls "a" at 0 ms and "b" at 3 ms, wait 10 ms)',
      received: describeInvocations(invocations),
    });
    const c = track(debounced('c'));
    await advance(2);
    const d = track(debounced('d'));
    await advance(20);
    // Whether fn("d") started already (overlapping) or waits for fn("b") is up to the implementation.
    check(c.outcome.state === 'pending' && d.outcome.state === 'pending', {
      expected: 'calls "c" and "d", made while fn("b") was running, still to be waiting',
      received: `call "c" ${c.outcome.state}, call "d" ${d.outcome.state}`,
      hint: 'a call made after fn was invoked belongs to the next burst and waits for the next invocation',
    });
    gates[0]!.resolve('first');
    await advance(100);
    expectAllSettled([a, b], 'of the first burst ("a" and "b")');
    expectValue(a, 'first', 'call "a"');
    expectValue(b, 'first', 'call "b"');
    for (const [caller, name] of [[c, 'c'], [d, 'd']] as const) {
      check(!(caller.outcome.state === 'fulfilled' && caller.outcome.value === 'first'), {
        expected: `call "${name}", made while fn("b") was running, to wait for the next invocation`,
        received: `it resolved with "first", the result of the invocation that was already running when it was called`,
        hint: 'hand the burst over when fn is invoked: the next call must find no burst waiting and start a new one (new promise, new timer)',
      });
    }
    check(invocations.length === 2 && invocations[1]!.args[0] === 'd', {
      expected: 'fn called a second time, with "d" (the last call of the second burst)',
      received: describeInvocations(invocations),
      hint: 'calls made while fn runs form a new burst, which gets its own invocation',
    });
    gates[1]!.resolve('second');
    await advance(100);
    expectValue(c, 'second', 'call "c"', 'the callers of the second burst get the second invocation\'s result');
    expectValue(d, 'second', 'call "d"', 'the callers of the second burst get the second invocation\'s result');
  }, { points: 2 });

  behaviour("a call made from inside fn itself starts a new burst: it gets the next invocation's outcome", async () => {
    let inner: Tracked<unknown> | undefined;
    let debounced: (...args: unknown[]) => Promise<unknown> = () => Promise.resolve();
    const { fn, invocations } = recorder(({ args }, index) => {
      // The first invocation calls the debounced function once, synchronously, before it returns.
      if (index === 0) inner = track(debounced('from inside fn'));
      return later(5, `result of ${String(args[0])}`);
    });
    debounced = debounceAsync(fn, 10);
    const outer = track(debounced('outer'));
    await advance(10); // fn("outer") runs and calls the debounced function from inside
    check(invocations.length === 1 && invocations[0]!.args[0] === 'outer' && inner !== undefined, {
      expected: 'fn called once, with "outer", 10 ms after the only call (wait 10 ms)',
      received: describeInvocations(invocations),
    });
    await advance(100);
    expectAllSettled([outer, inner!], '("outer", and the call made from inside fn)');
    expectValue(outer, 'result of outer', 'the call "outer"');
    const innerOutcome = inner!.outcome;
    check(!(innerOutcome.state === 'fulfilled' && innerOutcome.value === 'result of outer'), {
      expected: 'the call made from inside fn("outer") to wait for the next invocation',
      received: 'it resolved with "result of outer", the outcome of the invocation that was running when it was made',
      hint: 'hand the burst over (fresh list of callers or fresh promise, timer forgotten) BEFORE calling fn: fn may call the debounced function itself, and that call belongs to the next burst',
    });
    check(invocations.length === 2 && invocations[1]!.args[0] === 'from inside fn', {
      expected: 'fn called a second time, with "from inside fn", for the burst the call from inside fn started',
      received: describeInvocations(invocations),
      hint: 'a call made while fn runs (even from inside fn) starts a new burst with its own timer: do not reset the timer or the callers after calling fn',
    });
    expectValue(inner!, 'result of from inside fn', 'the call made from inside fn', 'it belongs to the next burst and gets the next invocation\'s outcome');
  });

  behaviour('each burst gets its own invocation and its own outcome', async () => {
    const failure = new Error('second burst fails');
    const { fn, invocations } = recorder(({ args }) => (args[0] === 'second' ? failLater(2, failure) : later(2, `${String(args[0])} result`)));
    const debounced = debounceAsync(fn, 10);
    const bursts: Array<[string, Tracked<unknown>[]]> = [];
    for (const name of ['first', 'second', 'third']) {
      const callers = [track(debounced('ignored')), track(debounced(name))];
      bursts.push([name, callers]);
      await advance(50);
    }
    check(invocations.length === 3, {
      expected: 'fn called 3 times: once for each of 3 bursts 50 ms apart',
      received: describeInvocations(invocations),
    });
    for (const [name, callers] of bursts) {
      expectAllSettled(callers, `of the ${name} burst`);
      callers.forEach((caller, i) => {
        const what = `caller ${i + 1} of the ${name} burst`;
        const hint = 'start each burst with fresh state (a new promise or an empty list of callers); never hand a later burst an earlier one\'s promise';
        if (name === 'second') expectRejection(caller, failure, what, hint);
        else expectValue(caller, `${name} result`, what, hint);
      });
    }
  });
});

task('before: true', () => {
  behaviour("calls fn at once on the first call of a burst, with that call's arguments and `this`", async () => {
    const { fn, invocations } = recorder(() => 'leading');
    const debounced = debounceAsync(fn, 10, { before: true });
    const owners = ['first', 'second'].map((name) => ({ name, debounced }));
    const payload = Object.freeze({ id: 1 });
    const first = track(owners[0]!.debounced(payload, 'one'));
    assertPromise(first, 'the debounced function');
    await drain();
    check(invocations.length === 1, {
      expected: 'fn called at once by the first call of a burst (before any timer fires) with before: true',
      received: invocations.length === 0 ? 'fn had not been called yet: it waits for a timer' : describeInvocations(invocations),
      hint: 'with before: true, a call that finds no burst running calls fn right away, and then starts the `wait` ms timer',
    });
    const [invocation] = invocations;
    check(invocation!.args.length === 2 && invocation!.args[0] === payload && invocation!.args[1] === 'one', {
      expected: "fn called with the first call's arguments: ({ id: 1 }, 'one'), that same object",
      received: `fn was called with ${show(invocation!.args)}`,
    });
    check(invocation!.thisArg === owners[0], {
      expected: "fn called with the first call's `this` (the 'first' owner)",
      received: `this was ${invocation!.thisArg === undefined ? 'undefined' : show(invocation!.thisArg)}`,
      hint: 'return a regular `function` and call fn.apply(this, args)',
    });
    const second = track(owners[1]!.debounced('two'));
    await drain();
    check(invocations.length === 1, {
      expected: 'a second call 0 ms later not to call fn again: it belongs to the same burst',
      received: describeInvocations(invocations),
    });
    await advance(50);
    expectValue(first, 'leading', 'the first call');
    expectValue(second, 'leading', 'the second call of the burst');

    // A plain call, with no `this` and no arguments: fn gets exactly that.
    const plain = recorder(() => 'plain');
    const plainDebounced = debounceAsync(plain.fn, 10, { before: true });
    const plainCaller = track(plainDebounced());
    await advance(50);
    expectValue(plainCaller, 'plain', 'a plain debounced() call (before: true)');
    check(plain.invocations.length === 1 && plain.invocations[0]!.args.length === 0 && plain.invocations[0]!.thisArg === undefined, {
      expected: 'a plain debounced() call (before: true) to call fn once, with no arguments and `this` undefined',
      received: plain.invocations.length !== 1
        ? describeInvocations(plain.invocations)
        : `fn was called with ${show(plain.invocations[0]!.args)} and \`this\` ${plain.invocations[0]!.thisArg === globalThis ? 'globalThis' : show(plain.invocations[0]!.thisArg)}`,
      hint: 'pass the call\'s own `this` on as it is, undefined included (fn.apply(this, args)): no fallback such as `this ?? globalThis`',
    });
  }, { points: 2 });

  behaviour("every call of the burst gets the leading invocation's value, and fn is not called again at its end", async () => {
    const value = { leading: true };
    const { fn, invocations } = recorder(() => later(3, value));
    const debounced = debounceAsync(fn, 10, { before: true });
    const callers = [track(debounced(0))];
    for (const [gap, call] of [[5, 1], [4, 2], [5, 3]] as const) {
      await advance(gap);
      callers.push(track(debounced(call)));
    }
    await advance(100);
    check(invocations.length === 1, {
      expected: 'fn called once for a burst of calls at 0, 5, 9 and 14 ms (wait 10 ms): at the start, and not again at the end',
      received: describeInvocations(invocations),
      hint: 'before: true means leading only: when the burst ends, there is no trailing call',
    });
    expectAllSettled(callers, 'of the burst');
    callers.forEach((caller, i) =>
      expectValue(caller, value, `caller ${i + 1} of 4`, 'every call of the burst gets the leading invocation\'s value: keep its promise and hand it to the later callers'),
    );
  }, { points: 2 });

  behaviour('after `wait` ms with no call, the next call starts a new burst and calls fn at once again', async () => {
    const { fn, invocations } = recorder(({ args }) => `ran with ${String(args[0])}`);
    const debounced = debounceAsync(fn, 10, { before: true });
    const firstBurst = [track(debounced(0))];
    for (const call of [1, 2, 3]) {
      await advance(9);
      firstBurst.push(track(debounced(call)));
    }
    // Calls at 0, 9, 18, 27 ms: never 10 ms of quiet, so still one burst.
    await drain();
    check(invocations.length === 1, {
      expected: 'calls at 0, 9, 18 and 27 ms (wait 10 ms) to be one burst: fn called once',
      received: describeInvocations(invocations),
      hint: 'the burst ends when `wait` ms pass with no call: every call restarts the timer, it is not measured from the first call',
    });
    await advance(10); // 37 ms: exactly `wait` ms after the last call
    const secondBurst = [track(debounced(4))];
    await drain();
    check(invocations.length === 2 && invocations[1]!.args[0] === 4 && invocations[1]!.at === 37, {
      expected: 'a call at 37 ms, 10 ms after the last one (wait 10 ms), to start a new burst and call fn at once with its arguments',
      received: describeInvocations(invocations),
      hint: 'when the timer expires, forget the burst: the next call calls fn again',
    });
    await advance(9);
    secondBurst.push(track(debounced(5)));
    await advance(50);
    check(invocations.length === 2, {
      expected: 'the call at 46 ms to join the burst started at 37 ms (fn not called again)',
      received: describeInvocations(invocations),
    });
    firstBurst.forEach((c, i) => expectValue(c, 'ran with 0', `caller ${i + 1} of the first burst`));
    secondBurst.forEach((c, i) => expectValue(c, 'ran with 4', `caller ${i + 1} of the second burst`));
  });

  behaviour("the first caller gets the leading invocation's rejection or throw, and every caller settles", async () => {
    const failure = new Error('leading call failed');
    const rejecting = debounceAsync(() => failLater(2, failure), 10, { before: true });
    const rejected = [track(rejecting()), track(rejecting()), track(rejecting())];
    await advance(50);
    expectAllSettled(rejected, 'of a burst whose leading invocation rejects');
    expectRejection(rejected[0]!, failure, 'the first caller (fn rejects)');

    const thrown = new RangeError('leading call threw');
    const throwing = debounceAsync(() => {
      throw thrown;
    }, 10, { before: true });
    const call = attempt(() => throwing());
    if (call.threw) {
      fail({
        expected: 'the debounced function to return a promise when fn throws at once (before: true)',
        received: `it threw ${show(call.error)}`,
        hint: 'call fn inside try/catch or new Promise(...): its throw must become a rejection of the first caller\'s promise',
      });
    }
    const firstCaller = track(call.value);
    const others = [track(throwing()), track(throwing())];
    await advance(50);
    expectAllSettled([firstCaller, ...others], 'of a burst whose leading invocation throws');
    expectRejection(firstCaller, thrown, 'the first caller (fn throws)');
  });
  behaviour('fn runs exactly once per burst, even when that invocation rejects or throws: a later call of the burst never starts another', async () => {
    const failure = new Error('leading call failed');
    const rejecting = recorder(() => failLater(2, failure));
    const debounced = debounceAsync(rejecting.fn, 10, { before: true });
    const callers = [track(debounced(0))];
    for (const [gap, call] of [[5, 1], [4, 2], [5, 3]] as const) {
      await advance(gap);
      callers.push(track(debounced(call)));
    }
    // Calls at 0, 5, 9 and 14 ms; the leading invocation rejected at 2 ms, inside the burst.
    await advance(50);
    check(rejecting.invocations.length === 1, {
      expected: 'fn called once for a burst of calls at 0, 5, 9 and 14 ms (wait 10 ms, before: true), although its invocation rejected at 2 ms',
      received: describeInvocations(rejecting.invocations),
      hint: 'a rejection does not end the burst: only `wait` ms with no call does. Keep the leading promise (rejected or not) for the rest of the burst, and forget it only when the timer fires',
    });
    expectAllSettled(callers, 'of a burst whose leading invocation rejects');
    expectRejection(callers[0]!, failure, 'the first caller (fn rejects)');
    const next = track(debounced('next burst'));
    await drain();
    check(rejecting.invocations.length === 2 && rejecting.invocations[1]!.args[0] === 'next burst', {
      expected: 'the first call after the quiet period to start a new burst and call fn at once again',
      received: describeInvocations(rejecting.invocations),
    });
    await advance(50);
    expectRejection(next, failure, 'the first caller of the next burst');

    const thrown = new RangeError('leading call threw');
    const throwing = recorder(() => {
      throw thrown;
    });
    const throwingDebounced = debounceAsync(throwing.fn, 10, { before: true });
    const thrownCallers: Tracked<unknown>[] = [];
    for (const call of [0, 1, 2]) {
      if (call > 0) await advance(3);
      const made = attempt(() => throwingDebounced(call));
      if (made.threw) {
        fail({
          expected: 'the debounced function to return a promise when fn throws at once (before: true)',
          received: `call ${call + 1} threw ${show(made.error)}`,
          hint: "call fn inside try/catch or new Promise(...): its throw must become a rejection of the first caller's promise",
        });
      }
      thrownCallers.push(track(made.value));
    }
    await advance(50);
    check(throwing.invocations.length === 1, {
      expected: 'fn called once for a burst of calls at 0, 3 and 6 ms (wait 10 ms, before: true), although it threw',
      received: describeInvocations(throwing.invocations),
      hint: 'a throw from fn is that burst\'s outcome, like a rejection: the later calls of the burst share it, they do not call fn again',
    });
    expectAllSettled(thrownCallers, 'of a burst whose leading invocation throws');
    expectRejection(thrownCallers[0]!, thrown, 'the first caller (fn throws)');
  });

  behaviour('a call made from inside the leading fn belongs to its burst: fn is not called again for it', async () => {
    // Three leading invocations: a promise, a plain value, a synchronous throw. Each calls the
    // debounced function once, synchronously, before it returns (re-entrant, at the burst's first instant).
    const failure = new Error('leading call threw');
    const kinds = [
      ['returns a promise', () => later(5, 'leading value')],
      ['returns a plain value', () => 'leading value'],
      ['throws', () => { throw failure; }],
    ] as const;
    for (const [kind, answer] of kinds) {
      let inner: Tracked<unknown> | undefined;
      let debounced: (...args: unknown[]) => Promise<unknown> = () => Promise.resolve();
      const { fn, invocations } = recorder((_, index) => {
        if (index === 0) {
          const made = attempt(() => debounced('from inside fn'));
          inner = made.threw ? undefined : track(made.value);
        }
        return answer();
      });
      debounced = debounceAsync(fn, 10, { before: true });
      const outer = track(debounced('outer'));
      await drain();
      const startedAtOnce = invocations.length;
      await advance(50);
      check(invocations.length === 1 && invocations[0]!.args[0] === 'outer', {
        expected: `fn called once, with "outer", when fn ${kind} and calls the debounced function from inside itself (before: true, wait 10 ms): that call is a later call of the same burst`,
        received: `${describeInvocations(invocations)}${startedAtOnce > 1 ? ' (the second one at once, for the call made from inside fn)' : ''}`,
        hint: 'record the burst (its promise, or a "running" flag, and its timer) BEFORE calling fn: fn may call the debounced function itself, and that call must find the burst already started',
      });
      check(inner !== undefined, {
        expected: `the call made from inside fn to return a promise (fn ${kind}, before: true)`,
        received: 'it threw, or fn never made it',
        hint: 'a later call of the burst gets a promise for the leading invocation; it never throws',
      });
      expectAllSettled([outer, inner!], `("outer", and the call made from inside fn, which ${kind})`);
      if (kind === 'throws') expectRejection(outer, failure, 'the first caller (fn throws)');
      else expectValue(outer, 'leading value', `the first caller (fn ${kind})`);
      const next = track(debounced('next burst'));
      await advance(50);
      check(invocations.length === 2 && invocations[1]!.args[0] === 'next burst', {
        expected: `the first call after the quiet period to start a new burst and call fn at once again (fn ${kind})`,
        received: describeInvocations(invocations),
        hint: 'forget the burst when its timer fires, and only then: the next call calls fn again',
      });
      check(next.outcome.state !== 'pending', {
        expected: `the first caller of the next burst to settle (fn ${kind})`,
        received: 'it was still pending after every timer had run',
      });
    }
  });
});

task('signal', () => {
  behaviour('aborting rejects every waiting caller with signal.reason at once, clears the timer, and fn is never called', async () => {
    const reasons: Array<[string, unknown]> = [
      ['an Error', new Error('user left the page')],
      ['the string "stop"', 'stop'],
      ['no argument (the default AbortError)', undefined],
    ];
    for (const [description, given] of reasons) {
      const controller = new AbortController();
      const { fn, invocations } = recorder();
      const debounced = debounceAsync(fn, 10, { signal: controller.signal });
      const callers = [track(debounced(1))];
      for (const call of [2, 3]) {
        await advance(3);
        callers.push(track(debounced(call)));
      }
      await advance(2); // 8 ms
      if (given === undefined) controller.abort();
      else controller.abort(given);
      const reason = controller.signal.reason;
      await drain();
      const pending = pendingCallers(callers);
      if (pending !== undefined) {
        fail({
          expected: `all 3 waiting callers rejected at once when the signal aborts (abort with ${description})`,
          received: `${pending} still pending right after the abort`,
          hint: 'in the abort listener, reject every waiting caller with signal.reason; clearing the timer alone leaves their promises pending forever',
        });
      }
      callers.forEach((caller, i) =>
        expectRejection(caller, reason, `waiting caller ${i + 1} after abort with ${description}`, 'reject with signal.reason itself, not a new AbortError or a wrapper'),
      );
      check(pendingTimerCount() === 0, {
        expected: 'no timer of yours left scheduled after the abort',
        received: `${pendingTimerCount()} timer(s) still scheduled`,
        hint: 'clear the burst\'s timer (clearTimeout) in the abort listener',
      });
      await advance(100);
      check(invocations.length === 0, {
        expected: 'fn never called for callers rejected by the abort',
        received: describeInvocations(invocations),
        hint: 'clear the timer when the signal aborts, so the trailing call never happens',
      });
    }
  }, { points: 2 });

  behaviour('a call made after the abort rejects with signal.reason at once and never calls fn', async () => {
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      // A signal aborted before the debounced function exists, and one aborted after a completed burst.
      const early = new AbortController();
      early.abort(new Error('aborted early'));
      const lateController = new AbortController();
      const { fn, invocations } = recorder();
      const fromEarly = debounceAsync(fn, 10, { before, signal: early.signal });
      const fromLate = debounceAsync(fn, 10, { before, signal: lateController.signal });
      const completed = track(fromLate('completed'));
      await advance(20);
      expectValue(completed, 'done', `a call made before the abort (${mode})`);
      const countBefore = invocations.length;
      lateController.abort('too late');
      const cases: Array<[ReturnType<typeof fromEarly>, unknown, string]> = [];
      for (const [debounced, reason, what] of [
        [fromEarly, early.signal.reason, 'a signal already aborted when the debounced function was made'],
        [fromLate, 'too late', 'a signal that aborted after an earlier burst'],
      ] as const) {
        const call = attempt(() => debounced('after abort'));
        if (call.threw) {
          fail({
            expected: `a call made after the abort to return a rejected promise (${mode}, ${what})`,
            received: `it threw ${show(call.error)}`,
            hint: 'return Promise.reject(signal.reason) instead of throwing',
          });
        }
        cases.push([call.value as ReturnType<typeof fromEarly>, reason, what]);
      }
      const tracked = cases.map(([promise]) => track(promise));
      await drain();
      cases.forEach(([, reason, what], i) => {
        check(tracked[i]!.outcome.state !== 'pending', {
          expected: `a call made after the abort to reject at once (${mode}, ${what})`,
          received: 'it was still pending before any timer fired',
          hint: 'check signal.aborted at the start of every call and return Promise.reject(signal.reason)',
        });
        expectRejection(tracked[i]!, reason, `a call made after the abort (${mode}, ${what})`, 'reject with signal.reason itself');
      });
      await advance(100);
      check(invocations.length === countBefore, {
        expected: `fn never called for a call made after the abort (${mode})`,
        received: describeInvocations(invocations),
        hint: 'a call after the abort must not call fn, not even with before: true',
      });
    }
  });

  behaviour('an abort does not cancel an invocation that already started: its callers get its outcome', async () => {
    const controller = new AbortController();
    const running = gate<string>();
    const { fn, invocations } = recorder(() => running.promise);
    const debounced = debounceAsync(fn, 10, { signal: controller.signal });
    const callers = [track(debounced('a')), track(debounced('b'))];
    await advance(10);
    check(invocations.length === 1, { expected: 'fn called at 10 ms', received: describeInvocations(invocations) });
    controller.abort(new Error('aborted while fn runs'));
    await drain();
    running.resolve('finished anyway');
    await advance(50);
    expectAllSettled(callers, 'whose invocation had started before the abort');
    callers.forEach((caller, i) =>
      expectValue(caller, 'finished anyway', `caller ${i + 1}, whose invocation had started before the abort`, 'an abort only rejects callers whose invocation has not started yet; stop tracking a burst\'s callers once fn is invoked for them'),
    );

    // With before: true, the burst's callers share an invocation that started with the first call.
    const leadController = new AbortController();
    const leading = recorder(() => later(20, 'leading value'));
    const lead = debounceAsync(leading.fn, 10, { before: true, signal: leadController.signal });
    const burst = [track(lead('x'))];
    await advance(3);
    burst.push(track(lead('y')));
    await advance(2);
    leadController.abort(new Error('aborted mid-burst'));
    await advance(100);
    expectAllSettled(burst, 'of a before: true burst aborted after its leading invocation started');
    burst.forEach((caller, i) =>
      expectValue(caller, 'leading value', `caller ${i + 1} of a before: true burst aborted after its leading invocation started`, 'with before: true, every caller of the burst shares the invocation that already started: the abort does not reject them'),
    );
  });

  behaviour('whatever the debounced function is doing when the signal aborts, only callers whose fn has not started are rejected, and no abort listener is left (both modes)', async () => {
    interface Scenario {
      what: string;
      before: boolean;
      /** Calls ("name" at ms from the start), then the abort at `abortAt` ms. */
      calls: Array<[string, number]>;
      abortAt: number;
      /** How long each invocation of fn takes. */
      duration: number;
      /**
       * What each caller gets: the value of the named call's invocation, "reason", or "own or reason":
       * its own invocation's value if fn was called for it before the abort (overlapping), else the reason.
       */
      expected: Record<string, string>;
    }
    const scenarios: Scenario[] = [
      { what: 'trailing, never called', before: false, calls: [], abortAt: 0, duration: 5, expected: {} },
      { what: 'trailing, a burst over and its invocation settled', before: false, calls: [['a', 0]], abortAt: 30, duration: 5, expected: { a: 'a' } },
      { what: 'trailing, callers waiting for the timer', before: false, calls: [['a', 0], ['b', 4]], abortAt: 6, duration: 5, expected: { a: 'reason', b: 'reason' } },
      { what: 'trailing, an invocation running and nobody waiting', before: false, calls: [['a', 0]], abortAt: 15, duration: 20, expected: { a: 'a' } },
      { what: 'trailing, an invocation running and a new burst waiting', before: false, calls: [['a', 0], ['b', 12]], abortAt: 15, duration: 20, expected: { a: 'a', b: 'reason' } },
      {
        what: 'trailing, an invocation running, the next burst over (its fn may wait for the running one) and a third burst waiting',
        before: false,
        calls: [['a', 0], ['b', 12], ['c', 25]],
        abortAt: 28,
        duration: 30,
        expected: { a: 'a', b: 'own or reason', c: 'reason' },
      },
      { what: 'before: true, the leading invocation running', before: true, calls: [['a', 0], ['b', 3]], abortAt: 5, duration: 20, expected: { a: 'a', b: 'a' } },
      { what: 'before: true, the leading invocation settled and the burst still open', before: true, calls: [['a', 0], ['b', 4]], abortAt: 6, duration: 2, expected: { a: 'a', b: 'a' } },
      { what: 'before: true, a burst over', before: true, calls: [['a', 0]], abortAt: 30, duration: 2, expected: { a: 'a' } },
    ];
    const reasons: unknown[] = [new Error('aborted'), null, 0, 'stop', undefined];
    for (const [n, scenario] of scenarios.entries()) {
      const { what, before, calls, abortAt, duration, expected } = scenario;
      const controller = new AbortController();
      let aborted = false;
      const afterAbort: unknown[] = [];
      const { fn, invocations } = recorder(({ args }) => {
        if (aborted) afterAbort.push(args[0]);
        return later(duration, `value of ${String(args[0])}`);
      });
      const debounced = debounceAsync(fn, 10, { before, signal: controller.signal });
      const callers = new Map<string, Tracked<unknown>>();
      let now = 0;
      for (const [name, at] of calls) {
        await advance(at - now);
        now = at;
        callers.set(name, track(debounced(name)));
      }
      await advance(abortAt - now);
      const given = reasons[n % reasons.length];
      const startedBeforeAbort = new Set(invocations.map((i) => i.args[0]));
      aborted = true;
      if (given === undefined) controller.abort();
      else controller.abort(given);
      const reason = controller.signal.reason;
      const abortedWith = given === undefined ? 'no argument' : show(given);
      await drain();
      const left = abortListeners(controller.signal);
      check(left === 0, {
        expected: `no abort listener left on the signal right after it aborted (${what}; abort with ${abortedWith})`,
        received: `${left} abort listener(s) still on the signal`,
        hint: before || !calls.length
          ? 'after an abort nothing can wait any more: add a listener only while callers wait, with { once: true } or removed in the abort handler'
          : 'remove the listener when fn is invoked, and in the abort handler itself (or add it with { once: true }): a listener kept until fn settles is still there right after an abort',
      });
      const late = [track(debounced('after the abort')), track(debounced('after the abort'))];
      await drain();
      late.forEach((caller, i) =>
        check(caller.outcome.state === 'rejected' && caller.outcome.reason === reason, {
          expected: `call ${i + 1} made after the abort to reject at once with signal.reason, ${show(reason)} (${what})`,
          received: describeOutcome(caller.outcome),
          hint: 'check signal.aborted (not signal.reason, which may be any value) at the start of every call, and return Promise.reject(signal.reason)',
        }),
      );
      check(abortListeners(controller.signal) === 0, {
        expected: `no abort listener added by calls made after the abort (${what})`,
        received: `${abortListeners(controller.signal)} listener(s) on the signal`,
        hint: 'check signal.aborted before touching the signal: an aborted signal never fires again',
      });
      await advance(100);
      for (const [name, caller] of callers) {
        const outcome = caller.outcome;
        const flexible = expected[name] === 'own or reason';
        const wanted = flexible ? (startedBeforeAbort.has(name) ? name : 'reason') : expected[name];
        if (wanted === 'reason') {
          check(outcome.state === 'rejected' && outcome.reason === reason, {
            expected: `call "${name}", whose invocation had not started, to reject with signal.reason, ${show(reason)} (${what})`,
            received: describeOutcome(outcome),
            hint: flexible
              ? 'a burst whose timer has fired but whose fn call has not begun yet (it waits for the running invocation) is still waiting: the abort rejects it, and keep the abort listener while any burst is in that state'
              : 'the abort rejects every caller whose invocation has not started, with signal.reason itself',
          });
        } else {
          check(outcome.state === 'fulfilled' && outcome.value === `value of ${wanted}`, {
            expected: `call "${name}" to resolve with ${show(`value of ${wanted}`)}: its invocation had started before the abort (${what})`,
            received: describeOutcome(outcome),
            hint: before
              ? 'with before: true the callers of a burst share the leading invocation, which has started: the abort does not reject them, even when that invocation has already settled'
              : 'an abort only rejects callers whose invocation has not started yet',
          });
        }
      }
      check(afterAbort.length === 0, {
        expected: `fn never called after the abort (${what})`,
        received: `${describeInvocations(invocations)}; the abort came at ${abortAt} ms`,
        hint: 'clear the timer when the signal aborts, drop every burst whose fn call has not begun, and never call fn for a call made after it',
      });
      const wrong = invocations.find((i) => !['own or reason', String(i.args[0])].includes(expected[String(i.args[0])]!));
      check(wrong === undefined, {
        expected: `fn called only for the calls whose invocation started before the abort (${what})`,
        received: describeInvocations(invocations),
        hint: 'with before: true only the first call of a burst calls fn; in trailing mode only the last one, when the timer fires',
      });
    }

    // Two debounced functions on one signal: each keeps its own listener and its own waiting callers.
    const shared = new AbortController();
    const first = recorder(() => 'first value');
    const second = recorder(() => 'second value');
    const debouncedFirst = debounceAsync(first.fn, 10, { signal: shared.signal });
    const debouncedSecond = debounceAsync(second.fn, 10, { signal: shared.signal });
    const fromFirst = track(debouncedFirst('x'));
    await advance(5);
    const fromSecond = track(debouncedSecond('y'));
    await advance(7); // 12 ms: the first one's fn ran at 10 ms, the second one still waits (until 15 ms)
    shared.abort(new Error('one signal, two debounced functions'));
    await drain();
    const sharedLeft = abortListeners(shared.signal);
    await advance(50);
    expectValue(fromFirst, 'first value', 'the caller of the first debounced function, whose fn ran before the abort');
    check(fromSecond.outcome.state === 'rejected' && fromSecond.outcome.reason === shared.signal.reason, {
      expected: 'the caller of the second debounced function (same signal), still waiting at the abort, to reject with signal.reason',
      received: describeOutcome(fromSecond.outcome),
      hint: "each debounced function has its own abort listener: when the first one's fn is invoked, remove only its own listener (a listener function created inside debounceAsync, not one shared between debounced functions)",
    });
    check(second.invocations.length === 0 && sharedLeft === 0, {
      expected: 'the second fn never called, and no abort listener left right after the abort (two debounced functions on one signal)',
      received: `${describeInvocations(second.invocations)}; ${sharedLeft} abort listener(s) left right after the abort`,
      hint: 'the abort listener of each debounced function is its own, removed when its burst is invoked or aborted',
    });
  }, { points: 2 });

  behaviour('removes its abort listener once nothing is waiting: no listener leak across many bursts', async () => {
    for (const [seed, before] of [[71, false], [72, true]] as const) {
      const mode = before ? 'before: true' : 'trailing';
      const random = seededRandom(seed);
      const controller = new AbortController();
      const wait = randomInt(random, 3, 20);
      const { fn } = recorder(({ args }) => args[0]);
      const debounced = debounceAsync(fn, wait, { before, signal: controller.signal });
      const callers: Tracked<unknown>[] = [];
      const BURSTS = 40;
      for (let burst = 1; burst <= BURSTS; burst++) {
        const calls = randomInt(random, 1, 6);
        for (let call = 0; call < calls; call++) {
          if (call > 0) await advance(randomInt(random, 0, wait - 1));
          callers.push(track(debounced(callers.length)));
        }
        await advance(wait + randomInt(random, 0, wait));
        const left = abortListeners(controller.signal);
        check(left === 0, {
          expected: `no abort listener left on the signal once burst ${burst} of ${BURSTS} was over and nothing was waiting (${mode}, wait ${wait} ms)`,
          received: `${left} abort listener(s) still on the signal${burst > 1 ? ', and the count grows with every burst' : ''}`,
          hint: 'add one listener when a burst starts waiting and remove it (removeEventListener with the same function) as soon as fn is invoked or the signal aborts; `{ once: true }` alone only removes it if the signal does abort',
        });
      }
      expectAllSettled(callers, `of ${BURSTS} bursts (${mode})`);
    }
    // Right after an abort nothing waits, so no listener is left; calls made after it must not add any.
    for (const before of [false, true]) {
      const mode = before ? 'before: true, aborted while the leading invocation runs' : 'trailing, aborted while callers wait';
      const controller = new AbortController();
      const debounced = debounceAsync(() => later(5, 'x'), 10, { before, signal: controller.signal });
      const callers = [track(debounced())];
      await advance(2);
      callers.push(track(debounced()));
      await advance(1);
      controller.abort();
      await drain();
      const afterAbort = abortListeners(controller.signal);
      check(afterAbort === 0, {
        expected: `no abort listener left on the signal right after it aborted (${mode})`,
        received: `${afterAbort} abort listener(s) still on the signal`,
        hint: 'once the signal has aborted nothing waits for it any more: add the listener with { once: true }, or remove it (removeEventListener) in the abort handler itself',
      });
      for (let i = 0; i < 20; i++) callers.push(track(debounced()));
      await advance(20);
      expectAllSettled(callers, `made around an abort (${mode})`);
      check(abortListeners(controller.signal) === 0, {
        expected: `no abort listener added by the 20 calls made after the signal aborted (${mode})`,
        received: `${abortListeners(controller.signal)} listener(s) on the signal`,
        hint: 'check signal.aborted first and return Promise.reject(signal.reason) before touching the signal: an aborted signal never fires again, so those listeners are never removed',
      });
    }
  }, { points: 2 });

  behaviour('removes its abort listener when fn is invoked, not when fn settles: a fn that never settles leaves no listener', async () => {
    // One burst only: with a second burst the next invocation may legitimately wait for the running one
    // (overlap is left open), and a burst waiting for its turn still keeps the listener.
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      const controller = new AbortController();
      const neverSettles = gate<string>();
      const { fn, invocations } = recorder(() => neverSettles.promise);
      const debounced = debounceAsync(fn, 10, { before, signal: controller.signal });
      track(debounced('a'));
      await advance(4);
      track(debounced('b'));
      await advance(before ? 60 : 10); // trailing: fn("b") invoked at 14 ms; before: true: the burst is over
      check(invocations.length === 1, {
        expected: `fn called once for calls at 0 and 4 ms (wait 10 ms, ${mode})`,
        received: describeInvocations(invocations),
      });
      const atInvocation = abortListeners(controller.signal);
      await advance(500);
      const longAfter = abortListeners(controller.signal);
      check(atInvocation === 0 && longAfter === 0, {
        expected: before
          ? 'no abort listener left on the signal once the burst is over, while its fn is still running (and never settles)'
          : 'no abort listener left on the signal once fn has been invoked for the only burst: its callers no longer wait for an invocation to start, even though fn is still running (and never settles)',
        received: `${atInvocation} abort listener(s) on the signal ${before ? 'once the burst was over' : 'right after fn was invoked'}, ${longAfter} half a second later`,
        hint: 'remove the listener (removeEventListener) when fn is invoked, not when its promise settles: a fn that never settles would keep it on the signal forever, and an abort can no longer reject these callers anyway',
      });
    }
  });
});

// ---------------------------------------------------------------------------
// Seeded random bursts: whatever the learner's burst looks like, every caller's
// promise settles, with the outcome of its own burst's invocation.

type OutcomeKind = 'value' | 'promise' | 'reject' | 'throw';

interface BurstPlan {
  /** Gap in ms before each call; the first gap of every burst but the first is at least `wait`. */
  gaps: number[];
  kind: OutcomeKind;
  /** How long fn takes for 'promise' and 'reject' (may exceed `wait`: invocations may overlap). */
  duration: number;
}

interface Plan {
  wait: number;
  before: boolean;
  bursts: BurstPlan[];
  /** When the signal aborts (ms after the first call), for the abort runs. */
  abortAt?: number;
  abortReason?: unknown;
}

const KINDS: OutcomeKind[] = ['value', 'promise', 'promise', 'reject', 'throw'];

function makePlan(seed: number, withAbort: boolean): Plan {
  const random = seededRandom(seed);
  const wait = randomInt(random, 2, 30);
  const before = random() < 0.5;
  const bursts: BurstPlan[] = Array.from({ length: randomInt(random, 1, 6) }, (_, b) => {
    const calls = randomInt(random, 1, 6);
    const gaps = Array.from({ length: calls }, (_, c) =>
      c > 0 ? randomInt(random, 0, wait - 1) : b === 0 ? 0 : randomInt(random, wait, 3 * wait),
    );
    return { gaps, kind: KINDS[randomInt(random, 0, KINDS.length - 1)]!, duration: randomInt(random, 0, 2 * wait) };
  });
  const plan: Plan = { wait, before, bursts };
  if (withAbort) {
    const total = bursts.flatMap((b) => b.gaps).reduce((sum, gap) => sum + gap, 0);
    plan.abortAt = randomInt(random, 0, total + wait);
    const pick = randomInt(random, 0, 2);
    plan.abortReason = pick === 0 ? new Error(`aborted (seed ${seed})`) : pick === 1 ? `stop ${seed}` : undefined;
  }
  return plan;
}

interface Call {
  burst: number;
  at: number;
  thisArg: object;
  afterAbort: boolean;
  caller: Tracked<unknown>;
}

function describePlan(plan: Plan, calls: Call[]): string {
  const bursts = plan.bursts.map((_, b) => calls.filter((c) => c.burst === b).map((c) => c.at).join(', '));
  const abort = plan.abortAt === undefined ? '' : `; the signal aborts at ${plan.abortAt} ms`;
  return `wait ${plan.wait} ms${plan.before ? ', before: true' : ''}; calls at ${bursts.join(' | ')} ms (| separates bursts)${abort}`;
}

/** Plays a plan on the fake clock; fails with a learner-facing message at the first thing that is wrong. */
async function playPlan(plan: Plan): Promise<void> {
  const errors = plan.bursts.map((_, b) => new Error(`burst ${b + 1} failed`));
  const calls: Call[] = [];
  const origin = fakeNow();
  let aborted = false;
  const invocations: Array<{ call: number; thisArg: unknown; at: number; afterAbort: boolean }> = [];
  const valueOf = (call: number): string => `burst ${calls[call]!.burst + 1}, call ${call + 1}`;
  const fn = function (this: unknown, call: number): unknown {
    invocations.push({ call, thisArg: this, at: fakeNow() - origin, afterAbort: aborted });
    const burst = calls[call]?.burst;
    if (burst === undefined) return 'unknown call';
    const { kind, duration } = plan.bursts[burst]!;
    if (kind === 'value') return valueOf(call);
    if (kind === 'throw') throw errors[burst];
    if (kind === 'promise') return later(duration, valueOf(call));
    return failLater(duration, errors[burst]);
  };
  const controller = new AbortController();
  const debounced = debounceAsync(fn, plan.wait, { before: plan.before, signal: controller.signal });
  const doAbort = (): void => {
    aborted = true;
    if (plan.abortReason === undefined) controller.abort();
    else controller.abort(plan.abortReason);
  };
  const context = (): string => describePlan(plan, calls);
  const move = async (ms: number): Promise<void> => {
    try {
      await advance(ms);
    } catch (error) {
      fail({
        expected: `every throw from fn to reject that burst's callers (${context()})`,
        received: `${show(error)} escaped from your timer callback (an uncaught exception: it would crash a Node process)`,
        hint: 'call fn inside try/catch, or inside new Promise(...) or an async function, so that a throw becomes a rejection',
      });
    }
  };

  let now = 0;
  for (const [b, burst] of plan.bursts.entries()) {
    for (const gap of burst.gaps) {
      const at = now + gap;
      if (plan.abortAt !== undefined && !aborted && plan.abortAt < at) {
        await move(plan.abortAt - now);
        now = plan.abortAt;
        doAbort();
      }
      await move(at - now);
      now = at;
      const index = calls.length;
      // Recorded before the call: with before: true, fn runs inside it.
      const last: Call = { burst: b, at, thisArg: { call: index }, afterAbort: aborted, caller: track(undefined) };
      calls.push(last);
      const call = attempt(() => debounced.call(last.thisArg, index));
      if (call.threw) {
        fail({
          expected: `the debounced function to return a promise at every call (${context()})`,
          received: `call ${index + 1} threw ${show(call.error)}`,
          hint: 'a throw from fn, or an aborted signal, must become a rejected promise',
        });
      }
      last.caller = track(call.value);
      if (aborted) {
        await drain();
        check(last.caller.outcome.state === 'rejected' && last.caller.outcome.reason === controller.signal.reason, {
          expected: `call ${calls.length}, made after the abort, to reject at once with signal.reason (${context()})`,
          received: describeOutcome(last.caller.outcome),
          hint: 'check signal.aborted at the start of every call',
        });
      }
    }
  }
  if (plan.abortAt !== undefined && !aborted) {
    await move(plan.abortAt - now);
    doAbort();
  }
  await move(20_000);

  const pending = calls.flatMap((c, i) => (c.caller.outcome.state === 'pending' ? [i + 1] : []));
  if (pending.length > 0) {
    fail({
      expected: `every caller's promise to settle (${context()})`,
      received: `call${pending.length > 1 ? 's' : ''} ${pending.join(', ')} of ${calls.length} still pending after every timer had run: they will never settle`,
      hint: 'every call must end in fn\'s outcome or in the abort: keep all the callers of a burst, settle all of them, and start each burst with fresh state',
    });
  }
  const late = invocations.find((i) => i.afterAbort);
  check(late === undefined, {
    expected: `fn never called after the signal aborted (${context()})`,
    received: `fn was called with the arguments of call ${(late?.call ?? 0) + 1} at ${late?.at} ms`,
    hint: 'clear the timer when the signal aborts, and reject calls made after it without calling fn',
  });

  for (const [b, burst] of plan.bursts.entries()) {
    // A call made after the abort is not part of any invocation.
    const members = calls.flatMap((c, i) => (c.burst === b && !c.afterAbort ? [i] : []));
    if (members.length === 0) continue;
    const key = plan.before ? members[0]! : members[members.length - 1]!;
    const ofBurst = invocations.filter((i) => calls[i.call]?.burst === b);
    const which = plan.before ? 'first' : 'last';
    const stray = ofBurst.find((i) => i.call !== key);
    if (stray) {
      fail({
        expected: `fn called for burst ${b + 1} with the arguments of call ${key + 1}, the ${which} call of that burst (${context()})`,
        received: `fn was called with the arguments of call ${stray.call + 1} at ${stray.at} ms`,
        hint: plan.before
          ? 'with before: true only the first call of a burst calls fn; the calls after it share that invocation'
          : 'only the last call of a burst counts: every call replaces the remembered arguments and restarts the timer',
      });
    }
    check(ofBurst.length <= 1, {
      expected: `fn called once for burst ${b + 1} (${context()})`,
      received: `fn was called ${ofBurst.length} times for it, at ${ofBurst.map((i) => i.at).join(', ')} ms`,
      hint: 'one burst, one invocation: clear the previous timer on every call',
    });
    const invocation = ofBurst[0];
    if (invocation === undefined) {
      check(plan.abortAt !== undefined, {
        expected: `fn called for burst ${b + 1}, with the arguments of call ${key + 1} (${context()})`,
        received: 'fn was never called for that burst',
      });
      // The abort came before this burst's invocation started: all its callers get the reason.
      for (const i of members) {
        const outcome = calls[i]!.caller.outcome;
        check(outcome.state === 'rejected' && outcome.reason === controller.signal.reason, {
          expected: `call ${i + 1}, still waiting when the signal aborted, to reject with signal.reason (${context()})`,
          received: describeOutcome(outcome),
          hint: 'the abort rejects every caller whose invocation has not started, with signal.reason itself',
        });
      }
      continue;
    }
    check(invocation.thisArg === calls[key]!.thisArg, {
      expected: `fn called for burst ${b + 1} with \`this\` of call ${key + 1} (${context()})`,
      received: `this was ${show(invocation.thisArg)}`,
      hint: 'call fn.apply(thisArg, args) with the `this` of the same call whose arguments you use',
    });
    if (!plan.before) {
      const earliest = calls[key]!.at + plan.wait;
      check(invocation.at >= earliest, {
        expected: `fn called for burst ${b + 1} no earlier than ${earliest} ms (${context()})`,
        received: `it was called at ${invocation.at} ms`,
      });
    }
    const failed = burst.kind === 'reject' || burst.kind === 'throw';
    for (const i of members) {
      const { outcome } = calls[i]!.caller;
      // Left open: with before: true, what the callers after the first get when the leading invocation fails.
      if (failed && plan.before && i !== key) continue;
      const what = `call ${i + 1} (burst ${b + 1}: ${burst.kind === 'throw' ? 'fn throws' : burst.kind === 'reject' ? `fn rejects after ${burst.duration} ms` : `fn resolves${burst.kind === 'promise' ? ` after ${burst.duration} ms` : ' with a plain value'}`})`;
      if (failed) {
        check(outcome.state === 'rejected' && outcome.reason === errors[b], {
          expected: `${what} to reject with ${show(errors[b])}, the same object (${context()})`,
          received: describeOutcome(outcome),
          hint: "every caller of a burst gets that burst's invocation's outcome, nothing else",
        });
      } else {
        check(outcome.state === 'fulfilled' && outcome.value === valueOf(key), {
          expected: `${what} to resolve with ${show(valueOf(key))} (${context()})`,
          received: describeOutcome(outcome),
          hint: "every caller of a burst gets that burst's invocation's outcome: not an earlier or later burst's, not a made-up error",
        });
      }
    }
  }
}

const SEEDS = Array.from({ length: 24 }, (_, i) => 2000 + i);

// ---------------------------------------------------------------------------
// A long seeded run: hundreds of bursts, hundreds of calls, one debounced function.

interface LongRun {
  wait: number;
  calls: number;
  bursts: number;
}

/**
 * Plays `CALLS` calls in seeded bursts on one debounced function (fn sometimes slow, sometimes
 * rejecting), then a last burst of 100 calls that the signal aborts; fails at the first caller that
 * got something else than its own burst's outcome, and at any invocation lost, repeated or out of order.
 */
async function playLongRun(seed: number, before: boolean): Promise<LongRun> {
  const CALLS = 600;
  const mode = before ? 'before: true' : 'trailing';
  const random = seededRandom(seed);
  const wait = randomInt(random, 5, 20);
  const burstOf: number[] = []; // call index -> its burst
  const keys: number[] = []; // burst -> the call whose arguments fn must get
  const outcomes: Array<{ fails: boolean; duration: number; error: Error }> = [];
  const started: number[] = []; // the call indexes fn was called with, in order
  const fn = (index: number): unknown => {
    started.push(index);
    const burst = burstOf[index];
    if (burst === undefined) return 'unknown call';
    const { fails, duration, error } = outcomes[burst]!;
    if (duration < 0) {
      if (fails) throw error;
      return `value of call ${index}`;
    }
    return fails ? failLater(duration, error) : later(duration, `value of call ${index}`);
  };
  const controller = new AbortController();
  const debounced = debounceAsync(fn, wait, { before, signal: controller.signal });
  const callers: Tracked<unknown>[] = [];
  const call = (index: number): void => {
    const made = attempt(() => debounced(index));
    if (made.threw) {
      fail({
        expected: `the debounced function to return a promise at every call (${mode}, wait ${wait} ms)`,
        received: `call ${index + 1} threw ${show(made.error)}`,
        hint: 'a rejection of fn or an abort must become a rejected promise, never a throw',
      });
    }
    callers.push(track(made.value));
  };

  let burst = -1;
  for (let index = 0; index < CALLS; index++) {
    if (index === 0 || random() < 0.3) {
      if (index > 0) await advance(randomInt(random, wait, 2 * wait));
      burst++;
      // fn answers (or throws) at once (-1), or settles after up to 2 * wait ms (invocations may overlap: left open).
      outcomes.push({ fails: random() < 0.15, duration: randomInt(random, -1, 2 * wait), error: new Error(`burst ${burst + 1} failed`) });
      keys.push(index);
    } else if (random() < 0.5) {
      await advance(randomInt(random, 1, wait - 1));
    }
    burstOf[index] = burst;
    if (!before) keys[burst] = index;
    call(index);
  }
  const bursts = burst + 1;
  await advance(100 * wait + bursts * 2 * wait); // every invocation is over, even one after another

  const context = `${mode}, wait ${wait} ms, ${CALLS} calls in ${bursts} bursts, seed ${seed}`;
  const pending = pendingCallers(callers);
  if (pending !== undefined) {
    fail({
      expected: `every one of the ${CALLS} callers to settle (${context})`,
      received: `${pending.length > 200 ? `${pending.slice(0, 200)}…` : pending} still pending after every timer had run: they will never settle`,
      hint: "keep every caller of every burst until its invocation settles, and start each burst with fresh state",
    });
  }
  // fn must have been called once per burst, in burst order, with the burst's key call.
  const which = before ? 'first' : 'last';
  for (let b = 0; b < Math.max(bursts, started.length); b++) {
    const got = started[b];
    if (got === keys[b]) continue;
    const lost = b < bursts && !started.includes(keys[b]!);
    const repeated = got !== undefined && started.indexOf(got) !== b;
    fail({
      expected: `fn called ${bursts} times, once per burst and in order, each time with the ${which} call of its burst (${context})`,
      received:
        got === undefined
          ? `fn was called only ${started.length} times: no invocation for burst ${b + 1} (call ${keys[b]! + 1} was its ${which} call)`
          : repeated
            ? `invocation ${b + 1} repeated the arguments of call ${got + 1}, already used by invocation ${started.indexOf(got) + 1}`
            : b >= bursts
              ? `fn was called ${started.length} times: invocation ${b + 1} (call ${got + 1}) is one too many`
              : `invocation ${b + 1} used call ${got + 1} (burst ${burstOf[got]! + 1})${lost ? `, and burst ${b + 1}'s ${which} call (call ${keys[b]! + 1}) never reached fn` : `, where call ${keys[b]! + 1} was expected`}`,
      hint: before
        ? 'with before: true, the first call of a burst (no call in the last `wait` ms) calls fn and every other call shares its promise; forget the burst only when its timer fires'
        : 'each burst calls fn once, with its last call, when `wait` ms pass with no call; hand the burst over when fn is invoked so the next call starts a fresh one',
    });
  }
  for (const [index, caller] of callers.entries()) {
    const b = burstOf[index]!;
    const { fails, error } = outcomes[b]!;
    // Left open: with before: true, what the later callers of a burst get when its invocation rejects.
    if (fails && before && index !== keys[b]) continue;
    const what = `call ${index + 1} (burst ${b + 1}, ${fails ? 'fn fails' : 'fn succeeds'}; ${context})`;
    const { outcome } = caller;
    if (fails) {
      check(outcome.state === 'rejected' && outcome.reason === error, {
        expected: `${what} to reject with ${show(error)}, the same object`,
        received: describeOutcome(outcome),
        hint: "every caller of a burst gets that burst's invocation's outcome, and only that",
      });
    } else {
      const value = `value of call ${keys[b]!}`;
      check(outcome.state === 'fulfilled' && outcome.value === value, {
        expected: `${what} to resolve with ${show(value)}`,
        received: describeOutcome(outcome),
        hint: "every caller of a burst gets that burst's invocation's outcome: not an earlier or later burst's",
      });
    }
  }

  // A last burst of 100 calls 0 ms apart, and the signal aborts 1 ms after it.
  const lastBurst = callers.length;
  burst++;
  outcomes.push({ fails: false, duration: 2 * wait, error: new Error('unused') });
  keys.push(lastBurst);
  for (let index = lastBurst; index < lastBurst + 100; index++) {
    burstOf[index] = burst;
    call(index);
  }
  await advance(1);
  controller.abort(new Error(`aborted after ${CALLS} calls`));
  await advance(100 * wait);
  const last = callers.slice(lastBurst);
  expectAllSettled(last, `of the last burst, aborted 1 ms after its 100 calls (${context})`);
  last.forEach((caller, i) => {
    const { outcome } = caller;
    if (before) {
      check(outcome.state === 'fulfilled' && outcome.value === `value of call ${lastBurst}`, {
        expected: `call ${i + 1} of the last burst to resolve with ${show(`value of call ${lastBurst}`)}: its leading invocation started before the abort (${context})`,
        received: describeOutcome(outcome),
        hint: 'with before: true the callers of a burst share an invocation that has started: the abort does not reject them',
      });
    } else {
      check(outcome.state === 'rejected' && outcome.reason === controller.signal.reason, {
        expected: `call ${i + 1} of the last burst, still waiting when the signal aborted, to reject with signal.reason (${context})`,
        received: describeOutcome(outcome),
        hint: 'the abort rejects every waiting caller of the burst, however many there are',
      });
    }
  });
  const extra = started.length - bursts - (before ? 1 : 0);
  check(extra === 0, {
    expected: `fn called ${before ? 'once for the aborted last burst (with its first call), and no other time' : 'no more after the abort: the last burst was still waiting'} (${context})`,
    received: `fn was called ${started.length - bursts} time(s) for the last burst`,
    hint: before ? 'only the first call of a burst calls fn' : 'clear the timer when the signal aborts',
  });
  const left = abortListeners(controller.signal);
  check(left === 0, {
    expected: `no abort listener left on the signal after ${bursts + 1} bursts and an abort (${context})`,
    received: `${left} abort listener(s) still on the signal`,
    hint: 'one listener while a burst waits, removed when fn is invoked or the signal aborts',
  });
  return { wait, calls: callers.length, bursts: bursts + 1 };
}

task('every promise settles', () => {
  behaviour("whatever the bursts look like, every caller settles with its own burst's outcome (seeded random bursts)", async () => {
    for (const seed of SEEDS) await playPlan(makePlan(seed, false));
  }, { points: 2 });

  behaviour('whatever the bursts look like, an abort at any moment settles every caller (seeded random bursts)', async () => {
    for (const seed of SEEDS) await playPlan(makePlan(seed, true));
  }, { points: 2 });

  behaviour("hundreds of bursts on one debounced function: every caller gets its own burst's outcome, nothing lost, repeated or out of order (seeded)", async () => {
    await playLongRun(3001, false);
    await playLongRun(3002, true);
  }, { points: 2 });

  behaviour("a result or rejection of undefined, null, 0, false or '' is passed on like any other, in both modes", async () => {
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      for (const value of [undefined, null, 0, false, '']) {
        for (const how of ['returns', 'resolves with', 'rejects with'] as const) {
          const { fn, invocations } = recorder(() => (how === 'returns' ? value : how === 'resolves with' ? later(2, value) : failLater(2, value)));
          const debounced = debounceAsync(fn, 10, { before });
          // Calls at 0 and 5 ms: one burst. With before: true, fn has already settled at 2 ms when the second call comes.
          const callers = [track(debounced('first'))];
          await advance(5);
          callers.push(track(debounced('second')));
          await advance(50);
          const what = `fn ${how} ${show(value)}, ${mode}`;
          expectAllSettled(callers, `of a burst where ${what}`);
          check(invocations.length === 1, {
            expected: `fn called once for a burst of 2 calls 5 ms apart (wait 10 ms; ${what})`,
            received: describeInvocations(invocations),
            hint: before
              ? 'keep the leading promise itself to know that the burst has its invocation: a test like `if (!result)` or `result === undefined` takes a falsy result for no result, and calls fn again'
              : 'one burst, one invocation, whatever fn answers',
          });
          const hint = 'a falsy value is still a value: test whether fn has settled with a flag or by keeping its promise, never with `if (result)` or `??`';
          if (how === 'rejects with') {
            // Left open: with before: true, what the later callers get when the leading invocation rejects.
            const checked = before ? callers.slice(0, 1) : callers;
            checked.forEach((caller, i) => expectRejection(caller, value, `caller ${i + 1} of 2 (${what})`, hint));
          } else {
            callers.forEach((caller, i) => expectValue(caller, value, `caller ${i + 1} of 2 (${what})`, hint));
          }
        }
      }
    }
  });
});

task('wait and options', () => {
  behaviour('throws a TypeError at once for a wait that is NaN, ±Infinity or not a number', () => {
    for (const value of [NaN, Infinity, -Infinity, '10', undefined, null, {}]) {
      const result = attempt(() => debounceAsync(() => 1, value as number));
      check(result.threw && result.error instanceof TypeError, {
        expected: `debounceAsync(fn, ${show(value)}) to throw a TypeError`,
        received: result.threw ? `it threw ${show(result.error)}` : 'it returned a debounced function',
        hint: 'Number.isFinite(wait) is false for NaN, ±Infinity and anything that is not a number (it does not convert strings)',
      });
    }
    for (const value of [0, 10, 2.5, -5]) {
      const result = attempt(() => debounceAsync(() => 1, value));
      check(!result.threw && typeof result.value === 'function', {
        expected: `debounceAsync(fn, ${show(value)}) to return a debounced function`,
        received: result.threw ? `it threw ${show(result.error)}` : `it returned ${show(result.value)}`,
        hint: 'any finite number is a valid wait; a negative one behaves as 0',
      });
    }
  });

  behaviour('a negative wait behaves as 0', async () => {
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      const { fn, invocations } = recorder(({ args }) => args[0]);
      const debounced = debounceAsync(fn, -50, { before });
      const first = track(debounced('first'));
      await advance(1);
      const second = track(debounced('second'));
      await advance(1);
      check(invocations.length === 2, {
        expected: `with wait -50 (${mode}), calls 1 ms apart each to call fn within 1 ms, as with wait 0`,
        received: describeInvocations(invocations),
        hint: 'treat a negative wait as 0 (Math.max(0, wait)), not as its absolute value',
      });
      expectValue(first, 'first', `the first call (wait -50, ${mode})`);
      expectValue(second, 'second', `the second call (wait -50, ${mode})`);
    }
  });

  behaviour('never changes the options or arguments it is given, and one options object serves many debounced functions', async () => {
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      const controller = new AbortController();
      // Without `before` when it is the default: code that fills in defaults would have to write to it.
      const options: Contract.DebounceOptions = Object.freeze(before ? { before: true, signal: controller.signal } : { signal: controller.signal });
      const snapshot = show(options);
      const left = recorder(() => 'left');
      const right = recorder(() => 'right');
      const made = attempt(() => [debounceAsync(left.fn, 10, options), debounceAsync(right.fn, 10, options)]);
      if (made.threw) {
        fail({
          expected: `debounceAsync to accept a frozen options object (${mode})`,
          received: `it threw ${show(made.error)}`,
          hint: 'read the options; never assign to them (no options.before ??= false): use a local variable for defaults',
        });
      }
      const [a, b] = made.value as [(...args: unknown[]) => Promise<unknown>, (...args: unknown[]) => Promise<unknown>];
      const args = Object.freeze({ frozen: true });
      const fromA = track(a(args));
      await advance(3);
      const fromB = track(b('y'));
      await advance(30);
      check(show(options) === snapshot, {
        expected: `the options object unchanged: ${snapshot}`,
        received: show(options),
      });
      check(left.invocations.length === 1 && right.invocations.length === 1, {
        expected: `two debounced functions made with the same options to each call their own fn once (${mode})`,
        received: `the first: ${describeInvocations(left.invocations)}; the second: ${describeInvocations(right.invocations)}`,
        hint: 'keep the timer and the waiting callers inside debounceAsync (one set per debounced function), not in module-level variables',
      });
      check(left.invocations[0]!.args[0] === args, {
        expected: 'fn called with the very argument object passed to the debounced function',
        received: `fn was called with ${show(left.invocations[0]!.args)}`,
      });
      expectValue(fromA, 'left', `the first debounced function's caller (${mode})`);
      expectValue(fromB, 'right', `the second debounced function's caller (${mode})`);
    }

    // An abort changes nothing either: not the options (not frozen here), not the argument objects fn got.
    for (const before of [false, true]) {
      const mode = before ? 'before: true' : 'trailing';
      const controller = new AbortController();
      const options: Contract.DebounceOptions = before ? { before: true, signal: controller.signal } : { signal: controller.signal };
      const keys = Object.keys(options).join(', ');
      const { fn, invocations } = recorder();
      const debounced = debounceAsync(fn, 10, options);
      const argument = { id: 1 };
      const list = [1, 2];
      const invoked = track(debounced(argument, list));
      await advance(10); // fn has been called with (argument, list)
      const waiting = track(debounced('waiting'));
      controller.abort(new Error('aborted'));
      await advance(20);
      expectAllSettled([invoked, waiting], `made before and around the abort (${mode})`);
      check(invocations[0]?.args[0] === argument, {
        expected: `fn called with the very argument object passed to the debounced function (${mode})`,
        received: describeInvocations(invocations),
      });
      const changed = [['the object { id: 1 }', argument], ['the array [1, 2]', list]].find(
        ([, value]) => Object.isFrozen(value) || !Object.isExtensible(value) || show(value) !== (value === list ? '[ 1, 2 ]' : '{ id: 1 }'),
      );
      check(changed === undefined, {
        expected: `the caller's arguments left as they were after fn was called with them (${mode})`,
        received: `${changed?.[0]} is now ${Object.isFrozen(changed?.[1]) ? 'frozen' : !Object.isExtensible(changed?.[1]) ? 'no longer extensible' : show(changed?.[1])}`,
        hint: 'the arguments belong to the caller: pass them to fn as they are, never freeze, seal or change them',
      });
      const nowKeys = Object.keys(options).join(', ');
      check(nowKeys === keys && options.signal === controller.signal && options.before === (before ? true : undefined), {
        expected: `the options object unchanged by the abort: still { ${keys} }, with the same signal (${mode})`,
        received: `it is now ${nowKeys === '' ? 'empty' : `{ ${nowKeys} }`}${'signal' in options && options.signal !== controller.signal ? `, with signal ${show(options.signal)}` : ''}`,
        hint: 'the options belong to the caller: when the signal aborts, forget it in a variable of your own (or check signal.aborted), never delete or reassign options.signal',
      });
      // The caller may reuse the options object: a debounced function made from it afterwards sees the aborted signal.
      const again = debounceAsync(fn, 10, options);
      const late = track(again('late'));
      await advance(20);
      check(late.outcome.state === 'rejected' && late.outcome.reason === controller.signal.reason && !invocations.some((i) => i.args[0] === 'late'), {
        expected: `a debounced function made afterwards from the same options object to reject at once with signal.reason, and never call fn (${mode})`,
        received: `${describeOutcome(late.outcome)}; ${describeInvocations(invocations)}`,
        hint: 'leave the options object as the caller gave it: the same options must give every debounced function the same behaviour',
      });
    }
  });
});
