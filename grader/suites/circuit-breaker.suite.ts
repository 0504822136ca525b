/**
 * Hidden suite — circuit-breaker (contract: ../shared/spec/circuit-breaker.md).
 *
 * Every behaviour runs on a fake clock (Date included) and observes the
 * learner's code only after `drain()` (all microtasks run, no timer fired) or
 * after moving the clock, so nothing here depends on how many microtasks an
 * implementation takes.
 *
 * Half-open by timer or worked out from `Date.now()` when asked: both must
 * pass. So the suite never asks whether a timer is pending, and reads `state`
 * or calls `fire` only at moments where both agree: `resetTimeout` ms after
 * the circuit opened it is half-open, 1 ms before it is open. `onStateChange`
 * is checked as a sequence, after a read of `state` has given a lazy
 * implementation its chance to report the move to half-open.
 */
import type * as Contract from '@impl/04-circuit-breaker/circuit-breaker.ts';
import {
  advance,
  attempt,
  behaviour,
  check,
  drain,
  fail,
  fakeNow,
  gate,
  loadImplementation,
  randomInt,
  seededRandom,
  show,
  task,
  track,
  type Gate,
  type Tracked,
} from '@grader/harness';

const { CircuitBreaker, CircuitOpenError, TimeoutError } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/04-circuit-breaker/circuit-breaker.ts'),
  exports: { CircuitBreaker: 'function', CircuitOpenError: 'function', TimeoutError: 'function' },
});

type State = Contract.CircuitState;
type Options = Contract.CircuitBreakerOptions;

/** What one call of the action does: the suite hands it to `fire`, the action runs it. */
type Work = () => unknown;

/** A breaker around an action that runs whatever work it is given, counting calls and transitions. */
interface Rig {
  breaker: Contract.CircuitBreaker<[Work], unknown>;
  /** How many times the action has been called. */
  readonly calls: number;
  /** Every onStateChange call, as "from → to". */
  readonly transitions: string[];
}

/**
 * With `exact`, the options object (or its absence) goes to the constructor as it is, and
 * `transitions` stays empty; otherwise the rig adds its own onStateChange to a copy.
 */
function rig(options?: Options, { exact = false } = {}): Rig {
  let calls = 0;
  const transitions: string[] = [];
  const action = (work: Work): unknown => {
    calls++;
    return work();
  };
  const breaker = exact
    ? new CircuitBreaker<[Work], unknown>(action, options)
    : new CircuitBreaker<[Work], unknown>(action, {
        onStateChange: (to: State, from: State) => transitions.push(`${from} → ${to}`),
        ...options,
      });
  return {
    breaker,
    get calls() {
      return calls;
    },
    transitions,
  };
}

const succeed = (value: unknown = 'ok'): Work => () => Promise.resolve(value);
const rejectWith = (error: unknown): Work => () => Promise.reject(error);
const throwing = (error: unknown): Work => () => {
  throw error;
};
/** Work that stays pending until the suite settles its gate. */
function held(): { work: Work; gate: Gate<unknown> } {
  const g = gate<unknown>();
  return { work: () => g.promise, gate: g };
}

/** `breaker.fire(work)`, watched; a synchronous throw or a non-promise is the learner's bug, said plainly. */
function fire(r: Rig, work: Work, what: string): Tracked<unknown> {
  const call = attempt(() => r.breaker.fire(work));
  if (call.threw) {
    fail({
      expected: `${what}: fire() to return a promise`,
      received: `fire() itself threw ${show(call.error)}`,
      hint: 'fire never throws: a refusal, a synchronous throw from the action or a timeout all become a rejection of the promise fire returns',
    });
  }
  const tracked = track(call.value);
  if (!tracked.isPromise) {
    fail({ expected: `${what}: fire() to return a promise`, received: `it returned ${show(call.value)}` });
  }
  return tracked;
}

function readState(r: Rig): unknown {
  const read = attempt(() => r.breaker.state);
  if (read.threw) {
    fail({ expected: 'reading breaker.state to give the state', received: `it threw ${show(read.error)}` });
  }
  return read.value;
}

function expectState(r: Rig, expected: State, moment: string, hint?: string): void {
  const state = readState(r);
  check(state === expected, {
    expected: `state to be ${show(expected)} ${moment}`,
    received: show(state),
    hint: hint ?? 'the state changes: closed → open after failureThreshold failures in a row, open → half-open resetTimeout ms later, half-open → closed or open by the trial call',
  });
}

/** The outcome now, without waiting for any timer. */
function settledNow(tracked: Tracked<unknown>, what: string, hint: string) {
  const { outcome } = tracked;
  if (outcome.state === 'pending') {
    fail({ expected: `${what} to have settled by now (before any timer fires)`, received: 'it was still pending', hint });
  }
  return outcome as Exclude<typeof outcome, { state: 'pending' }>;
}

function valueNow(tracked: Tracked<unknown>, what: string): unknown {
  const outcome = settledNow(tracked, what, 'fire settles as soon as the action does');
  if (outcome.state === 'rejected') {
    if (outcome.reason instanceof Error && /not implemented/i.test(outcome.reason.message)) throw outcome.reason;
    fail({ expected: `${what} to resolve`, received: `it rejected with ${show(outcome.reason)}` });
  }
  return outcome.value;
}

function reasonNow(tracked: Tracked<unknown>, what: string): unknown {
  const outcome = settledNow(tracked, what, 'fire settles as soon as the action does');
  if (outcome.state === 'fulfilled') fail({ expected: `${what} to reject`, received: `it resolved with ${show(outcome.value)}` });
  if (outcome.reason instanceof Error && /not implemented/i.test(outcome.reason.message)) throw outcome.reason;
  return outcome.reason;
}

/** The rejection is that same object. */
function expectRejectedWith(tracked: Tracked<unknown>, error: unknown, what: string): void {
  const reason = reasonNow(tracked, what);
  check(reason === error, {
    expected: `${what} to reject with ${show(error)}, the very object the action used`,
    received: `it rejected with ${show(reason)}${reason instanceof Error && error instanceof Error ? ' (a different object)' : ''}`,
    hint: 'pass the action\'s error through untouched: no wrapping, no new Error(...), no fallback value',
  });
}

function describeError(reason: unknown): string {
  if (!(reason instanceof Error)) return show(reason);
  const code = (reason as { code?: unknown }).code;
  return `${show(reason)} (name ${show(reason.name)}, code ${show(code)})`;
}

/** Refused at once: a CircuitOpenError, and the action not called. */
function expectRefused(r: Rig, tracked: Tracked<unknown>, callsBefore: number, what: string): void {
  const outcome = settledNow(
    tracked,
    what,
    'while the circuit is open (or a half-open trial runs), fire rejects straight away: Promise.reject(new CircuitOpenError())',
  );
  if (outcome.state === 'fulfilled') {
    fail({ expected: `${what} to reject with a CircuitOpenError`, received: `it resolved with ${show(outcome.value)}` });
  }
  const reason = outcome.reason;
  if (reason instanceof Error && /not implemented/i.test(reason.message)) throw reason;
  check(reason instanceof CircuitOpenError && reason instanceof Error, {
    expected: `${what} to reject with a CircuitOpenError (the class your file exports)`,
    received: `it rejected with ${describeError(reason)}`,
    hint: 'reject with new CircuitOpenError(...): a class that extends Error',
  });
  const { name, code } = reason as Error & { code?: unknown };
  check(name === 'CircuitOpenError' && code === 'EOPENBREAKER', {
    expected: `the CircuitOpenError to have name "CircuitOpenError" and code "EOPENBREAKER"`,
    received: `name ${show(name)}, code ${show(code)}`,
    hint: 'give the class the fields the contract lists: readonly name = "CircuitOpenError", readonly code = "EOPENBREAKER"',
  });
  check(r.calls === callsBefore, {
    expected: `${what}: the action not to be called`,
    received: `the action was called ${r.calls - callsBefore} time(s)`,
    hint: 'a refused call never reaches the action: that is the point of an open circuit',
  });
}

/** Fire one call that must be refused at once (checked after the microtasks ran, before any timer). */
async function expectRefusedCall(r: Rig, what: string): Promise<void> {
  const before = r.calls;
  const tracked = fire(r, succeed(), what);
  await drain();
  expectRefused(r, tracked, before, what);
}

function expectTimedOut(tracked: Tracked<unknown>, what: string): void {
  const reason = reasonNow(tracked, what);
  check(reason instanceof TimeoutError && reason instanceof Error, {
    expected: `${what} to reject with a TimeoutError (the class your file exports)`,
    received: `it rejected with ${describeError(reason)}`,
    hint: 'when the timeout timer fires first, reject the caller with new TimeoutError(...)',
  });
  const { name, code } = reason as Error & { code?: unknown };
  check(name === 'TimeoutError' && code === 'ETIMEDOUT', {
    expected: 'the TimeoutError to have name "TimeoutError" and code "ETIMEDOUT"',
    received: `name ${show(name)}, code ${show(code)}`,
    hint: 'give the class the fields the contract lists: readonly name = "TimeoutError", readonly code = "ETIMEDOUT"',
  });
}

function expectTransitions(r: Rig, expected: string[], moment: string, hint?: string): void {
  check(show(r.transitions) === show(expected), {
    expected: `onStateChange calls ${show(expected)} ${moment}`,
    received: show(r.transitions),
    hint: hint ?? 'call onStateChange(to, from) exactly once for each real change of state, in the order they happen',
  });
}

/** Fail `count` calls in a row (rejections), one after the other. */
async function failTimes(r: Rig, count: number, what = 'a failing call'): Promise<void> {
  for (let i = 0; i < count; i++) {
    fire(r, rejectWith(new Error(`failure ${i + 1}`)), what);
    await drain();
  }
}

/** Open the circuit with `threshold` failures; the behaviour needs it open, so say so if it is not. */
async function openCircuit(r: Rig, threshold: number): Promise<void> {
  const results = Array.from({ length: threshold }, (_, i) => {
    const tracked = fire(r, rejectWith(new Error(`failure ${i + 1}`)), `failing call ${i + 1}`);
    return tracked;
  });
  await drain();
  results.forEach((t, i) => reasonNow(t, `failing call ${i + 1}`));
  expectState(r, 'open', `after ${threshold} failures in a row with failureThreshold ${threshold}`);
}

function expectThrowsOnConstruct(options: Options, what: string, hint: string): void {
  const result = attempt(() => new CircuitBreaker(() => 'x', options));
  check(result.threw && (result.error instanceof TypeError || result.error instanceof RangeError), {
    expected: `new CircuitBreaker(action, ${what}) to throw a TypeError or a RangeError`,
    received: result.threw ? `it threw ${show(result.error)}` : 'it returned a breaker',
    hint,
  });
}

function expectConstructs(options: Options, what: string): void {
  const result = attempt(() => new CircuitBreaker(() => 'x', options));
  check(!result.threw, {
    expected: `new CircuitBreaker(action, ${what}) to return a breaker (a valid option)`,
    received: `it threw ${result.threw ? show(result.error) : ''}`,
  });
}

/** For an option given as null: only a missing option (undefined) takes the default. */
const NULL_HINT = 'null is a value, and not a valid one (not a number, not false): only a missing option (undefined) takes the default. A destructuring default or a check for === undefined does that; ?? would also turn null into the default';

task('options', () => {
  behaviour('throws a TypeError or RangeError for a failureThreshold that is not an integer of at least 1', () => {
    for (const value of [0, -1, 1.5, NaN, Infinity, -Infinity, '3', true, null]) {
      expectThrowsOnConstruct({ failureThreshold: value as number }, `{ failureThreshold: ${show(value)} }`,
        value === null ? NULL_HINT : 'check in the constructor: typeof value === "number", Number.isInteger(value) and value >= 1');
    }
    for (const value of [1, 2, 10]) expectConstructs({ failureThreshold: value }, `{ failureThreshold: ${value} }`);
  });

  behaviour('throws a TypeError or RangeError for a resetTimeout that is negative or not a finite number', () => {
    for (const value of [-1, -0.5, NaN, Infinity, -Infinity, '100', false, null]) {
      expectThrowsOnConstruct({ resetTimeout: value as number }, `{ resetTimeout: ${show(value)} }`,
        value === null ? NULL_HINT : 'check in the constructor: typeof value === "number", Number.isFinite(value) and value >= 0 (0 is allowed)');
    }
    for (const value of [0, 1, 2.5, 60_000]) expectConstructs({ resetTimeout: value }, `{ resetTimeout: ${value} }`);
  });

  behaviour('throws a TypeError or RangeError for a timeout that is neither false nor a positive finite number', () => {
    for (const value of [0, -1, NaN, Infinity, true, '100', null]) {
      expectThrowsOnConstruct({ timeout: value as number }, `{ timeout: ${show(value)} }`,
        value === null ? NULL_HINT : 'timeout is either false (no timeout) or a number greater than 0 that Number.isFinite accepts');
    }
    for (const value of [false, 1, 2.5, 5_000] as const) expectConstructs({ timeout: value }, `{ timeout: ${show(value)} }`);
  });

  behaviour('uses the defaults: failureThreshold 5, resetTimeout 30 000 ms, no timeout', async () => {
    for (const [r, what] of [
      [rig(undefined, { exact: true }), 'no options'],
      [rig({}, { exact: true }), 'options {}'],
    ] as const) {
      await failTimes(r, 4);
      expectState(r, 'closed', `after 4 failures in a row with ${what} (the default failureThreshold is 5)`);
      await failTimes(r, 1);
      expectState(r, 'open', `after 5 failures in a row with ${what} (the default failureThreshold is 5)`);
      await advance(29_999);
      expectState(r, 'open', `29 999 ms after opening with ${what} (the default resetTimeout is 30 000 ms)`);
      await advance(1);
      expectState(r, 'half-open', `30 000 ms after opening with ${what} (the default resetTimeout is 30 000 ms)`);
    }
    const slow = rig();
    const result = fire(slow, () => new Promise((resolve) => setTimeout(() => resolve('after 10 minutes'), 600_000)), 'a call that takes 10 minutes');
    await advance(600_000);
    const value = valueNow(result, 'a call that takes 10 minutes, with no timeout option');
    check(value === 'after 10 minutes', {
      expected: 'a call that takes 10 minutes to resolve with its value: there is no timeout by default',
      received: show(value),
      hint: 'the default timeout is false: no timer at all',
    });
  });

  behaviour('never changes the options object, and one options object can serve many breakers', async () => {
    const errorFilter = (error: unknown) => error === 'caller';
    const options = { failureThreshold: 2, resetTimeout: 100, timeout: 50, errorFilter };
    const snapshot = { ...options };
    const frozen = Object.freeze({ failureThreshold: 2 });
    const made = attempt(() => [rig(options, { exact: true }), rig(options, { exact: true }), rig(frozen, { exact: true })]);
    if (made.threw) {
      fail({
        expected: 'new CircuitBreaker(action, options) to work with a frozen options object',
        received: `it threw ${show(made.error)}`,
        hint: 'read the options into your own fields (with defaults) instead of writing defaults into the caller\'s object',
      });
    }
    const [first, second, third] = made.value as Rig[];
    await openCircuit(first!, 2);
    expectState(second!, 'closed', 'on a second breaker made with the same options object, after the first one opened',
      'each breaker keeps its own state; nothing may be stored in the shared options object');
    const stillRuns = fire(second!, succeed('second breaker'), 'a call on the second breaker');
    await drain();
    check(valueNow(stillRuns, 'a call on the second breaker') === 'second breaker', {
      expected: 'the second breaker to run its call while the first is open',
      received: 'it did not resolve with the action\'s value',
    });
    await failTimes(second!, 1);
    expectState(second!, 'closed', 'after 1 failure on the second breaker (failureThreshold 2 from the shared options)');
    await failTimes(second!, 1);
    expectState(second!, 'open', 'after 2 failures on the second breaker (failureThreshold 2 from the shared options)');
    await openCircuit(third!, 2);
    const keys = Object.keys(options).sort().join(', ');
    const same = keys === Object.keys(snapshot).sort().join(', ') &&
      (Object.keys(snapshot) as (keyof typeof snapshot)[]).every((key) => options[key] === snapshot[key]);
    check(same, {
      expected: `the options object to be unchanged: ${show(snapshot)}`,
      received: show(options),
      hint: 'never assign to the caller\'s options object; copy what you need into the breaker',
    });
  });
});

task('closed', () => {
  behaviour('fire(...args) calls the action with those arguments and resolves with its result', async () => {
    const options = { retries: 3 };
    let seen: unknown[] | undefined;
    const breaker = new CircuitBreaker((a: number, b: string, c: object) => {
      seen = [a, b, c];
      return 'done';
    });
    const call = attempt(() => breaker.fire(1, 'two', options));
    if (call.threw) {
      fail({ expected: "breaker.fire(1, 'two', options) to return a promise", received: `it threw ${show(call.error)}` });
    }
    const result = track(call.value);
    check(result.isPromise, { expected: 'fire() to return a promise', received: `it returned ${show(call.value)}` });
    await drain();
    check(valueNow(result, "breaker.fire(1, 'two', options)") === 'done', {
      expected: "breaker.fire(1, 'two', options) to resolve with the action's return value 'done'",
      received: show(result.outcome),
    });
    check(seen !== undefined && seen.length === 3 && seen[0] === 1 && seen[1] === 'two' && seen[2] === options, {
      expected: "the action to be called with (1, 'two', options), the same options object",
      received: seen === undefined ? 'the action was never called' : `it was called with ${show(seen)}`,
      hint: 'collect the arguments with fire(...args) and call action(...args)',
    });
    // Exactly the caller's arguments: nothing added after them.
    let received: unknown[] | undefined;
    const exact = new CircuitBreaker((...args: number[]) => {
      received = args;
      return 'two args';
    });
    const twoArgs = track(exact.fire(1, 2));
    await drain();
    valueNow(twoArgs, 'breaker.fire(1, 2)');
    check(received !== undefined && received.length === 2 && received[0] === 1 && received[1] === 2, {
      expected: 'breaker.fire(1, 2) to call the action with exactly 2 arguments, (1, 2)',
      received: received === undefined ? 'the action was never called' : `it was called with ${received.length} arguments: ${show(received)}`,
      hint: 'pass the action exactly what the caller gave fire, with nothing added (no signal, no extra options)',
    });

    const r = rig();
    const cases: [Work, unknown, string][] = [
      [() => 42, 42, 'an action that returns 42'],
      [() => Promise.resolve('async value'), 'async value', 'an action that returns a promise'],
      [() => ({ then: (resolve: (v: string) => void) => resolve('thenable value') }), 'thenable value', 'an action that returns a thenable'],
    ];
    const results = cases.map(([work, , what]) => fire(r, work, what));
    await drain();
    cases.forEach(([, expected, what], i) => {
      const value = valueNow(results[i]!, `fire() with ${what}`);
      check(value === expected, { expected: `fire() with ${what} to resolve with ${show(expected)}`, received: show(value) });
    });
    // Calls are not limited while closed: three at once all run.
    const pending = [held(), held(), held()];
    const running = pending.map((p, i) => fire(r, p.work, `call ${i + 1} of 3 made together`));
    await drain();
    check(r.calls === 6, {
      expected: 'three calls made together while closed all to reach the action',
      received: `${r.calls - 3} of them did`,
      hint: 'a closed circuit does not queue or limit calls',
    });
    pending.forEach((p, i) => p.gate.resolve(`result ${i}`));
    await drain();
    running.forEach((t, i) => check(valueNow(t, `call ${i + 1} of 3`) === `result ${i}`, {
      expected: `call ${i + 1} to resolve with "result ${i}"`,
      received: show(t.outcome),
    }));
  });

  behaviour('rejects with the very error the action throws or rejects with, and fire never throws', async () => {
    const r = rig({ failureThreshold: 10 });
    const thrown = new Error('thrown synchronously');
    const rejected = new TypeError('rejected');
    const cases: [Work, unknown, string][] = [
      [throwing(thrown), thrown, 'an action that throws'],
      [rejectWith(rejected), rejected, 'an action that rejects'],
      [rejectWith('busy'), 'busy', "an action that rejects with the string 'busy'"],
      [rejectWith(undefined), undefined, 'an action that rejects with undefined'],
      [throwing(42), 42, 'an action that throws the number 42'],
    ];
    const results = cases.map(([work, , what]) => fire(r, work, `fire() with ${what}`));
    await drain();
    cases.forEach(([, error, what], i) => expectRejectedWith(results[i]!, error, `fire() with ${what}`));
  });

  behaviour('opens after failureThreshold failures in a row, not one sooner', async () => {
    for (const threshold of [1, 2, 3]) {
      const r = rig({ failureThreshold: threshold, resetTimeout: 1_000 });
      for (let i = 1; i <= threshold; i++) {
        // Rejections and synchronous throws both count.
        const error = new Error(`failure ${i}`);
        const result = fire(r, i % 2 === 0 ? throwing(error) : rejectWith(error), `failing call ${i}`);
        await drain();
        expectRejectedWith(result, error, `failing call ${i}`);
        if (i < threshold) {
          expectState(r, 'closed', `after ${i} failure(s) in a row with failureThreshold ${threshold}`,
            'open when the count of failures in a row reaches failureThreshold (>=), not before');
        } else {
          expectState(r, 'open', `after ${i} failures in a row with failureThreshold ${threshold}`,
            'open as soon as the count reaches failureThreshold: compare with >=, not >; a synchronous throw counts like a rejection');
        }
      }
      await expectRefusedCall(r, `the call after the circuit opened (failureThreshold ${threshold})`);
    }
    // Failures of calls running side by side count too.
    const r = rig({ failureThreshold: 3 });
    const calls = [held(), held(), held()];
    const results = calls.map((c, i) => fire(r, c.work, `concurrent call ${i + 1}`));
    await drain();
    calls.forEach((c, i) => c.gate.reject(new Error(`concurrent failure ${i + 1}`)));
    await drain();
    results.forEach((t, i) => reasonNow(t, `concurrent call ${i + 1}`));
    expectState(r, 'open', 'after 3 calls that ran at the same time all failed (failureThreshold 3)');
  }, { points: 2 });

  behaviour('a success resets the failure count, so scattered failures never open the circuit', async () => {
    const r = rig({ failureThreshold: 3 });
    const pattern = ['fail', 'fail', 'ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'ok', 'fail', 'fail'];
    for (const [i, step] of pattern.entries()) {
      const result = fire(r, step === 'ok' ? succeed(i) : rejectWith(new Error(`failure at call ${i + 1}`)), `call ${i + 1}`);
      await drain();
      if (step === 'ok') valueNow(result, `call ${i + 1} (a success)`);
      else reasonNow(result, `call ${i + 1} (a failure)`);
      expectState(r, 'closed', `after the calls ${pattern.slice(0, i + 1).join(', ')} (failureThreshold 3)`,
        'the count is of failures in a row: set it back to 0 on every success');
    }
    check(r.calls === pattern.length, {
      expected: `all ${pattern.length} calls to reach the action`,
      received: `${r.calls} did`,
    });
  });

  behaviour('an error that errorFilter accepts reaches the caller and counts as a success', async () => {
    const callerError = new Error('404: the caller asked for something that does not exist');
    const seen: unknown[] = [];
    const errorFilter = (error: unknown) => {
      seen.push(error);
      return error === callerError || error === 'bad request';
    };
    const strict = rig({ failureThreshold: 1, errorFilter });
    const rejected = fire(strict, rejectWith(callerError), 'a call rejecting with an error errorFilter accepts');
    const thrown = fire(strict, throwing('bad request'), 'a call throwing an error errorFilter accepts');
    await drain();
    expectRejectedWith(rejected, callerError, 'a call rejecting with an error errorFilter accepts');
    expectRejectedWith(thrown, 'bad request', 'a call throwing an error errorFilter accepts');
    check(seen.includes(callerError) && seen.includes('bad request'), {
      expected: 'errorFilter to be called with each error',
      received: `it was called with ${show(seen)}`,
      hint: 'call errorFilter(error) with the action\'s error, thrown or rejected',
    });
    expectState(strict, 'closed', 'after 2 errors that errorFilter accepts (failureThreshold 1)',
      'an error errorFilter accepts is the caller\'s fault: it does not count as a failure');

    const counting = rig({ failureThreshold: 2, errorFilter });
    for (const [i, step] of ['fail', 'filtered', 'fail', 'filtered', 'fail'].entries()) {
      fire(counting, rejectWith(step === 'fail' ? new Error(`failure ${i + 1}`) : callerError), `call ${i + 1}`);
      await drain();
    }
    expectState(counting, 'closed', 'after failure, accepted error, failure, accepted error, failure (failureThreshold 2)',
      'an error errorFilter accepts counts as a success: it resets the count of failures in a row to 0');

    await failTimes(counting, 1);
    expectState(counting, 'open', 'after two failures in a row that errorFilter does not accept (failureThreshold 2)',
      'errors errorFilter returns false for are failures like any other');
  });
  behaviour('an action that returns a plain value, undefined or null succeeds: the count goes back to 0, and as the trial it closes the circuit', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100 });
    for (const [value, what] of [[42, 'the number 42'], [undefined, 'undefined (returns nothing)'], [null, 'null']] as const) {
      await failTimes(r, 1, 'a failing call');
      const result = fire(r, () => value, `a call whose action returns ${what}`);
      await drain();
      const got = valueNow(result, `a call whose action returns ${what}`);
      check(got === value, {
        expected: `fire to resolve with ${show(value)}, what the action returned`,
        received: show(got),
        hint: 'a plain return value is a success: resolve with it as it is (Promise.resolve(value), or await it)',
      });
      await failTimes(r, 1, 'a failing call');
      expectState(r, 'closed', `after failure, a call whose action returned ${what}, failure (failureThreshold 2)`,
        'an action that returns a value without a promise has succeeded: reset the count of failures in a row, exactly as for a resolved promise; and never read .then of null or undefined');
      const reset = fire(r, () => 'reset', 'a call that returns a value');
      await drain();
      valueNow(reset, 'a call that returns a value');
    }
    await openCircuit(r, 2);
    for (const [value, what] of [[7, 'the number 7'], [undefined, 'undefined']] as const) {
      await advance(100);
      expectState(r, 'half-open', '100 ms after the circuit opened (resetTimeout 100)');
      const trial = fire(r, () => value, `a trial whose action returns ${what}`);
      await drain();
      check(valueNow(trial, `a trial whose action returns ${what}`) === value, {
        expected: `the trial to resolve with ${show(value)}`,
        received: show(trial.outcome),
      });
      expectState(r, 'closed', `right after a half-open trial whose action returned ${what}`,
        'a trial that returns a plain value has succeeded: close the circuit, exactly as when it resolves a promise');
      const after = fire(r, succeed('after'), 'a call after the circuit closed');
      await drain();
      valueNow(after, 'a call after the circuit closed');
      await openCircuit(r, 2);
    }
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed', 'closed → open', 'open → half-open', 'half-open → closed', 'closed → open'], 'by then');
  });
});

task('open', () => {
  behaviour('while open, fire rejects at once with a CircuitOpenError and does not call the action', async () => {
    const r = rig({ failureThreshold: 1, resetTimeout: 1_000 });
    await openCircuit(r, 1);
    for (const [moment, wait] of [['just after opening', 0], ['500 ms after opening', 500], ['999 ms after opening', 499]] as const) {
      await advance(wait);
      const before = r.calls;
      const results = [1, 2, 3].map((n) => fire(r, succeed(n), `call ${n} ${moment}`));
      await drain();
      results.forEach((t, i) => expectRefused(r, t, before, `call ${i + 1} made ${moment} (resetTimeout 1000 ms)`));
      expectState(r, 'open', `${moment}, after refused calls`, 'refused calls change nothing');
    }
  }, { points: 2 });

  behaviour('becomes half-open exactly resetTimeout ms after opening: "open" 1 ms before', async () => {
    for (const resetTimeout of [1, 50, 1_000]) {
      // Opened at once, read with `state`.
      const read = rig({ failureThreshold: 1, resetTimeout });
      await openCircuit(read, 1);
      await advance(resetTimeout - 1);
      expectState(read, 'open', `${resetTimeout - 1} ms after opening (resetTimeout ${resetTimeout})`,
        'stay open for the whole resetTimeout');
      await advance(1);
      expectState(read, 'half-open', `exactly ${resetTimeout} ms after opening (resetTimeout ${resetTimeout})`,
        'with a timer: setTimeout(..., resetTimeout) when the circuit opens; worked out when asked: Date.now() - openedAt >= resetTimeout');
      await advance(5_000);
      expectState(read, 'half-open', `${resetTimeout + 5_000} ms after opening, with no call made (resetTimeout ${resetTimeout})`,
        'half-open waits for a trial call; only its outcome moves the circuit on');

      // Opened by a failure that comes from the action's own timer 25 ms in; seen through fire only.
      const probe = rig({ failureThreshold: 1, resetTimeout });
      const failing = fire(probe, () => new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 25)), 'a call failing after 25 ms');
      await advance(25);
      reasonNow(failing, 'a call failing after 25 ms');
      await advance(resetTimeout - 1);
      await expectRefusedCall(probe, `a call ${resetTimeout - 1} ms after the circuit opened (resetTimeout ${resetTimeout})`);
      await drain();
      await advance(1);
      const before = probe.calls;
      const trial = fire(probe, succeed('trial'), 'the first call after resetTimeout');
      await drain();
      check(probe.calls === before + 1, {
        expected: `a call made exactly ${resetTimeout} ms after the circuit opened (resetTimeout ${resetTimeout}) to run as the trial`,
        received: 'the action was not called',
        hint: 'the wait starts when the failure that opened the circuit settled; at resetTimeout ms the first fire is the trial',
      });
      valueNow(trial, 'the trial call');
    }
  }, { points: 2 });

  behaviour('calls refused while open do not push back the move to half-open', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 1_000 });
    await openCircuit(r, 2);
    for (let elapsed = 100; elapsed < 1_000; elapsed += 100) {
      await advance(100);
      await expectRefusedCall(r, `a call ${elapsed} ms after opening`);
    }
    await advance(99);
    expectState(r, 'open', '999 ms after opening, with a refused call every 100 ms (resetTimeout 1000)');
    await advance(1);
    expectState(r, 'half-open', '1000 ms after opening, with a refused call every 100 ms (resetTimeout 1000)',
      'the resetTimeout wait starts when the circuit opens; a refused call is not a failure of the service and must not restart it');
  });
  behaviour('with resetTimeout 0 the circuit is ready for a trial as soon as it has opened, not after the default wait', async () => {
    const r = rig({ failureThreshold: 1, resetTimeout: 0 });
    const first = new Error('failure');
    const opening = fire(r, rejectWith(first), 'a failing call');
    await drain();
    expectRejectedWith(opening, first, 'a failing call');
    // Right now a timer of 0 ms has not fired, while worked out when asked it is half-open already (both are right);
    // 1 ms later both agree, so that is when the suite looks.
    await advance(1);
    expectState(r, 'half-open', '1 ms after the circuit opened (resetTimeout 0)',
      'resetTimeout 0 is a valid choice, not a missing one: use the default only when the option is undefined (?? or a destructuring default, not ||)');
    const error = new Error('trial failed');
    const trial = fire(r, rejectWith(error), 'a failing trial');
    await drain();
    expectRejectedWith(trial, error, 'a failing trial');
    await advance(1);
    expectState(r, 'half-open', '1 ms after the failed trial reopened the circuit (resetTimeout 0)');
    const second = fire(r, succeed('second trial'), 'the second trial');
    await drain();
    valueNow(second, 'the second trial');
    expectState(r, 'closed', 'after the second trial succeeded');
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → open', 'open → half-open', 'half-open → closed'], 'by then');
  });
});

/** A breaker opened at the current time and moved on to half-open. */
async function halfOpenRig(options: Options & { failureThreshold: number; resetTimeout: number }): Promise<Rig> {
  const r = rig(options);
  await openCircuit(r, options.failureThreshold);
  await advance(options.resetTimeout);
  expectState(r, 'half-open', `resetTimeout (${options.resetTimeout} ms) after the circuit opened`);
  return r;
}

task('half-open', () => {
  behaviour('lets exactly one trial call through; every other call is refused at once while it runs', async () => {
    const r = await halfOpenRig({ failureThreshold: 2, resetTimeout: 100 });
    const trial = held();
    const before = r.calls;
    const trialResult = fire(r, trial.work, 'the trial call');
    await drain();
    check(r.calls === before + 1, {
      expected: 'the first call after the circuit turned half-open to run as the trial',
      received: 'the action was not called',
    });
    for (const wait of [0, 10, 1_000]) {
      await advance(wait);
      const results = [1, 2, 3].map((n) => fire(r, succeed(n), `call ${n} while the trial runs`));
      await drain();
      results.forEach((t, i) => expectRefused(r, t, before + 1, `call ${i + 1} made while the half-open trial runs`));
      expectState(r, 'half-open', 'while the trial call runs', 'the circuit stays half-open until the trial settles');
    }
    trial.gate.resolve('trial done');
    await drain();
    check(valueNow(trialResult, 'the trial call') === 'trial done', {
      expected: 'the trial call to resolve with its value',
      received: show(trialResult.outcome),
    });

    // The same without any read of `state`: four calls made together, exactly resetTimeout after opening.
    const unread = rig({ failureThreshold: 1, resetTimeout: 100 });
    await openCircuit(unread, 1);
    await advance(100);
    const gates = [held(), held(), held(), held()];
    const first = unread.calls;
    const together = gates.map((g, i) => fire(unread, g.work, `call ${i + 1} of 4 made together when the circuit turned half-open`));
    await drain();
    check(unread.calls === first + 1, {
      expected: 'exactly one of 4 calls made together right when the circuit turned half-open (state never read) to reach the action',
      received: `${unread.calls - first} did`,
      hint: 'if you work half-open out when asked, mark the trial as running in the same fire that works it out, and do not reset that mark when the next fire works the state out again',
    });
    together.slice(1).forEach((t, i) => expectRefused(unread, t, first + 1, `call ${i + 2} of 4 made together with the trial`));
    gates[0]!.gate.resolve('trial done');
    await drain();
    valueNow(together[0]!, 'the trial call (the first of the 4)');
  }, { points: 2 });

  behaviour('a trial success closes the circuit with the failure count back at 0', async () => {
    const r = await halfOpenRig({ failureThreshold: 3, resetTimeout: 100 });
    const trial = fire(r, succeed('trial'), 'the trial call');
    await drain();
    valueNow(trial, 'the trial call');
    expectState(r, 'closed', 'after the half-open trial succeeded');
    await failTimes(r, 2);
    expectState(r, 'closed', 'after the trial succeeded and then 2 calls failed (failureThreshold 3)',
      'closing sets the count of failures in a row back to 0');
    await failTimes(r, 1);
    expectState(r, 'open', 'after the trial succeeded and then 3 calls failed (failureThreshold 3)');

    // A trial that fails with an error errorFilter accepts closes the circuit too.
    const callerError = new Error('the caller\'s fault');
    const filtered = await halfOpenRig({ failureThreshold: 1, resetTimeout: 100, errorFilter: (e) => e === callerError });
    const filteredTrial = fire(filtered, rejectWith(callerError), 'a trial call rejecting with an error errorFilter accepts');
    await drain();
    expectRejectedWith(filteredTrial, callerError, 'a trial call rejecting with an error errorFilter accepts');
    expectState(filtered, 'closed', 'after a trial that failed with an error errorFilter accepts',
      'an error errorFilter accepts counts as a success, in half-open too');
    const after = fire(filtered, succeed('after'), 'a call after the circuit closed');
    await drain();
    valueNow(after, 'a call after the circuit closed');

    // The same when the trial throws that error synchronously.
    const thrown = await halfOpenRig({ failureThreshold: 1, resetTimeout: 100, errorFilter: (e) => e === callerError });
    const thrownTrial = fire(thrown, throwing(callerError), 'a trial call throwing (synchronously) an error errorFilter accepts');
    await drain();
    expectRejectedWith(thrownTrial, callerError, 'a trial call throwing (synchronously) an error errorFilter accepts');
    expectState(thrown, 'closed', 'after a trial that threw synchronously an error errorFilter accepts',
      'a synchronous throw goes through errorFilter like a rejection: an accepted error counts as a success, and a trial success closes the circuit');
  }, { points: 2 });

  behaviour('a trial failure reopens the circuit at once, and the resetTimeout wait starts again from that failure', async () => {
    for (const kind of ['rejects', 'throws'] as const) {
      const r = await halfOpenRig({ failureThreshold: 3, resetTimeout: 200 });
      await advance(40);
      const trialGate = held();
      const error = new Error(`the trial ${kind}`);
      const trial = fire(r, kind === 'rejects' ? trialGate.work : throwing(error), 'the trial call');
      if (kind === 'rejects') {
        await advance(30);
        trialGate.gate.reject(error);
      }
      await drain();
      expectRejectedWith(trial, error, `a trial call that ${kind}`);
      expectState(r, 'open', `right after a trial call that ${kind} (failureThreshold 3)`,
        'a single failed trial reopens the circuit: do not wait for failureThreshold failures again');
      await expectRefusedCall(r, 'a call right after the failed trial');
      await drain();
      await advance(199);
      expectState(r, 'open', `199 ms after the trial ${kind === 'rejects' ? 'failed' : 'threw'} (resetTimeout 200)`,
        'the resetTimeout wait starts again from the trial failure, not from the first opening');
      await advance(1);
      expectState(r, 'half-open', `200 ms after the trial ${kind === 'rejects' ? 'failed' : 'threw'} (resetTimeout 200)`,
        'after a failed trial, the circuit becomes half-open again resetTimeout ms after that failure');
      const second = fire(r, succeed('second trial'), 'the second trial call');
      await drain();
      valueNow(second, 'the second trial call');
      expectState(r, 'closed', 'after the second trial succeeded');
    }
  }, { points: 2 });
});

task('calls in flight when the circuit opens', () => {
  behaviour('calls started before the circuit opened that fail while it is open do not extend the open period', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 1_000 });
    const calls = [held(), held(), held(), held()];
    const results = calls.map((c, i) => fire(r, c.work, `call ${i + 1}`));
    await advance(10);
    calls[0]!.gate.reject(new Error('failure 1'));
    calls[1]!.gate.reject(new Error('failure 2'));
    await drain();
    expectState(r, 'open', 'after 2 of 4 running calls failed (failureThreshold 2)');
    await advance(490);
    calls[2]!.gate.reject(new Error('late failure 3'));
    await drain();
    await advance(300);
    calls[3]!.gate.reject(new Error('late failure 4'));
    await drain();
    results.forEach((t, i) => reasonNow(t, `call ${i + 1}`));
    expectState(r, 'open', '790 ms after opening, two older calls having failed meanwhile (resetTimeout 1000)');
    await advance(209);
    expectState(r, 'open', '999 ms after opening, two older calls having failed meanwhile (resetTimeout 1000)');
    await advance(1);
    expectState(r, 'half-open', '1000 ms after opening, even though two calls started before the opening failed meanwhile',
      'a call that was already running when the circuit opened belongs to the old period: its failure must not restart the open timer (opossum#385)');
    expectTransitions(r, ['closed → open', 'open → half-open'], 'by then',
      'a late failure while open is not a transition: no second "open"');
  }, { points: 2 });

  behaviour('calls started before the circuit opened that fail after it turned half-open do not reopen it', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100 });
    const calls = [held(), held(), held(), held()];
    const results = calls.map((c, i) => fire(r, c.work, `call ${i + 1}`));
    await drain();
    calls[0]!.gate.reject(new Error('failure 1'));
    calls[1]!.gate.reject(new Error('failure 2'));
    await drain();
    expectState(r, 'open', 'after 2 of 4 running calls failed (failureThreshold 2)');
    await advance(100);
    // No read of `state` first: the older call fails right at the half-open moment.
    calls[2]!.gate.reject(new Error('late failure 3'));
    await drain();
    expectState(r, 'half-open', '100 ms after opening (resetTimeout 100), right after a call started before the opening failed',
      'a call that was already running when the circuit opened is not the half-open trial: its failure must not reopen the circuit (opossum#385)');
    const trial = held();
    const before = r.calls;
    const trialResult = fire(r, trial.work, 'the trial call');
    await drain();
    check(r.calls === before + 1, {
      expected: 'the first call after the circuit turned half-open to run as the trial, even though an older call failed meanwhile',
      received: 'the action was not called',
    });
    calls[3]!.gate.reject(new Error('late failure 4'));
    await drain();
    expectState(r, 'half-open', 'while the trial runs, right after another call started before the opening failed',
      'only the trial decides what half-open becomes; failures of older calls change nothing');
    trial.gate.resolve('trial ok');
    await drain();
    valueNow(trialResult, 'the trial call');
    results.forEach((t, i) => reasonNow(t, `call ${i + 1}`));
    expectState(r, 'closed', 'after the trial succeeded');
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed'], 'by then');
  }, { points: 2 });
  behaviour('a late success of a call started before the circuit opened neither closes it nor decides the half-open state', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100 });
    const olds = [held(), held(), held()];
    const oldResults = olds.map((c, i) => fire(r, c.work, `older call ${i + 1}`));
    await drain();
    await failTimes(r, 2);
    expectState(r, 'open', 'after 2 failures in a row (failureThreshold 2), with 3 older calls still running');
    olds[0]!.gate.resolve('late ok 1');
    await drain();
    valueNow(oldResults[0]!, 'older call 1');
    expectState(r, 'open', 'right after a call started before the opening succeeded, while open',
      'a call that was running when the circuit opened belongs to the old period: its success must not close an open circuit');
    await advance(99);
    expectState(r, 'open', '99 ms after opening (resetTimeout 100), an older call having succeeded meanwhile');
    await advance(1);
    expectState(r, 'half-open', '100 ms after opening (resetTimeout 100), an older call having succeeded meanwhile');
    olds[1]!.gate.resolve('late ok 2');
    await drain();
    expectState(r, 'half-open', 'right after a call started before the opening succeeded, before any trial',
      'while half-open only the trial decides: an older call\'s success does not close the circuit');
    const trial = held();
    const before = r.calls;
    const trialResult = fire(r, trial.work, 'the trial call');
    await drain();
    check(r.calls === before + 1, {
      expected: 'the first call after the circuit turned half-open to run as the trial, although an older call succeeded meanwhile',
      received: r.calls === before ? 'the action was not called' : `the action was called ${r.calls - before} times`,
    });
    olds[2]!.gate.resolve('late ok 3');
    await drain();
    expectState(r, 'half-open', 'while the trial runs, right after another call started before the opening succeeded',
      'only the trial decides what half-open becomes; outcomes of older calls change nothing');
    await expectRefusedCall(r, 'a call while the trial still runs (an older call having succeeded)');
    const failure = new Error('trial failed');
    trial.gate.reject(failure);
    await drain();
    expectRejectedWith(trialResult, failure, 'the trial call');
    expectState(r, 'open', 'after the trial failed, although older calls succeeded meanwhile');
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → open'], 'by then',
      'a success of a call from before the opening is not a transition: only the trial closes the circuit');
    oldResults.forEach((t, i) => valueNow(t, `older call ${i + 1}`));

    // An error errorFilter accepts counts as a success: from an older call, it does not close the circuit either.
    const callerError = new Error('the caller\'s fault');
    const f = rig({ failureThreshold: 1, resetTimeout: 100, errorFilter: (e) => e === callerError });
    const older = [held(), held()];
    const olderResults = older.map((c, i) => fire(f, c.work, `older call ${i + 1}`));
    await drain();
    await openCircuit(f, 1);
    older[0]!.gate.reject(callerError);
    await drain();
    expectRejectedWith(olderResults[0]!, callerError, 'older call 1');
    expectState(f, 'open', 'right after a call started before the opening failed with an error errorFilter accepts',
      'an error errorFilter accepts counts as a success, and a late success does not close an open circuit');
    await advance(100);
    older[1]!.gate.reject(callerError);
    await drain();
    expectState(f, 'half-open', 'right after another call started before the opening failed with an error errorFilter accepts, once half-open',
      'while half-open only the trial decides, whatever an older call ends with');
    const filteredTrial = fire(f, rejectWith(new Error('trial failed')), 'a failing trial');
    await drain();
    reasonNow(filteredTrial, 'a failing trial');
    expectState(f, 'open', 'after the trial failed');
  }, { points: 2 });

  behaviour('calls started before the circuit opened change nothing once it has closed again: a late failure does not count, a late success does not reset the count', async () => {
    for (const threshold of [1, 2]) {
      const setting = `failureThreshold ${threshold}`;
      const r = rig({ failureThreshold: threshold, resetTimeout: 100 });
      const old = held();
      const oldResult = fire(r, old.work, 'a call started while closed');
      await drain();
      await openCircuit(r, threshold);
      await advance(100);
      expectState(r, 'half-open', `100 ms after opening (resetTimeout 100, ${setting})`);
      const trial = fire(r, succeed('trial ok'), 'the trial call');
      await drain();
      valueNow(trial, 'the trial call');
      expectState(r, 'closed', `after the trial succeeded (${setting})`);
      const failure = new Error('late failure');
      old.gate.reject(failure);
      await drain();
      expectRejectedWith(oldResult, failure, 'the call started before the opening');
      expectState(r, 'closed', `after the circuit closed again, right after a call started before the opening failed (${setting})`,
        'a call that was running when the circuit opened belongs to the old period: its failure must not count, even after the circuit closed again (opossum#385)');
      if (threshold === 2) {
        await failTimes(r, 1, 'a new failing call');
        expectState(r, 'closed', `after one new failure once the circuit had closed again (${setting}): the older call's failure must not have counted`,
          'count only failures of calls started in the current period; remember the period (a generation number) each call started in');
        await failTimes(r, 1, 'a second new failing call');
        expectState(r, 'open', `after two new failures in a row (${setting})`);
      }
      expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed', ...(threshold === 2 ? ['closed → open'] : [])], `by then (${setting})`);
    }

    // Late failures that land while it is open are not kept for later: once closed again, the count starts at 0.
    const kept = rig({ failureThreshold: 3, resetTimeout: 100 });
    const hangers = [held(), held()];
    const hangerResults = hangers.map((h, i) => fire(kept, h.work, `call ${i + 1} of 2 started while closed`));
    await drain();
    await openCircuit(kept, 3);
    hangers.forEach((h, i) => h.gate.reject(new Error(`late failure ${i + 1}`)));
    await drain();
    hangerResults.forEach((t, i) => reasonNow(t, `call ${i + 1} of 2 started before the opening`));
    expectState(kept, 'open', 'right after 2 calls started before the opening failed while it was open (failureThreshold 3)');
    await advance(100);
    const keptTrial = fire(kept, succeed('trial ok'), 'the trial call');
    await drain();
    valueNow(keptTrial, 'the trial call');
    expectState(kept, 'closed', 'after the trial succeeded');
    await failTimes(kept, 1, 'a new failing call');
    expectState(kept, 'closed', 'after one new failure once the circuit had closed again (failureThreshold 3), 2 calls from before the opening having failed while it was open',
      'failures of calls from before the opening are ignored, not stored: when the trial closes the circuit the count is 0, whatever landed while it was open');
    await failTimes(kept, 2, 'a new failing call');
    expectState(kept, 'open', 'after three new failures in a row (failureThreshold 3)');

    // A late success must not reset the count of the new period either.
    const r = rig({ failureThreshold: 2, resetTimeout: 100 });
    const old = held();
    const oldResult = fire(r, old.work, 'a call started while closed');
    await drain();
    await openCircuit(r, 2);
    await advance(100);
    const trial = fire(r, succeed('trial ok'), 'the trial call');
    await drain();
    valueNow(trial, 'the trial call');
    await failTimes(r, 1, 'a new failing call');
    old.gate.resolve('late ok');
    await drain();
    valueNow(oldResult, 'the call started before the opening');
    await failTimes(r, 1, 'a second new failing call');
    expectState(r, 'open', 'after two new failures in a row once the circuit had closed again (failureThreshold 2), with a success of a call started before the opening between them',
      'a call that was running when the circuit opened belongs to the old period: its success must not reset the count of the new one');
  }, { points: 2 });
  behaviour('calls started before the circuit opened that time out later change nothing: not while open, not while half-open, not once it has closed again', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100, timeout: 150 });
    const hang = (): Work => () => new Promise(() => {});
    // Four calls that never settle, started while closed; each times out 150 ms after it started.
    const a = fire(r, hang(), 'call A (started at 0 ms)');
    await advance(20);
    const b = fire(r, hang(), 'call B (started at 20 ms)');
    await advance(35);
    const c = fire(r, hang(), 'call C (started at 55 ms)');
    await advance(3);
    const d = fire(r, hang(), 'call D (started at 58 ms)');
    await advance(2);
    await failTimes(r, 2);
    expectState(r, 'open', 'at 60 ms, after 2 failures in a row (failureThreshold 2), with 4 older calls still running');
    const stale = 'a call that was already running when the circuit opened belongs to the old period: when it times out, it still rejects with a TimeoutError, but it must not change the state (check that the call started in the current period before counting its timeout)';
    await advance(90);
    expectTimedOut(a, 'call A, 150 ms after it started');
    expectState(r, 'open', 'at 150 ms, right after call A (started before the opening) timed out', stale);
    await advance(9);
    expectState(r, 'open', 'at 159 ms, 99 ms after opening (resetTimeout 100), call A having timed out meanwhile');
    await advance(1);
    expectState(r, 'half-open', 'at 160 ms, 100 ms after opening, even though call A timed out meanwhile',
      'the timeout of a call started before the opening must not restart the resetTimeout wait (opossum#385)');
    await advance(10);
    expectTimedOut(b, 'call B, 150 ms after it started');
    expectState(r, 'half-open', 'at 170 ms, right after call B (started before the opening) timed out', stale);
    const trial = held();
    const before = r.calls;
    const trialResult = fire(r, trial.work, 'the trial call');
    await drain();
    check(r.calls === before + 1, {
      expected: 'the first call after the circuit turned half-open to run as the trial, although an older call timed out meanwhile',
      received: r.calls === before ? 'the action was not called' : `the action was called ${r.calls - before} times`,
    });
    await advance(35);
    expectTimedOut(c, 'call C, 150 ms after it started');
    expectState(r, 'half-open', 'at 205 ms, while the trial runs, right after call C (started before the opening) timed out',
      'while half-open only the trial decides; the timeout of an older call is not the trial failing');
    await expectRefusedCall(r, 'a call while the trial still runs');
    trial.gate.resolve('trial ok');
    await drain();
    valueNow(trialResult, 'the trial call');
    expectState(r, 'closed', 'after the trial succeeded');
    await advance(3);
    expectTimedOut(d, 'call D, 150 ms after it started');
    expectState(r, 'closed', 'at 208 ms, after the circuit closed again, right after call D (started before the opening) timed out', stale);
    await failTimes(r, 1, 'a new failing call');
    expectState(r, 'closed', 'after one new failure once the circuit had closed again (failureThreshold 2): call D\'s timeout must not have counted', stale);
    await failTimes(r, 1, 'a second new failing call');
    expectState(r, 'open', 'after two new failures in a row (failureThreshold 2)');
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed', 'closed → open'], 'by then',
      'timeouts of calls from before the opening are not transitions');
  }, { points: 2 });
});

task('actions that return a thenable', () => {
  behaviour('a thenable (not a Promise) from the action settles fire like a promise would, and its rejection counts as a failure', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100, timeout: 50 });
    const later = (ms: number, value: unknown): Work => () => ({
      then(onFulfilled: (v: unknown) => void) {
        setTimeout(() => onFulfilled(value), ms);
      },
    });
    const fulfilled = fire(r, later(5, 'thenable value'), 'a call whose action returns a thenable');
    await advance(5);
    check(valueNow(fulfilled, 'a call whose action returns a thenable that fulfils after 5 ms') === 'thenable value', {
      expected: 'fire to resolve with the value the thenable fulfils with ("thenable value")',
      received: show(fulfilled.outcome),
      hint: 'adopt the action\'s result the way a promise would: resolve(result) or await result, not result instanceof Promise',
    });
    const errors = [new Error('thenable failure 1'), new Error('thenable failure 2')];
    for (const [i, error] of errors.entries()) {
      const rejected = fire(r, () => ({ then: (_: unknown, onRejected: (e: unknown) => void) => onRejected(error) }), `failing thenable ${i + 1}`);
      await drain();
      expectRejectedWith(rejected, error, `a call whose action returns a thenable that rejects (${i + 1} of 2)`);
    }
    expectState(r, 'open', 'after 2 actions in a row returned thenables that rejected (failureThreshold 2)',
      'a thenable that rejects is a failure like a rejected promise: treat the result with resolve(result) or await, never as a plain value');
    await advance(100);
    const hanging = fire(r, () => ({ then() {} }), 'a trial whose thenable never settles');
    await advance(50);
    expectTimedOut(hanging, 'a trial whose thenable never settles, after timeout (50 ms)');
    expectState(r, 'open', 'after the half-open trial timed out');
  });
  behaviour('a thenable that fulfils counts as a success: it resets the failure count and, as the trial, closes the circuit', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 100 });
    const fulfilling = (value: unknown): Work => () => ({ then: (onFulfilled: (v: unknown) => void) => onFulfilled(value) });
    await failTimes(r, 1, 'a failing call');
    const ok = fire(r, fulfilling('thenable ok'), 'a call whose action returns a thenable that fulfils');
    await drain();
    valueNow(ok, 'a call whose action returns a thenable that fulfils');
    await failTimes(r, 1, 'a failing call');
    expectState(r, 'closed', 'after failure, a thenable that fulfilled, failure (failureThreshold 2)',
      'a thenable that fulfils is a success like a resolved promise: it resets the count of failures in a row');
    await failTimes(r, 1, 'a failing call');
    expectState(r, 'open', 'after two failures in a row (failureThreshold 2)');
    await advance(100);
    const trial = fire(r, fulfilling('trial ok'), 'a trial whose action returns a thenable that fulfils');
    await drain();
    check(valueNow(trial, 'a trial whose action returns a thenable that fulfils') === 'trial ok', {
      expected: 'the trial to resolve with "trial ok", the thenable\'s value',
      received: show(trial.outcome),
    });
    expectState(r, 'closed', 'right after a half-open trial whose thenable fulfilled',
      'a trial whose thenable fulfils has succeeded: close the circuit');
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed'], 'by then');
  });
});

task('timeout', () => {
  behaviour('a call that has not settled after timeout ms rejects with a TimeoutError', async () => {
    const r = rig({ timeout: 100 });
    const hanging = fire(r, () => new Promise(() => {}), 'a call that never settles');
    await advance(99);
    check(hanging.outcome.state === 'pending', {
      expected: 'a call with timeout 100 still to be pending after 99 ms',
      received: `it had ${hanging.outcome.state === 'fulfilled' ? 'resolved' : 'rejected'} already`,
      hint: 'start a timer of exactly `timeout` ms when the call starts',
    });
    await advance(1);
    expectTimedOut(hanging, 'a call that never settles, after 100 ms (timeout 100)');
    // The timer starts with each call.
    await advance(50);
    const later = fire(r, () => new Promise(() => {}), 'a call started 150 ms in');
    await advance(99);
    check(later.outcome.state === 'pending', {
      expected: 'a call started at 150 ms (timeout 100) still to be pending at 249 ms',
      received: 'it had settled',
      hint: 'each call gets its own timer, started when fire() is called',
    });
    await advance(1);
    expectTimedOut(later, 'a call started at 150 ms, at 250 ms (timeout 100)');
    // Settling in time wins.
    const quick = fire(r, () => new Promise((resolve) => setTimeout(() => resolve('in time'), 99)), 'a call that resolves after 99 ms');
    await advance(200);
    check(valueNow(quick, 'a call that resolves after 99 ms (timeout 100)') === 'in time', {
      expected: 'a call that resolves after 99 ms (timeout 100) to resolve with its value',
      received: show(quick.outcome),
    });
  }, { points: 2 });

  behaviour('a timeout counts as a failure, in closed and in half-open', async () => {
    const r = rig({ failureThreshold: 2, resetTimeout: 500, timeout: 100 });
    fire(r, () => new Promise(() => {}), 'the first hanging call');
    await advance(30);
    fire(r, () => new Promise(() => {}), 'the second hanging call');
    await advance(70);
    expectState(r, 'closed', 'after 1 call timed out (failureThreshold 2)');
    await advance(30);
    expectState(r, 'open', 'after 2 calls timed out (failureThreshold 2)',
      'a timeout is a counted failure, like a rejection');
    await advance(500);
    expectState(r, 'half-open', '500 ms after the second timeout opened the circuit (resetTimeout 500)');
    const trial = fire(r, () => new Promise(() => {}), 'a trial call that hangs');
    await advance(100);
    expectTimedOut(trial, 'the hanging trial call');
    expectState(r, 'open', 'after the half-open trial timed out', 'a trial that times out is a failed trial: reopen');
    await advance(499);
    expectState(r, 'open', '499 ms after the trial timed out (resetTimeout 500)');
    await advance(1);
    expectState(r, 'half-open', '500 ms after the trial timed out (resetTimeout 500)');
  });

  behaviour('a timeout counts as a failure even when errorFilter accepts every error', async () => {
    const hint = 'a timeout is never the caller\'s fault: it counts as a failure whatever errorFilter says; errorFilter only judges the errors the action itself throws or rejects with';
    const r = rig({ failureThreshold: 1, resetTimeout: 200, timeout: 100, errorFilter: () => true });
    const accepted = new Error('the caller\'s fault');
    const filtered = fire(r, rejectWith(accepted), 'a call rejecting with an error errorFilter accepts');
    await drain();
    expectRejectedWith(filtered, accepted, 'a call rejecting with an error errorFilter accepts');
    expectState(r, 'closed', 'after an error that errorFilter accepts (failureThreshold 1)');
    const hanging = fire(r, () => new Promise(() => {}), 'a call that never settles');
    await advance(100);
    expectTimedOut(hanging, 'a call that never settles, after 100 ms (timeout 100)');
    expectState(r, 'open', 'after a call timed out (failureThreshold 1), with an errorFilter that returns true for every error', hint);
    await advance(200);
    expectState(r, 'half-open', '200 ms after the timeout opened the circuit (resetTimeout 200)');
    const trial = fire(r, () => new Promise(() => {}), 'a trial call that never settles');
    await advance(100);
    expectTimedOut(trial, 'a trial call that never settles, after 100 ms (timeout 100)');
    expectState(r, 'open', 'after the half-open trial timed out, with an errorFilter that returns true for every error', hint);
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → open'], 'by then');
  });

  behaviour('the late outcome of a call that timed out changes nothing', async () => {
    // A late success must not reset the count.
    const a = rig({ failureThreshold: 2, timeout: 100 });
    const slow = held();
    const timedOut = fire(a, slow.work, 'a call that times out');
    await advance(100);
    expectTimedOut(timedOut, 'a call that times out');
    await advance(50);
    slow.gate.resolve('too late');
    await drain();
    expectTimedOut(timedOut, 'the timed-out call, once its late result came in');
    await failTimes(a, 1);
    expectState(a, 'open', 'after a timeout, that call\'s late success, then a failure (failureThreshold 2)',
      'once a call has timed out, its late result is ignored: it is not a success that resets the count (Promise.race alone does not stop it)');

    // A late failure must not count.
    const b = rig({ failureThreshold: 2, timeout: 100 });
    const slowFailure = held();
    fire(b, slowFailure.work, 'a call that times out');
    await advance(100);
    fire(b, succeed(), 'a success');
    await drain();
    slowFailure.gate.reject(new Error('too late'));
    await drain();
    await failTimes(b, 1);
    expectState(b, 'closed', 'after a timeout, a success, the timed-out call\'s late failure, then one failure (failureThreshold 2)',
      'the timeout already counted that call; its late failure must not count a second time');

    // A late rejection with an error errorFilter accepts must not reset the count either.
    const userError = new Error('the caller\'s fault, too late');
    const g = rig({ failureThreshold: 2, timeout: 50, errorFilter: (e) => e === userError });
    const slowFiltered = held();
    const filteredTimedOut = fire(g, slowFiltered.work, 'a call that times out');
    await advance(50);
    expectTimedOut(filteredTimedOut, 'a call that times out (timeout 50)');
    slowFiltered.gate.reject(userError);
    await drain();
    await failTimes(g, 1);
    expectState(g, 'open', 'after a timeout, that call\'s late rejection with an error errorFilter accepts, then a failure (failureThreshold 2)',
      'once a call has timed out, its late outcome is ignored, whatever it is: a late error errorFilter accepts is not a success that resets the count');

    // A late success of a trial that timed out must not close the circuit.
    const c = await halfOpenRig({ failureThreshold: 1, resetTimeout: 300, timeout: 100 });
    const slowTrial = held();
    const trial = fire(c, slowTrial.work, 'a trial call that times out');
    await advance(100);
    expectTimedOut(trial, 'a trial call that times out');
    expectState(c, 'open', 'after the half-open trial timed out');
    await advance(50);
    slowTrial.gate.resolve('too late');
    await drain();
    expectState(c, 'open', 'after the timed-out trial\'s late success',
      'the trial already failed by timing out; its late result must not close the circuit');
    await expectRefusedCall(c, 'a call after the timed-out trial\'s late success');

    // A trial that timed out is over even if it never settles: the next half-open period lets a new trial through.
    const e = await halfOpenRig({ failureThreshold: 1, resetTimeout: 300, timeout: 100 });
    const forever = fire(e, () => new Promise(() => {}), 'a trial call that never settles');
    await advance(100);
    expectTimedOut(forever, 'a trial call that never settles');
    await advance(300);
    expectState(e, 'half-open', '300 ms after the trial timed out (resetTimeout 300)');
    const beforeNext = e.calls;
    const next = fire(e, succeed('new trial'), 'the first call 300 ms after a trial that never settles timed out');
    await drain();
    check(e.calls === beforeNext + 1, {
      expected: 'the first call of the next half-open period, after a trial timed out, to run as the new trial',
      received: 'the action was not called',
      hint: 'a trial that timed out no longer runs, even if its action never settles: clear your "trial running" mark when the trial times out, not only when its action settles',
    });
    valueNow(next, 'the new trial after a trial that never settled timed out');
    expectState(e, 'closed', 'after the new trial succeeded');

    // Its late success lands in the next half-open period, before any new trial started: it decides nothing.
    const f = await halfOpenRig({ failureThreshold: 1, resetTimeout: 300, timeout: 100 });
    const lateTrial = held();
    const lateTrialResult = fire(f, lateTrial.work, 'a trial call that times out');
    await advance(100);
    expectTimedOut(lateTrialResult, 'a trial call that times out');
    await advance(300);
    expectState(f, 'half-open', '300 ms after the trial timed out (resetTimeout 300)');
    lateTrial.gate.resolve('too late');
    await drain();
    expectState(f, 'half-open', 'right after the timed-out trial succeeded late, in the next half-open period, with no new trial started',
      'a trial that timed out is over: its late success must not close the circuit, even when no other trial is running; only a new trial decides');
    const beforeNew = f.calls;
    const newTrial = fire(f, rejectWith(new Error('new trial failed')), 'the first call after the late success');
    await drain();
    check(f.calls === beforeNew + 1, {
      expected: 'the first call after the timed-out trial\'s late success to run as the new trial',
      received: 'the action was not called',
    });
    reasonNow(newTrial, 'the new trial (it fails)');
    expectState(f, 'open', 'after the new trial failed', 'a failed trial reopens the circuit');
    expectTransitions(f, ['closed → open', 'open → half-open', 'half-open → open', 'open → half-open', 'half-open → open'], 'by then');

    // Nor decide a later half-open period, nor count once the circuit has closed again.
    const d = await halfOpenRig({ failureThreshold: 1, resetTimeout: 300, timeout: 100 });
    const first = held();
    fire(d, first.work, 'a first trial that times out');
    await advance(100);
    expectState(d, 'open', 'after the first trial timed out');
    await advance(300);
    expectState(d, 'half-open', '300 ms after the first trial timed out (resetTimeout 300)');
    const second = held();
    const secondResult = fire(d, second.work, 'a second trial');
    await drain();
    first.gate.resolve('too late');
    await drain();
    expectState(d, 'half-open', 'while the second trial runs, right after the first (timed-out) trial succeeded late',
      'a trial that timed out is over: its late success is not the outcome of the trial running now');
    await expectRefusedCall(d, 'a call while the second trial runs');
    second.gate.resolve('second trial ok');
    await drain();
    valueNow(secondResult, 'the second trial');
    expectState(d, 'closed', 'after the second trial succeeded');
    const third = held();
    fire(d, third.work, 'a call that times out after the circuit closed');
    await advance(100);
    expectState(d, 'open', 'after a call timed out once the circuit had closed (failureThreshold 1)');
    await advance(300);
    const fourth = fire(d, succeed('fourth'), 'a third trial');
    await drain();
    valueNow(fourth, 'a third trial');
    third.gate.reject(new Error('too late'));
    await drain();
    expectState(d, 'closed', 'after the third trial closed the circuit, right after the call that had timed out before the opening failed late',
      'the late outcome of a call that timed out changes nothing, in whatever state it arrives');
    expectTransitions(d, ['closed → open', 'open → half-open', 'half-open → open', 'open → half-open', 'half-open → closed', 'closed → open', 'open → half-open', 'half-open → closed'], 'by then');
  }, { points: 2 });

  behaviour('a call that settles before its timeout is not affected by the timer', async () => {
    const r = rig({ failureThreshold: 1, timeout: 100 });
    const quick = fire(r, () => new Promise((resolve) => setTimeout(() => resolve('fast'), 60)), 'a call that resolves after 60 ms');
    await advance(500);
    check(valueNow(quick, 'a call that resolves after 60 ms (timeout 100)') === 'fast', {
      expected: 'it to resolve with "fast"',
      received: show(quick.outcome),
    });
    expectState(r, 'closed', '440 ms after a call resolved in time (failureThreshold 1, timeout 100)',
      'when the call settles first, clear the timeout timer (or make it do nothing): it must not count a failure later');
    const error = new Error('ordinary failure');
    const two = rig({ failureThreshold: 2, timeout: 100 });
    const failed = fire(two, () => new Promise((_, reject) => setTimeout(() => reject(error), 60)), 'a call that rejects after 60 ms');
    await advance(500);
    expectRejectedWith(failed, error, 'a call that rejects after 60 ms (timeout 100)');
    expectState(two, 'closed', 'after one call failed in time (failureThreshold 2): the failure counts once, not again at its timeout',
      'the timer of a call that already settled must not count anything');
    // An action that returns or throws at once has settled before any timer: no timeout may count later.
    const sync = rig({ failureThreshold: 2, timeout: 100 });
    const thrown = new Error('thrown at once');
    const threw = fire(sync, throwing(thrown), 'a call whose action throws at once');
    await drain();
    const returned = fire(sync, () => 'at once', 'a call whose action returns a value at once');
    await drain();
    const threwAgain = fire(sync, throwing(thrown), 'a second call whose action throws at once');
    await drain();
    expectRejectedWith(threw, thrown, 'a call whose action throws at once (timeout 100)');
    check(valueNow(returned, 'a call whose action returns a value at once (timeout 100)') === 'at once', {
      expected: 'it to resolve with "at once"',
      received: show(returned.outcome),
    });
    expectRejectedWith(threwAgain, thrown, 'a second call whose action throws at once (timeout 100)');
    await advance(500);
    expectState(sync, 'closed', '500 ms after a throw, a plain value and a throw, each settling at once (failureThreshold 2, timeout 100)',
      'a synchronous throw or a plain return value has already settled the call: clear its timeout timer too, or it counts a failure 100 ms later');
  });
});

task('onStateChange', () => {
  behaviour('reports every transition once, in order, as (to, from)', async () => {
    const calls: [unknown, unknown][] = [];
    const breaker = new CircuitBreaker((work: Work) => work(), {
      failureThreshold: 1,
      resetTimeout: 100,
      onStateChange: (to: State, from: State) => calls.push([to, from]),
    });
    const r: Rig = { breaker, calls: 0, transitions: [] };
    const seen = () => show(calls);
    const expectCalls = (expected: [State, State][], moment: string) =>
      check(show(calls) === show(expected), {
        expected: `onStateChange to have been called with ${show(expected)} ${moment} (each pair is (to, from))`,
        received: seen(),
        hint: 'call onStateChange(to, from) once per change of state, new state first',
      });
    fire(r, rejectWith(new Error('failure')), 'a failing call');
    await drain();
    expectCalls([['open', 'closed']], 'after the first failure (failureThreshold 1)');
    await advance(100);
    readState(r);
    expectCalls([['open', 'closed'], ['half-open', 'open']], 'after resetTimeout, once state was read');
    fire(r, rejectWith(new Error('trial failure')), 'a failing trial');
    await drain();
    expectCalls([['open', 'closed'], ['half-open', 'open'], ['open', 'half-open']], 'after a failed trial');
    await advance(100);
    readState(r);
    fire(r, succeed(), 'a successful trial');
    await drain();
    expectCalls(
      [['open', 'closed'], ['half-open', 'open'], ['open', 'half-open'], ['half-open', 'open'], ['closed', 'half-open']],
      'after a failed trial, then a successful one',
    );

    // A listener may read breaker.state: that read must not change the transitions reported, nor throw.
    const reported: string[] = [];
    let listenerError: { error: unknown } | undefined;
    const reading: Rig = { breaker: undefined as unknown as Rig['breaker'], calls: 0, transitions: [] };
    reading.breaker = new CircuitBreaker<[Work], unknown>((work: Work) => work(), {
      failureThreshold: 1,
      resetTimeout: 100,
      onStateChange: (to: State, from: State) => {
        reported.push(`${from} → ${to}`);
        if (reported.length > 20) return;
        try {
          void reading.breaker.state;
        } catch (error) {
          listenerError ??= { error };
        }
      },
    });
    fire(reading, rejectWith(new Error('failure')), 'a failing call (the listener reads state)');
    await drain();
    await advance(100);
    readState(reading);
    check(listenerError === undefined, {
      expected: 'reading breaker.state from inside onStateChange to give the state',
      received: `it threw ${show(listenerError?.error)}`,
      hint: 'update the state before calling onStateChange, so a listener that reads breaker.state does not start the same transition again',
    });
    check(show(reported) === show(['closed → open', 'open → half-open']), {
      expected: 'with a listener that reads breaker.state, onStateChange to report closed → open, then open → half-open, once each',
      received: show(reported.slice(0, 6)) + (reported.length > 6 ? ` (${reported.length} calls in all)` : ''),
      hint: 'update the state before calling onStateChange, so a listener that reads breaker.state does not start the same transition again',
    });
  }, { points: 2 });

  behaviour('is not called when nothing changes', async () => {
    const r = rig({ failureThreshold: 3, resetTimeout: 100 });
    for (const work of [succeed(), succeed(), rejectWith(new Error('1')), rejectWith(new Error('2')), succeed()]) {
      fire(r, work, 'a call while closed');
      await drain();
    }
    expectTransitions(r, [], 'after successes and 2 failures in a row (failureThreshold 3)',
      'a success while closed is not a transition: do not report closed → closed');
    await failTimes(r, 3);
    await failTimes(r, 2, 'a call while open');
    await advance(99);
    readState(r);
    expectTransitions(r, ['closed → open'], 'after the circuit opened and refused 2 calls',
      'a refused call while open is not a transition: do not report open → open');
    await advance(1);
    for (let i = 0; i < 3; i++) readState(r);
    await advance(500);
    readState(r);
    expectTransitions(r, ['closed → open', 'open → half-open'], 'after resetTimeout, with state read several times',
      'report the move to half-open once, however often state is read');
    const trial = held();
    fire(r, trial.work, 'the trial');
    await failTimes(r, 2, 'a call while the trial runs');
    trial.gate.resolve('ok');
    await drain();
    fire(r, succeed(), 'a call after closing');
    await drain();
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → closed'], 'after the trial succeeded and one more call',
      'refused calls during the trial and successes after closing are not transitions');
  });

  behaviour('reports the move to half-open no later than the next fire', async () => {
    const r = rig({ failureThreshold: 1, resetTimeout: 100 });
    await openCircuit(r, 1);
    await advance(100);
    // No read of `state`: the trial itself must bring the report.
    const trial = held();
    fire(r, trial.work, 'the trial call');
    await drain();
    expectTransitions(r, ['closed → open', 'open → half-open'], 'once the trial call has started, without any read of state',
      'if you work half-open out lazily, report the change wherever you work it out: in fire as well as in the state getter');
    trial.gate.reject(new Error('trial failed'));
    await drain();
    await advance(100);
    fire(r, succeed(), 'the second trial call');
    await drain();
    expectTransitions(r, ['closed → open', 'open → half-open', 'half-open → open', 'open → half-open', 'half-open → closed'],
      'after a failed trial and, resetTimeout later, a successful one (state never read)');
  });
});

/** The contract, as a model: what state a breaker must be in, given its history. */
interface Model {
  state: State;
  failures: number;
  openedAt: number;
  transitions: string[];
}

function modelMove(model: Model, to: State): void {
  model.transitions.push(`${model.state} → ${to}`);
  model.state = to;
}

function modelTick(model: Model, now: number, resetTimeout: number): void {
  if (model.state === 'open' && now - model.openedAt >= resetTimeout) modelMove(model, 'half-open');
}

function modelOutcome(model: Model, counted: boolean, now: number, threshold: number): void {
  if (model.state === 'half-open') {
    if (counted) {
      modelMove(model, 'open');
      model.openedAt = now;
    } else {
      modelMove(model, 'closed');
      model.failures = 0;
    }
  } else if (!counted) {
    model.failures = 0;
  } else if (++model.failures >= threshold) {
    modelMove(model, 'open');
    model.openedAt = now;
  }
}

const REPLAY =
  'replay the last steps by hand: failures in a row open the circuit at the moment the last one settles, half-open comes exactly resetTimeout ms after that, and only the trial decides what happens next';

task('the rules together', () => {
  behaviour('follows the rules through long seeded sequences of calls, failures and timeouts', async () => {
    for (let seed = 400; seed < 424; seed++) {
      const random = seededRandom(seed);
      const threshold = randomInt(random, 1, 4);
      const resetTimeout = randomInt(random, 20, 300);
      const timeout = seed % 2 === 0 ? randomInt(random, 60, 200) : false;
      class CallerError extends Error {}
      const r = rig({ failureThreshold: threshold, resetTimeout, timeout, errorFilter: (e) => e instanceof CallerError });
      const start = fakeNow();
      const now = () => fakeNow() - start;
      const model: Model = { state: 'closed', failures: 0, openedAt: 0, transitions: [] };
      const history: string[] = [];
      const setting = `failureThreshold ${threshold}, resetTimeout ${resetTimeout}, timeout ${show(timeout)}`;
      const context = () => `(${setting}; the last steps: ${history.slice(-6).join('; ')})`;

      for (let step = 0; step < 40; step++) {
        // Move the clock, often to the very edge of the open period.
        const untilHalfOpen = model.openedAt + resetTimeout - now();
        const roll = random();
        const wait = model.state === 'open' && untilHalfOpen > 0 && roll < 0.5
          ? untilHalfOpen - (roll < 0.25 ? 1 : 0)
          : randomInt(random, 0, resetTimeout);
        await advance(wait);
        modelTick(model, now(), resetTimeout);
        const state = readState(r);
        check(state === model.state, {
          expected: `state ${show(model.state)} at ${now()} ms ${context()}`,
          received: show(state),
          hint: REPLAY,
        });
        check(show(r.transitions) === show(model.transitions), {
          expected: `onStateChange calls ${show(model.transitions)} by ${now()} ms ${context()}`,
          received: show(r.transitions),
          hint: REPLAY,
        });

        const kinds = timeout === false ? ['ok', 'fail', 'throw', 'filtered'] : ['ok', 'fail', 'throw', 'filtered', 'hang'];
        const kind = kinds[randomInt(random, 0, kinds.length - 1)]!;
        const duration = kind === 'throw' || random() < 0.4 ? 0 : randomInt(random, 1, 50);
        const error = kind === 'filtered' ? new CallerError(`caller error ${step}`) : new Error(`failure ${step}`);
        history.push(`at ${now()} ms a call that ${kind === 'ok' ? 'succeeds' : kind === 'fail' ? 'rejects' : kind === 'throw' ? 'throws' : kind === 'filtered' ? 'rejects with an error errorFilter accepts' : 'hangs'}${duration > 0 && kind !== 'hang' ? ` after ${duration} ms` : ''}`);
        const pending = held();
        const before = r.calls;
        const result = fire(r, kind === 'throw' ? throwing(error) : pending.work, 'a call');
        await drain();
        if (model.state === 'open') {
          expectRefused(r, result, before, `a call at ${now()} ms while the circuit is open ${context()}`);
          history[history.length - 1] += ' (refused)';
          continue;
        }
        check(r.calls === before + 1, {
          expected: `a call at ${now()} ms to reach the action (the state is ${model.state}) ${context()}`,
          received: 'the action was not called',
          hint: REPLAY,
        });
        if (model.state === 'half-open') {
          // The trial runs: another call now is refused.
          const extra = fire(r, succeed(), 'a call during the trial');
          await drain();
          expectRefused(r, extra, before + 1, `a second call at ${now()} ms while the half-open trial runs ${context()}`);
        }
        if (kind === 'hang') {
          await advance(timeout as number);
          expectTimedOut(result, `a call that hangs, after ${show(timeout)} ms ${context()}`);
          modelOutcome(model, true, now(), threshold);
          pending.gate.resolve('too late'); // a late success changes nothing
          await drain();
        } else {
          if (duration > 0) await advance(duration);
          if (kind === 'ok') pending.gate.resolve(step);
          else if (kind !== 'throw') pending.gate.reject(error);
          await drain();
          if (kind === 'ok') {
            check(valueNow(result, `a call that succeeds ${context()}`) === step, {
              expected: `the call to resolve with ${step} ${context()}`,
              received: show(result.outcome),
            });
          } else {
            expectRejectedWith(result, error, `a call that ${kind === 'throw' ? 'throws' : 'rejects'} ${context()}`);
          }
          modelOutcome(model, kind === 'fail' || kind === 'throw', now(), threshold);
        }
        const after = readState(r);
        check(after === model.state, {
          expected: `state ${show(model.state)} right after that call settled at ${now()} ms ${context()}`,
          received: show(after),
          hint: REPLAY,
        });
      }
    }
  }, { points: 2 });

  behaviour('keeps hundreds of overlapping calls apart: each admitted call runs once and in order, settles with its own outcome, and the state follows the rules', async () => {
    // 3 × 300 steps: about 400 calls (fired, settled on time or late, timed out, refused) among 900 operations.
    for (const seed of [901, 902, 903]) {
      const random = seededRandom(seed);
      const threshold = randomInt(random, 1, 4);
      const resetTimeout = randomInt(random, 5, 80);
      const timeout = seed === 903 ? false : randomInt(random, 20, 120);
      class CallerError extends Error {}
      const r = rig({ failureThreshold: threshold, resetTimeout, timeout, errorFilter: (e) => e instanceof CallerError });
      const start = fakeNow();
      const now = () => fakeNow() - start;
      // The model: like the sequential one, plus a generation bumped on every transition; an outcome counts only
      // when the call started in the current generation (the contract's "calls that were already running").
      const model = { state: 'closed' as State, failures: 0, openedAt: 0, gen: 0, trialRunning: false, transitions: [] as string[] };
      const move = (to: State, at: number) => {
        model.transitions.push(`${model.state} → ${to}`);
        model.state = to;
        model.gen++;
        model.trialRunning = false;
        if (to === 'open') model.openedAt = at;
        if (to === 'closed') model.failures = 0;
      };
      const tick = (at: number) => {
        if (model.state === 'open' && at - model.openedAt >= resetTimeout) move('half-open', at);
      };
      interface Call {
        id: number;
        gen: number;
        deadline: number;
        result: Tracked<unknown>;
        gate: Gate<unknown> | undefined;
        /** What the caller must get, once known: a value, that very error, or a TimeoutError. */
        expect: { kind: 'pending' } | { kind: 'refused' } | { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };
      }
      const outcome = (call: Call, counted: boolean, at: number) => {
        if (call.gen !== model.gen) return; // started before the last transition: changes nothing
        if (model.state === 'half-open') move(counted ? 'open' : 'closed', at);
        else if (!counted) model.failures = 0;
        else if (++model.failures >= threshold) move('open', at);
      };
      const calls: Call[] = [];
      const admitted: number[] = [];
      const invoked: number[] = [];
      const history: string[] = [];
      const setting = `failureThreshold ${threshold}, resetTimeout ${resetTimeout}, timeout ${show(timeout)}`;
      const context = () => `(${setting}; call ${calls.length} so far; the last steps: ${history.slice(-6).join('; ')})`;
      const hint = 'replay the last steps by hand: each call\'s outcome counts only if no transition happened since it started; a timeout is a counted failure at exactly timeout ms; half-open comes exactly resetTimeout ms after opening, and only its one trial decides what comes next';
      const checkCall = (call: Call, what: string) => {
        const { expect } = call;
        if (expect.kind === 'value') {
          const value = valueNow(call.result, `${what} ${context()}`);
          check(value === expect.value, {
            expected: `${what} to resolve with its own value ${show(expect.value)} ${context()}`,
            received: show(value),
            hint: 'every call settles with the outcome of its own action: never another call\'s, never twice',
          });
        } else if (expect.kind === 'error') {
          expectRejectedWith(call.result, expect.error, `${what} ${context()}`);
        } else if (expect.kind === 'timeout') {
          expectTimedOut(call.result, `${what}, ${show(timeout)} ms after it started ${context()}`);
        } else if (expect.kind === 'refused') {
          const reason = reasonNow(call.result, `${what} (refused) ${context()}`);
          check(reason instanceof CircuitOpenError, {
            expected: `${what} to stay rejected with a CircuitOpenError ${context()}`,
            received: describeError(reason),
          });
        }
      };
      const held = () => calls.filter((c) => c.gate !== undefined);

      for (let step = 0; step < 300; step++) {
        const roll = random();
        const waiting = held();
        if (roll < 0.45 && waiting.length < 12) {
          // Fire a new call.
          tick(now());
          const id = calls.length + 1;
          const kindRoll = random();
          const kind = kindRoll < 0.6 ? 'held' : kindRoll < 0.7 ? 'thenable' : kindRoll < 0.85 ? 'value' : 'throw';
          const error = random() < 0.3 ? new CallerError(`caller error ${id}`) : new Error(`failure ${id}`);
          const g = kind === 'held' || kind === 'thenable' ? gate<unknown>() : undefined;
          const work: Work = () => {
            invoked.push(id);
            if (kind === 'value') return `value ${id}`;
            if (kind === 'throw') throw error;
            if (kind === 'thenable') return { then: (res: (v: unknown) => void, rej: (e: unknown) => void) => g!.promise.then(res, rej) };
            return g!.promise;
          };
          const before = r.calls;
          const result = fire(r, work, `call ${id}`);
          const call: Call = { id, gen: model.gen, deadline: timeout === false ? Infinity : now() + timeout, result, gate: g, expect: { kind: 'pending' } };
          calls.push(call);
          history.push(`at ${now()} ms call ${id} (${kind === 'held' ? 'pending' : kind === 'thenable' ? 'a pending thenable' : kind === 'value' ? 'returns a value' : error instanceof CallerError ? 'throws an error errorFilter accepts' : 'throws'})`);
          await drain();
          if (model.state === 'open' || (model.state === 'half-open' && model.trialRunning)) {
            call.gate = undefined;
            call.expect = { kind: 'refused' };
            history[history.length - 1] += ' refused';
            expectRefused(r, result, before, `call ${id} at ${now()} ms, while the circuit is ${model.state === 'open' ? 'open' : 'half-open with the trial running'} ${context()}`);
            continue;
          }
          if (model.state === 'half-open') model.trialRunning = true;
          admitted.push(id);
          check(r.calls === before + 1, {
            expected: `call ${id} at ${now()} ms to reach the action once (the state is ${model.state}) ${context()}`,
            received: r.calls === before ? 'the action was not called' : `the action was called ${r.calls - before} times`,
            hint,
          });
          if (kind === 'value') {
            call.expect = { kind: 'value', value: `value ${id}` };
            outcome(call, false, now());
          } else if (kind === 'throw') {
            call.expect = { kind: 'error', error };
            outcome(call, !(error instanceof CallerError), now());
          }
          checkCall(call, `call ${id}`);
        } else if (roll < 0.8 && waiting.length > 0) {
          // Settle one pending action: on time, or late after its timeout.
          const call = waiting[randomInt(random, 0, waiting.length - 1)]!;
          const g = call.gate!;
          call.gate = undefined;
          const how = random();
          const error = how < 0.85 ? new Error(`failure ${call.id}`) : new CallerError(`caller error ${call.id}`);
          const late = call.expect.kind === 'timeout';
          history.push(`at ${now()} ms call ${call.id} ${how < 0.5 ? 'resolves' : how < 0.85 ? 'rejects' : 'rejects with an error errorFilter accepts'}${late ? ' (after its timeout)' : ''}`);
          if (how < 0.5) g.resolve(`value ${call.id}`);
          else g.reject(error);
          await drain();
          if (!late) {
            call.expect = how < 0.5 ? { kind: 'value', value: `value ${call.id}` } : { kind: 'error', error };
            outcome(call, how >= 0.5 && how < 0.85, now());
          }
          checkCall(call, `call ${call.id}`);
        } else {
          // Move the clock: often to the edge of the open period or to the next timeout.
          const untilHalfOpen = model.openedAt + resetTimeout - now();
          const deadlines = calls.filter((c) => c.expect.kind === 'pending' && c.deadline !== Infinity).map((c) => c.deadline - now());
          const edge = random();
          let wait = randomInt(random, 1, 40);
          if (model.state === 'open' && edge < 0.4) wait = untilHalfOpen - (edge < 0.2 ? 1 : 0);
          else if (deadlines.length > 0 && edge < 0.6) wait = Math.min(...deadlines) - (edge < 0.5 ? 1 : 0);
          wait = Math.max(wait, 1);
          const target = now() + wait;
          // The model, event by event: timeouts in order, and the move to half-open.
          for (;;) {
            const due = calls.filter((c) => c.expect.kind === 'pending' && c.deadline <= target).sort((x, y) => x.deadline - y.deadline || x.id - y.id)[0];
            const halfOpenAt = model.state === 'open' ? model.openedAt + resetTimeout : Infinity;
            if (halfOpenAt <= target && (due === undefined || halfOpenAt <= due.deadline)) {
              tick(halfOpenAt);
            } else if (due !== undefined) {
              due.expect = { kind: 'timeout' };
              outcome(due, true, due.deadline);
            } else {
              break;
            }
          }
          history.push(`the clock moves ${wait} ms to ${target} ms`);
          const timedOut = calls.filter((c) => c.expect.kind === 'timeout' && c.deadline > now() && c.deadline <= target);
          await advance(wait);
          for (const call of timedOut) checkCall(call, `call ${call.id}`);
        }
        tick(now());
        const state = readState(r);
        check(state === model.state, {
          expected: `state ${show(model.state)} at ${now()} ms ${context()}`,
          received: show(state),
          hint,
        });
        check(show(r.transitions) === show(model.transitions), {
          expected: `onStateChange calls ${show(model.transitions.slice(-4))} as the last ones, ${model.transitions.length} in all, by ${now()} ms ${context()}`,
          received: `${show(r.transitions.slice(-4))} as the last ones, ${r.transitions.length} in all`,
          hint,
        });
      }

      // Let everything finish, then account for every call.
      for (const call of held()) {
        call.gate!.resolve(`value ${call.id}`);
        call.gate = undefined;
        if (call.expect.kind === 'pending') {
          call.expect = { kind: 'value', value: `value ${call.id}` };
          outcome(call, false, now());
        }
      }
      await drain();
      for (const call of calls) checkCall(call, `call ${call.id}, at the end`);
      check(show(invoked) === show(admitted), {
        expected: `the action to have run once for each of the ${admitted.length} admitted calls, in the order fire was called ${context()}`,
        received: invoked.length === admitted.length
          ? 'the same calls in another order'
          : `${invoked.length} runs of the action`,
        hint: 'call the action exactly once for every call fire lets through, as soon as it is let through; never for a refused call',
      });
    }
  }, { points: 2 });
});
