/**
 * Hidden suite — pool (contract: ../shared/spec/pool.md).
 *
 * Every behaviour runs on a fake clock and observes the learner's code only
 * after `drain()` (all microtasks run, no timer fired), so nothing here
 * depends on how many microtasks an implementation takes. The long
 * behaviours (a queue of 2,000 calls, 1,000 random steps compared with a
 * model of the contract, 1,200 mapped items) draw from seededRandom, so they
 * are the same on every run.
 */
import type * as Contract from '@impl/01-pool/pool.ts';
import {
  advance,
  advanceStepwise,
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
  randomInt,
  rejectionReason,
  seededRandom,
  show,
  task,
  track,
  type Gate,
  type Tracked,
} from '@grader/harness';

const { createLimiter, mapLimit } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/01-pool/pool.ts'),
  exports: { createLimiter: 'function', mapLimit: 'function' },
});

const INVALID_CONCURRENCY: unknown[] = [0, -1, 1.5, NaN, -Infinity, '2', true, undefined, null];

/** Tasks whose start and end the suite controls and watches. */
function taskBoard() {
  const started: number[] = [];
  const gates = new Map<number, Gate<string>>();
  let active = 0;
  let maxActive = 0;
  // The suite finishes calls by number; a call the limiter never started is the learner's bug, said plainly.
  const gateOf = (id: number): Gate<string> => {
    const g = gates.get(id);
    if (g) return g;
    return fail({
      expected: `call ${id + 1} to be running by now (calls made so far started in order: ${show(started.map((n) => n + 1))})`,
      received: `call ${id + 1} had not started`,
      hint: 'start waiting calls in the order limit() was called, as soon as a slot is free',
    });
  };
  const run = (id: number): Promise<string> => {
    started.push(id);
    active++;
    maxActive = Math.max(maxActive, active);
    const g = gate<string>();
    gates.set(id, g);
    return g.promise.finally(() => {
      active--;
    });
  };
  return {
    run,
    started,
    gates,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    finish(id: number) {
      gateOf(id).resolve(`result ${id}`);
    },
    failTask(id: number, error: unknown) {
      gateOf(id).reject(error);
    },
  };
}

interface ScheduleReport {
  concurrency: number;
  calls: number;
  maxActive: number;
  started: number[];
  /** A moment where fewer calls ran than could have: "running r of c allowed with w waiting". */
  stall?: string;
  results: Tracked<string>[];
  errors: Map<number, Error>;
}

/**
 * A seeded random schedule: calls finish (or fail) in a random order, and
 * after every step the suite checks how many run. The same seed gives the
 * same schedule on every run.
 */
async function randomSchedule(seed: number): Promise<ScheduleReport> {
  const random = seededRandom(seed);
  const concurrency = randomInt(random, 1, 4);
  const calls = randomInt(random, 1, 14);
  const limit = createLimiter(concurrency);
  const board = taskBoard();
  const results = Array.from({ length: calls }, (_, id) => track(limit(board.run, id)));
  const errors = new Map<number, Error>();
  const finished = new Set<number>();
  let stall: string | undefined;
  await drain();
  while (finished.size < calls) {
    const running = board.started.filter((id) => !finished.has(id));
    const expected = Math.min(concurrency, calls - finished.size);
    if (running.length < expected && stall === undefined) {
      stall = `${running.length} running while ${expected} could (concurrency ${concurrency}, ${calls - finished.size - running.length} waiting, ${finished.size} finished)`;
    }
    if (running.length === 0) break;
    const id = running[randomInt(random, 0, running.length - 1)]!;
    if (random() < 0.25) {
      const error = new Error(`task ${id} failed`);
      errors.set(id, error);
      board.failTask(id, error);
    } else {
      board.finish(id);
    }
    finished.add(id);
    await drain();
  }
  return { concurrency, calls, maxActive: board.maxActive, started: board.started, stall, results, errors };
}

const SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);

task('createLimiter', () => {
  behaviour('throws a TypeError for a concurrency that is not a whole number from 1 up, or Infinity', () => {
    for (const value of INVALID_CONCURRENCY) {
      const result = attempt(() => createLimiter(value as number));
      check(result.threw && result.error instanceof TypeError, {
        expected: `createLimiter(${show(value)}) to throw a TypeError`,
        received: result.threw ? `it threw ${show(result.error)}` : 'it returned a limiter',
        hint: 'valid values are integers of at least 1, and Infinity; check with Number.isInteger',
      });
    }
    for (const value of [1, 3, Infinity]) {
      const result = attempt(() => createLimiter(value));
      check(!result.threw, {
        expected: `createLimiter(${show(value)}) to return a limiter`,
        received: `it threw ${result.threw ? show(result.error) : ''}`,
      });
    }
  });

  behaviour('the concurrency setter throws a TypeError for invalid values and accepts valid ones', async () => {
    const limit = createLimiter(2);
    for (const value of INVALID_CONCURRENCY) {
      const result = attempt(() => {
        limit.concurrency = value as number;
      });
      check(result.threw && result.error instanceof TypeError, {
        expected: `setting limit.concurrency = ${show(value)} to throw a TypeError`,
        received: result.threw ? `it threw ${show(result.error)}` : 'it was accepted',
        hint: 'the setter validates exactly like createLimiter does',
      });
      check(limit.concurrency === 2, {
        expected: `limit.concurrency still to be 2 after the refused value ${show(value)}`,
        received: show(limit.concurrency),
        hint: 'validate before you assign: a refused value must not replace the current one',
      });
    }
    const stillWorks = track(limit(() => 'still works'));
    await drain();
    fulfilledValue(stillWorks, 'a call made after refused concurrency values');
    for (const value of [5, Infinity, 1]) {
      limit.concurrency = value;
      check(limit.concurrency === value, {
        expected: `limit.concurrency to read ${show(value)} after setting it`,
        received: show(limit.concurrency),
      });
    }
  });

  behaviour("resolves with fn's result, whether fn returns a plain value or a promise", async () => {
    const limit = createLimiter(2);
    const plain = track(limit(() => 42));
    const promised = track(limit(async () => 'async value'));
    const thenable = track(
      limit(() => ({ then: (resolve: (v: string) => void) => resolve('thenable value') }) as PromiseLike<string>),
    );
    assertPromise(plain, 'limit(fn)');
    await drain();
    const cases: [Tracked<unknown>, unknown, string][] = [
      [plain, 42, 'limit(() => 42)'],
      [promised, 'async value', "limit(async () => 'async value')"],
      [thenable, 'thenable value', 'limit(fn) where fn returns a thenable'],
    ];
    for (const [tracked, expected, what] of cases) {
      const value = fulfilledValue(tracked, what);
      check(value === expected, { expected: `${what} to resolve with ${show(expected)}`, received: show(value) });
    }
  });

  behaviour('calls fn with the arguments given after it', async () => {
    const limit = createLimiter(1);
    const options = { retries: 3 };
    let seen: unknown[] | undefined;
    const result = track(
      limit(
        (a: number, b: string, c: object) => {
          seen = [a, b, c];
          return 'done';
        },
        1,
        'two',
        options,
      ),
    );
    await drain();
    fulfilledValue(result, "limit(fn, 1, 'two', options)");
    check(seen !== undefined && seen[0] === 1 && seen[1] === 'two' && seen[2] === options, {
      expected: "fn to be called with (1, 'two', options), the same options object",
      received: seen === undefined ? 'fn was never called' : `fn was called with ${show(seen)}`,
      hint: 'collect the arguments with ...args and call fn(...args)',
    });
    // Any number of arguments, none included: all of them reach fn, in order, and no extra ones.
    const many = [1, 'two', options, null, undefined, 6, [7]] as const;
    for (const args of [[] as unknown[], [...many]]) {
      let received: unknown[] | undefined;
      const call = track(
        createLimiter(1)((...got: unknown[]) => {
          received = got;
          return got.length;
        }, ...args),
      );
      await drain();
      fulfilledValue(call, `limit(fn) with ${args.length} argument(s) after fn`);
      const same = received !== undefined && received.length === args.length && args.every((arg, i) => received![i] === arg);
      check(same, {
        expected: `fn to be called with exactly the ${args.length} argument(s) given after it: (${args.map((arg) => show(arg)).join(', ')})`,
        received: received === undefined ? 'fn was never called' : `fn was called with ${received.length} argument(s): (${received.map((arg) => show(arg)).join(', ')})`,
        hint: 'pass every argument along with fn(...args): not a fixed number of them, and nothing added',
      });
    }
  });

  behaviour('rejects with the very error fn throws or rejects with, and never throws from limit()', async () => {
    const limit = createLimiter(1);
    const thrown = new Error('thrown synchronously');
    const rejected = new Error('rejected');
    const call = attempt(() =>
      limit(() => {
        throw thrown;
      }),
    );
    if (call.threw) {
      fail({
        expected: 'limit(fn) to return a promise even when fn throws',
        received: `limit(fn) itself threw ${show(call.error)}`,
        hint: 'a synchronous throw from fn must become a rejection of the promise limit returned',
      });
    }
    const syncThrow = track(call.value as Promise<unknown>);
    const asyncReject = track(limit(() => Promise.reject(rejected)));
    // Not every rejection is an Error: it must still come through as it is.
    const stringReject = track(limit(() => Promise.reject('busy')));
    const undefinedReject = track(limit(() => Promise.reject(undefined)));
    await drain();
    for (const [tracked, error, what] of [
      [syncThrow, thrown, 'limit(fn) where fn throws'],
      [asyncReject, rejected, 'limit(fn) where fn rejects'],
      [stringReject, 'busy', "limit(fn) where fn rejects with the string 'busy'"],
      [undefinedReject, undefined, 'limit(fn) where fn rejects with undefined'],
    ] as const) {
      const reason = rejectionReason(tracked, what);
      check(reason === error, {
        expected: `${what} to reject with that same error object`,
        received: `it rejected with ${show(reason)}${reason instanceof Error ? ' (a different object)' : ''}`,
        hint: 'pass the error through untouched: no wrapping, no new Error(...)',
      });
    }
  });

  behaviour('never calls fn inside limit() itself, but starts it before any timer fires', async () => {
    const limit = createLimiter(3);
    let calls = 0;
    const result = track(limit(() => ++calls));
    check(calls === 0, {
      expected: 'fn not to have been called yet when limit() returns, even with a free slot',
      received: 'fn ran synchronously inside limit()',
      hint: 'start fn from a microtask (queueMicrotask, or after an await) so callers always see the same order ("don\'t release Zalgo")',
    });
    await drain();
    check(calls === 1, {
      expected: 'fn to have started before any timer fires (a microtask later is fine)',
      received: calls === 0 ? 'fn had not started: it waits for a timer (setTimeout or setImmediate)' : `fn was called ${calls} times`,
      hint: 'use queueMicrotask or a resolved promise to defer the start, not setTimeout',
    });
    fulfilledValue(result, 'limit(fn)');
  }, { points: 2 });

  behaviour('never runs more than `concurrency` calls at once', async () => {
    for (const seed of SEEDS) {
      const report = await randomSchedule(seed);
      check(report.maxActive <= report.concurrency, {
        expected: `at most ${report.concurrency} calls running at the same time (concurrency ${report.concurrency}, ${report.calls} calls)`,
        received: `${report.maxActive} calls were running at the same time`,
        hint: 'count a call as running from when fn starts until its promise settles, and only start one while that count is below the limit',
      });
    }
    // Durations on the clock, finishing out of order.
    const limit = createLimiter(2);
    let active = 0;
    let maxActive = 0;
    const durations = [30, 10, 50, 20, 10, 40, 10];
    const results = durations.map((ms, i) =>
      track(
        limit(
          () =>
            new Promise<number>((resolve) => {
              active++;
              maxActive = Math.max(maxActive, active);
              setTimeout(() => {
                active--;
                resolve(i);
              }, ms);
            }),
        ),
      ),
    );
    await advanceStepwise(200);
    results.forEach((r, i) => fulfilledValue(r, `call ${i + 1} of ${durations.length}`));
    check(maxActive === 2, {
      expected: 'exactly 2 calls running at once at the busiest moment (concurrency 2, 7 timed calls)',
      received: `${maxActive} at the busiest moment`,
    });
    // fn may return any thenable, not only a native promise: it holds its slot until it settles too.
    const single = createLimiter(1);
    let running = 0;
    let mostRunning = 0;
    const thenableTask = (value: number): PromiseLike<number> => ({
      then(onFulfilled) {
        running++;
        mostRunning = Math.max(mostRunning, running);
        setTimeout(() => {
          running--;
          onFulfilled?.(value);
        }, 10);
        return undefined as never;
      },
    });
    const fromThenables = [1, 2, 3].map((value) => track(single(() => thenableTask(value))));
    await advanceStepwise(60);
    fromThenables.forEach((r, i) => fulfilledValue(r, `call ${i + 1} whose fn returns a thenable`));
    check(mostRunning === 1, {
      expected: 'one call at a time with concurrency 1, when fn returns a thenable (an object with a then method)',
      received: `${mostRunning} ran at once`,
      hint: 'wait for whatever fn returns with await or Promise.resolve(...), not only for instances of Promise',
    });
  }, { points: 2 });

  behaviour('starts waiting calls in the order limit() was called (first in, first out)', async () => {
    for (const seed of SEEDS) {
      const report = await randomSchedule(seed);
      const inOrder = report.started.every((id, position) => id === position);
      check(inOrder, {
        expected: `calls to start in the order they were made: ${show(report.started.map((_, i) => i + 1))}`,
        received: `they started in the order ${show(report.started.map((id) => id + 1))} (concurrency ${report.concurrency})`,
        hint: 'take the next call from the front of the queue (shift), not the back (pop)',
      });
    }
  });

  behaviour('when a call settles, the next waiting call starts before any timer fires', async () => {
    const limit = createLimiter(1);
    const board = taskBoard();
    const results = [0, 1, 2].map((id) => track(limit(board.run, id)));
    await drain();
    board.finish(0);
    await drain();
    check(board.started.length === 2, {
      expected: 'the second call to start as soon as the first one resolved (before any timer fires)',
      received: board.started.length < 2 ? 'it had not started yet' : `${board.started.length} calls had started`,
      hint: 'start the next waiting call right where a running one settles, not from a timer',
    });
    board.failTask(1, new Error('second failed'));
    await drain();
    check(board.started.length === 3, {
      expected: 'the third call to start as soon as the second one rejected',
      received: board.started.length < 3 ? 'it had not started yet' : `${board.started.length} calls had started`,
    });
    board.finish(2);
    await drain();
    fulfilledValue(results[2]!, 'the third call');
  });

  behaviour('a call that fails frees its slot, so the queue never stalls', async () => {
    for (const seed of SEEDS) {
      const report = await randomSchedule(seed);
      check(report.stall === undefined, {
        expected: 'as many calls running as the limit allows after every call settles, failed ones included',
        received: `at one point ${report.stall}`,
        hint: 'free the slot in a finally (or in both the fulfilled and rejected paths), then start the next waiting call',
      });
      report.results.forEach((tracked, id) => {
        const error = report.errors.get(id);
        const what = `call ${id + 1} of ${report.calls}`;
        if (error) {
          const reason = rejectionReason(tracked, what);
          check(reason === error, { expected: `${what} to reject with its own error`, received: show(reason) });
        } else {
          const value = fulfilledValue(tracked, what);
          check(value === `result ${id}`, { expected: `${what} to resolve with "result ${id}"`, received: show(value) });
        }
      });
    }
    // A synchronous throw frees the slot too.
    const limit = createLimiter(1);
    const first = track(
      limit(() => {
        throw new Error('sync failure');
      }),
    );
    const second = track(limit(() => 'second'));
    await drain();
    rejectionReason(first, 'a call whose fn throws');
    const value = fulfilledValue(second, 'the call queued behind a call whose fn throws');
    check(value === 'second', { expected: 'the queued call to resolve with "second"', received: show(value) });
  }, { points: 2 });

  behaviour('activeCount and pendingCount are accurate between steps', async () => {
    const limit = createLimiter(2);
    const board = taskBoard();
    [0, 1, 2, 3, 4].forEach((id) => track(limit(board.run, id)));
    const expectCounts = async (active: number, pending: number, moment: string) => {
      await drain();
      check(limit.activeCount === active && limit.pendingCount === pending, {
        expected: `activeCount ${active} and pendingCount ${pending} ${moment}`,
        received: `activeCount ${show(limit.activeCount)} and pendingCount ${show(limit.pendingCount)}`,
        hint: 'activeCount: started and not yet settled; pendingCount: waiting for a slot',
      });
    };
    await expectCounts(2, 3, 'with 5 calls made and concurrency 2');
    board.finish(0);
    await expectCounts(2, 2, 'after the first call finished');
    board.failTask(1, new Error('failed'));
    await expectCounts(2, 1, 'after the second call failed');
    [2, 3].forEach((id) => board.finish(id));
    await expectCounts(1, 0, 'after four calls settled');
    board.finish(4);
    await expectCounts(0, 0, 'once every call settled');
  });

  behaviour('raising concurrency starts waiting calls at once', async () => {
    const limit = createLimiter(1);
    const board = taskBoard();
    [0, 1, 2, 3, 4].forEach((id) => track(limit(board.run, id)));
    await drain();
    limit.concurrency = 3;
    await drain();
    check(board.started.length === 3, {
      expected: '3 calls running right after raising concurrency from 1 to 3 (before any timer fires)',
      received: `${board.started.length} running`,
      hint: 'the setter should start as many waiting calls as the new limit allows',
    });
  });

  behaviour('lowering concurrency lets running calls finish and holds new ones back', async () => {
    const limit = createLimiter(3);
    const board = taskBoard();
    const results = [0, 1, 2, 3, 4].map((id) => track(limit(board.run, id)));
    await drain();
    limit.concurrency = 1;
    board.finish(0);
    await drain();
    check(board.started.length === 3 && limit.activeCount === 2, {
      expected: 'after lowering concurrency from 3 to 1 and one call finishing: the other 2 still running, nothing new started',
      received: `${board.started.length} calls started in all, activeCount ${show(limit.activeCount)}`,
      hint: 'compare the running count with the current limit each time you would start a call',
    });
    board.finish(1);
    await drain();
    check(board.started.length === 3, {
      expected: 'no new call while 1 call is still running and the limit is 1',
      received: `${board.started.length - 3} new call(s) started`,
    });
    board.finish(2);
    await drain();
    check(board.started.length === 4, {
      expected: 'the next call to start once nothing is running (limit 1)',
      received: `${board.started.length} calls started in all`,
    });
    board.finish(3);
    await drain();
    board.finish(4);
    await drain();
    results.forEach((r, i) => fulfilledValue(r, `call ${i + 1}`));
    // Up to Infinity and back down: the new finite limit holds, and calls still start.
    const more = [5, 6, 7, 8, 9, 10].map((id) => track(limit(board.run, id)));
    await drain();
    limit.concurrency = Infinity;
    await drain();
    limit.concurrency = 2;
    [5, 6, 7, 8, 9, 10].forEach((id) => board.finish(id));
    await drain();
    const afterInfinity = [11, 12, 13].map((id) => track(limit(board.run, id)));
    await drain();
    check(board.started.length === 13 && limit.activeCount === 2 && limit.pendingCount === 1, {
      expected: 'after concurrency went from 1 to Infinity and back to 2, every call finished, and 3 new calls: 2 of them running, 1 waiting',
      received: `${board.started.length - 11} of the new calls started, activeCount ${show(limit.activeCount)}, pendingCount ${show(limit.pendingCount)}`,
      hint: 'keep the running count and the limit apart and compare them (running < limit); a balance of free slots updated with newLimit - oldLimit breaks once a limit is Infinity (Infinity - Infinity is NaN)',
    });
    board.finish(11);
    board.finish(12);
    await drain();
    board.finish(13);
    await drain();
    [...more, ...afterInfinity].forEach((r, i) => fulfilledValue(r, `call ${i + 6}`));
  });

  behaviour('clearQueue() rejects every waiting call with an AbortError, and they never run', async () => {
    const limit = createLimiter(1);
    const board = taskBoard();
    const results = [0, 1, 2, 3].map((id) => track(limit(board.run, id)));
    await drain();
    limit.clearQueue();
    await drain();
    for (const id of [1, 2, 3]) {
      const reason = rejectionReason(results[id]!, `waiting call ${id + 1} after clearQueue()`);
      check(reason instanceof Error && reason.name === 'AbortError', {
        expected: 'a waiting call to reject with an error whose name is "AbortError"',
        received: `it rejected with ${show(reason)}`,
        hint: 'const error = new Error("..."); error.name = "AbortError"; then reject each waiting call with one',
      });
    }
    check(limit.pendingCount === 0, {
      expected: 'pendingCount 0 after clearQueue()',
      received: `pendingCount ${show(limit.pendingCount)}`,
    });
    board.finish(0);
    await drain();
    check(board.started.length === 1, {
      expected: 'cleared calls never to run',
      received: `${board.started.length - 1} cleared call(s) ran after the running one finished`,
      hint: 'remove the cleared calls from the queue, not just reject them',
    });
  });

  behaviour('clearQueue() leaves running calls alone, and the limiter keeps working', async () => {
    const limit = createLimiter(2);
    const board = taskBoard();
    const results = [0, 1, 2].map((id) => track(limit(board.run, id)));
    await drain();
    limit.clearQueue();
    await drain();
    check(limit.activeCount === 2, {
      expected: 'the 2 running calls to keep running after clearQueue()',
      received: `activeCount ${show(limit.activeCount)}`,
    });
    board.finish(0);
    board.finish(1);
    await drain();
    for (const id of [0, 1]) {
      const value = fulfilledValue(results[id]!, `running call ${id + 1}, after clearQueue()`);
      check(value === `result ${id}`, { expected: `it to resolve with "result ${id}"`, received: show(value) });
    }
    const later = track(limit(() => 'after clearing'));
    await drain();
    fulfilledValue(later, 'a call made after clearQueue()');
  });

  behaviour('with concurrency Infinity every call starts at once', async () => {
    const limit = createLimiter(Infinity);
    const board = taskBoard();
    for (let id = 0; id < 50; id++) track(limit(board.run, id));
    await drain();
    check(board.started.length === 50, {
      expected: 'all 50 calls running with concurrency Infinity',
      received: `${board.started.length} running`,
    });
  });

  behaviour('calls made after the waiting queue has emptied still start, once each and in order', async () => {
    const limit = createLimiter(2);
    const board = taskBoard();
    const results: Tracked<string>[] = [];
    const call = (id: number) => {
      results[id] = track(limit(board.run, id));
    };
    const expectStarted = async (ids: number[], moment: string) => {
      await drain();
      check(show(board.started) === show(ids), {
        expected: `calls ${show(ids.map((id) => id + 1))} to have started, each once and in that order, ${moment}`,
        received: `the calls that started were ${show(board.started.map((id) => id + 1))}`,
        hint: 'a call made when the queue is empty again must be queued (and started) like any other: check that your queue still works after its last item was taken out (a linked list must reset its tail too, an index-based queue its start index)',
      });
    };
    [0, 1, 2].forEach(call);
    await expectStarted([0, 1], 'with 3 calls made and concurrency 2');
    board.finish(0);
    await expectStarted([0, 1, 2], 'after call 1 finished (the queue is now empty, 2 calls running)');
    [3, 4].forEach(call);
    await expectStarted([0, 1, 2], 'after 2 more calls were made while both slots were busy');
    check(limit.pendingCount === 2 && limit.activeCount === 2, {
      expected: 'activeCount 2 and pendingCount 2 for 2 calls made after the queue had emptied, both slots busy',
      received: `activeCount ${show(limit.activeCount)} and pendingCount ${show(limit.pendingCount)}`,
      hint: 'pendingCount counts the calls waiting right now, however many were queued and taken before',
    });
    board.finish(1);
    await expectStarted([0, 1, 2, 3], 'after call 2 finished');
    board.finish(2);
    await expectStarted([0, 1, 2, 3, 4], 'after call 3 finished');
    board.finish(3);
    board.finish(4);
    await drain();
    check(limit.activeCount === 0 && limit.pendingCount === 0, {
      expected: 'activeCount 0 and pendingCount 0 once every call has settled',
      received: `activeCount ${show(limit.activeCount)} and pendingCount ${show(limit.pendingCount)}`,
    });
    // Idle again: a new call starts at once, the next one too, the third waits.
    [5, 6, 7].forEach(call);
    await expectStarted([0, 1, 2, 3, 4, 5, 6], 'after 3 calls were made to the idle limiter (concurrency 2)');
    board.finish(5);
    await expectStarted([0, 1, 2, 3, 4, 5, 6, 7], 'after call 6 finished');
    board.finish(6);
    board.finish(7);
    await drain();
    results.forEach((tracked, id) => {
      const value = fulfilledValue(tracked, `call ${id + 1}`);
      check(value === `result ${id}`, { expected: `call ${id + 1} to resolve with "result ${id}"`, received: show(value) });
    });
  });

  behaviour('after clearQueue(), new calls wait for a free slot, then start in order and use every slot', async () => {
    const limit = createLimiter(2);
    const board = taskBoard();
    const results: Tracked<string>[] = [];
    const call = (id: number) => {
      results[id] = track(limit(board.run, id));
    };
    const expectState = async (ids: number[], active: number, pending: number, moment: string) => {
      await drain();
      check(show(board.started) === show(ids) && limit.activeCount === active && limit.pendingCount === pending, {
        expected: `calls ${show(ids.map((id) => id + 1))} started (in that order), activeCount ${active}, pendingCount ${pending} ${moment}`,
        received: `calls ${show(board.started.map((id) => id + 1))} started, activeCount ${show(limit.activeCount)}, pendingCount ${show(limit.pendingCount)}`,
        hint: 'clearQueue() empties the queue and nothing else: the running calls keep their slots, and every slot is free for new calls once they finish (do not count cleared calls as running, and do not lose the calls queued after a clear)',
      });
    };
    [0, 1, 2, 3, 4].forEach(call);
    await expectState([0, 1], 2, 3, 'with 5 calls made and concurrency 2');
    limit.clearQueue();
    [5, 6, 7].forEach(call);
    await expectState([0, 1], 2, 3, 'after clearQueue() and 3 new calls, while calls 1 and 2 still run');
    board.finish(0);
    await expectState([0, 1, 5], 2, 2, 'after call 1 finished');
    board.finish(1);
    await expectState([0, 1, 5, 6], 2, 1, 'after call 2 finished');
    limit.clearQueue();
    await drain();
    board.finish(5);
    board.finish(6);
    await expectState([0, 1, 5, 6], 0, 0, 'after a second clearQueue() and the running calls finished');
    limit.clearQueue(); // nothing waits: changes nothing
    [8, 9, 10].forEach(call);
    await expectState([0, 1, 5, 6, 8, 9], 2, 1, 'after clearQueue() on an empty queue and 3 new calls');
    board.finish(8);
    await expectState([0, 1, 5, 6, 8, 9, 10], 2, 0, 'after call 9 finished');
    board.finish(9);
    board.finish(10);
    await drain();
    for (const id of [2, 3, 4, 7]) {
      const reason = rejectionReason(results[id]!, `call ${id + 1}, cleared while it waited`);
      check(reason instanceof Error && reason.name === 'AbortError', {
        expected: `call ${id + 1} to reject with an AbortError`,
        received: `it rejected with ${show(reason)}`,
      });
    }
    for (const id of [0, 1, 5, 6, 8, 9, 10]) {
      const value = fulfilledValue(results[id]!, `call ${id + 1}`);
      check(value === `result ${id}`, { expected: `call ${id + 1} to resolve with "result ${id}"`, received: show(value) });
    }
  });

  behaviour('calls made from inside a running fn, or when a call settles, queue up and start like any other', async () => {
    const limit = createLimiter(2);
    const board = taskBoard();
    const results: Tracked<string>[] = [];
    // Call 1's fn makes calls 3 and 4 when it starts; call 5 is made when call 2 settles.
    results[0] = track(
      limit(() => {
        results[2] = track(limit(board.run, 2));
        results[3] = track(limit(board.run, 3));
        return board.run(0);
      }),
    );
    const second = limit(board.run, 1);
    results[1] = track(second);
    void second.then(() => {
      results[4] = track(limit(board.run, 4));
    });
    const expectState = async (ids: number[], pending: number, moment: string) => {
      await drain();
      check(show(board.started) === show(ids) && limit.pendingCount === pending, {
        expected: `calls ${show(ids.map((id) => id + 1))} started (in that order) and pendingCount ${pending} ${moment}`,
        received: `calls ${show(board.started.map((id) => id + 1))} started, pendingCount ${show(limit.pendingCount)}`,
        hint: 'a call made while your code is starting or finishing other calls must still join the back of the queue and start when a slot frees; do not let a "busy" flag or a count taken before the loop swallow it',
      });
    };
    await expectState([0, 1], 2, 'once call 1 made calls 3 and 4 from inside its fn (concurrency 2)');
    board.finish(0);
    await expectState([0, 1, 2], 1, 'after call 1 finished');
    board.finish(1);
    await expectState([0, 1, 2, 3], 1, 'after call 2 finished and its .then made call 5');
    board.finish(2);
    await expectState([0, 1, 2, 3, 4], 0, 'after call 3 finished');
    board.finish(3);
    board.finish(4);
    await drain();
    results.forEach((tracked, id) => {
      const value = fulfilledValue(tracked, `call ${id + 1}`);
      check(value === `result ${id}`, { expected: `call ${id + 1} to resolve with "result ${id}"`, received: show(value) });
    });
  });

  behaviour('runs a queue of 2,000 waiting calls exactly once each, in order, keeping every slot busy', async () => {
    const random = seededRandom(4242);
    const total = 2000;
    const concurrency = 6;
    const limit = createLimiter(concurrency);
    const runs = new Array<number>(total).fill(0);
    const started: number[] = [];
    const gates = new Map<number, Gate<string>>();
    // Every seventh call's fn returns a plain value: it settles by itself.
    const fn = (id: number): string | Promise<string> => {
      runs[id]!++;
      started.push(id);
      if (id % 7 === 3) return `result ${id}`;
      const g = gate<string>();
      gates.set(id, g);
      return g.promise;
    };
    const results = Array.from({ length: total }, (_, id) => track(limit(fn, id)));
    const errors = new Map<number, Error>();
    let settled = 0;
    await drain();
    for (let step = 0; gates.size > 0; step++) {
      const waiting = total - started.length;
      const expectedRunning = Math.min(concurrency, gates.size + waiting);
      if (gates.size !== expectedRunning || limit.pendingCount !== waiting) {
        fail({
          expected: `${expectedRunning} calls running and ${waiting} waiting after ${settled} of ${total} calls settled (concurrency ${concurrency})`,
          received: `${gates.size} running, pendingCount ${show(limit.pendingCount)}`,
          hint: 'after every call that settles, start the next waiting one: a long queue must not lose, skip or stall any call',
        });
      }
      // Settle one to three running calls, picked at random; one in ten fails.
      for (let k = randomInt(random, 1, 3); k > 0 && gates.size > 0; k--) {
        const ids = [...gates.keys()];
        const id = ids[randomInt(random, 0, ids.length - 1)]!;
        const g = gates.get(id)!;
        gates.delete(id);
        settled++;
        if (random() < 0.1) {
          const error = new Error(`call ${id + 1} failed`);
          errors.set(id, error);
          g.reject(error);
        } else {
          g.resolve(`result ${id}`);
        }
      }
      await drain();
    }
    const twice = runs.findIndex((count) => count > 1);
    const never = runs.findIndex((count) => count === 0);
    check(twice === -1 && never === -1, {
      expected: `each of the ${total} calls to run exactly once`,
      received: twice !== -1 ? `call ${twice + 1} ran ${runs[twice]} times` : `call ${never + 1} never ran (${runs.filter((c) => c === 0).length} calls never ran)`,
      hint: 'take each call out of the queue exactly once; if you compact or re-index the queue, check the calls around the cut',
    });
    const outOfOrder = started.findIndex((id, position) => id !== position);
    check(outOfOrder === -1, {
      expected: `the ${total} calls to start in the order they were made`,
      received: `start number ${outOfOrder + 1} was call ${started[outOfOrder]! + 1}`,
      hint: 'take the next call from the front of the queue, however long the queue is',
    });
    for (let id = 0; id < total; id++) {
      const error = errors.get(id);
      const outcome = results[id]!.outcome;
      const ok = error ? outcome.state === 'rejected' && outcome.reason === error : outcome.state === 'fulfilled' && outcome.value === `result ${id}`;
      if (!ok) {
        fail({
          expected: `call ${id + 1} of ${total} to ${error ? `reject with ${show(error)}` : `resolve with "result ${id}"`}`,
          received: show(outcome),
          hint: 'settle each caller\'s promise with its own fn\'s outcome',
        });
      }
    }
  }, { points: 2 });

  behaviour('stays exact over 1,000 random steps of new calls, finishes, failures, new limits and clearQueue()', async () => {
    const random = seededRandom(90210);
    let concurrency = 3;
    const limit = createLimiter(concurrency);
    // The model: what any correct limiter looks like once every microtask has run.
    const queue: number[] = [];
    const running = new Set<number>();
    const expectedStarts: number[] = [];
    const expectedOutcome = new Map<number, { value: string } | { error: Error } | 'aborted'>();
    // What the learner's limiter did.
    const started: number[] = [];
    const runs: number[] = [];
    const gates = new Map<number, Gate<string>>();
    const results: Tracked<string>[] = [];
    const plain = new Set<number>();
    const throwing = new Map<number, Error>();
    const recent: string[] = [];
    const fn = (id: number): string | Promise<string> => {
      runs[id] = (runs[id] ?? 0) + 1;
      started.push(id);
      if (plain.has(id)) return `result ${id}`;
      const thrown = throwing.get(id);
      if (thrown) throw thrown;
      const g = gate<string>();
      gates.set(id, g);
      return g.promise;
    };
    const fill = () => {
      while (running.size < concurrency && queue.length > 0) {
        const id = queue.shift()!;
        expectedStarts.push(id);
        const thrown = throwing.get(id);
        if (plain.has(id)) expectedOutcome.set(id, { value: `result ${id}` });
        else if (thrown) expectedOutcome.set(id, { error: thrown });
        else running.add(id);
      }
    };
    const settle = (id: number) => {
      const g = gates.get(id)!;
      running.delete(id);
      if (random() < 0.2) {
        const error = new Error(`call ${id + 1} failed`);
        expectedOutcome.set(id, { error });
        g.reject(error);
        recent.push(`call ${id + 1} failed`);
      } else {
        expectedOutcome.set(id, { value: `result ${id}` });
        g.resolve(`result ${id}`);
        recent.push(`call ${id + 1} finished`);
      }
    };
    const compare = (step: number) => {
      const matches =
        started.length === expectedStarts.length &&
        started.every((id, i) => id === expectedStarts[i]) &&
        limit.activeCount === running.size &&
        limit.pendingCount === queue.length;
      if (matches) return;
      const from = Math.max(0, Math.min(started.length, expectedStarts.length) - 4);
      fail({
        expected: `after step ${step} (${recent.slice(-4).join(', then ')}): calls started so far ending ${show(expectedStarts.slice(from).map((id) => id + 1))} (${expectedStarts.length} in all), activeCount ${running.size}, pendingCount ${queue.length}, concurrency ${concurrency}`,
        received: `calls started ending ${show(started.slice(from).map((id) => id + 1))} (${started.length} in all), activeCount ${show(limit.activeCount)}, pendingCount ${show(limit.pendingCount)}`,
        hint: 'after every event, start waiting calls oldest first while fewer than `concurrency` run; clearQueue() only empties the queue; a new limit applies to the next start',
      });
    };
    let nextId = 0;
    await drain();
    for (let step = 1; step <= 1000; step++) {
      const roll = random();
      if (roll < 0.4) {
        const count = randomInt(random, 1, 3);
        for (let k = 0; k < count; k++) {
          const id = nextId++;
          const kind = random();
          if (kind < 0.1) plain.add(id);
          else if (kind < 0.15) throwing.set(id, new Error(`call ${id + 1} threw`));
          queue.push(id);
          results[id] = track(limit(fn, id));
        }
        recent.push(`${count} new call(s)`);
      } else if (roll < 0.85) {
        if (running.size > 0) {
          const ids = [...running];
          settle(ids[randomInt(random, 0, ids.length - 1)]!);
        } else {
          recent.push('nothing to finish');
        }
      } else if (roll < 0.97) {
        concurrency = random() < 0.08 ? Infinity : randomInt(random, 1, 6);
        limit.concurrency = concurrency;
        recent.push(`concurrency set to ${concurrency}`);
      } else {
        for (const id of queue.splice(0)) expectedOutcome.set(id, 'aborted');
        limit.clearQueue();
        recent.push('clearQueue()');
      }
      fill();
      await drain();
      compare(step);
    }
    // Let everything finish.
    for (let step = 1001; running.size > 0 || queue.length > 0; step++) {
      settle([...running][0]!);
      fill();
      await drain();
      compare(step);
    }
    for (let id = 0; id < nextId; id++) {
      const expected = expectedOutcome.get(id)!;
      const outcome = results[id]!.outcome;
      const ran = runs[id] ?? 0;
      const ok =
        expected === 'aborted'
          ? outcome.state === 'rejected' && outcome.reason instanceof Error && outcome.reason.name === 'AbortError' && ran === 0
          : 'error' in expected
            ? outcome.state === 'rejected' && outcome.reason === expected.error && ran === 1
            : outcome.state === 'fulfilled' && outcome.value === expected.value && ran === 1;
      if (!ok) {
        fail({
          expected: `call ${id + 1} of ${nextId} to ${expected === 'aborted' ? 'reject with an AbortError without running (it was cleared)' : 'error' in expected ? `run once and reject with ${show(expected.error)}` : `run once and resolve with "${expected.value}"`}`,
          received: `fn ran ${ran} time(s) and the call is ${outcome.state === 'pending' ? 'still pending' : `${outcome.state} with ${show(outcome.state === 'fulfilled' ? outcome.value : outcome.reason)}`}`,
          hint: 'every call settles exactly once with its own outcome; cleared calls never run',
        });
      }
    }
  }, { points: 2 });
});

/** A mapper on the fake clock: item `ms` takes that many milliseconds. */
function timedMapper() {
  const startedAt = new Map<number, number>();
  let active = 0;
  let maxActive = 0;
  const mapper = (ms: number, index: number) => {
    startedAt.set(index, fakeNow());
    active++;
    maxActive = Math.max(maxActive, active);
    return new Promise<string>((resolve) =>
      setTimeout(() => {
        active--;
        resolve(`mapped ${index}`);
      }, ms),
    );
  };
  return {
    mapper,
    startedAt,
    get maxActive() {
      return maxActive;
    },
  };
}

/** An async generator that waits `gapMs` on the fake clock before yielding each item. */
async function* slowItems<T>(items: T[], gapMs: number): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    yield item;
  }
}

task('mapLimit', () => {
  behaviour('resolves to the mapped values in input order, whatever order the mappers finish in', async () => {
    for (const concurrency of [1, 2, 10]) {
      const durations = [60, 50, 40, 30, 20, 10];
      const timed = timedMapper();
      const promise = mapLimit(durations, concurrency, timed.mapper);
      const result = track(promise);
      assertPromise(result, 'mapLimit(...)');
      // What a caller who reads the array as soon as the promise resolves sees.
      const atResolve = track(Promise.resolve(promise).then((values) => (Array.isArray(values) ? [...values] : values)));
      await advanceStepwise(250);
      const values = fulfilledValue(result, `mapLimit over 6 items with concurrency ${concurrency}`);
      const expected = durations.map((_, i) => `mapped ${i}`);
      check(show(values) === show(expected), {
        expected: `${show(expected)} (concurrency ${concurrency})`,
        received: show(values),
        hint: 'store each result at its input index (results[index] = value), not with push',
      });
      const early = fulfilledValue(atResolve, `mapLimit over 6 items with concurrency ${concurrency}`);
      check(show(early) === show(expected), {
        expected: `the array to be complete the moment mapLimit resolves: ${show(expected)} (concurrency ${concurrency})`,
        received: `when it resolved the array held ${show(early)}; the rest arrived later`,
        hint: 'resolve only when the input is used up AND no mapper is still running, not as soon as one of the two is true',
      });
    }
  }, { points: 2 });

  behaviour('resolves to [] for empty input without calling the mapper', async () => {
    let calls = 0;
    const fromArray = track(mapLimit([], 2, () => ++calls));
    const fromGenerator = track(mapLimit((function* () {})(), 2, () => ++calls));
    const fromAsyncGenerator = track(mapLimit((async function* () {})(), 2, () => ++calls));
    await drain();
    for (const [tracked, what] of [
      [fromArray, 'mapLimit([], 2, mapper)'],
      [fromGenerator, 'mapLimit over an empty generator'],
      [fromAsyncGenerator, 'mapLimit over an empty async generator'],
    ] as const) {
      const value = fulfilledValue(tracked, what);
      check(Array.isArray(value) && value.length === 0, { expected: `${what} to resolve with []`, received: show(value) });
    }
    check(calls === 0, { expected: 'the mapper never to be called', received: `it was called ${calls} time(s)` });
  });

  behaviour('calls the mapper with (item, index)', async () => {
    const seen: unknown[][] = [];
    const items = ['a', 'b', 'c'];
    const result = track(
      mapLimit(items, 2, (item: string, index: number) => {
        seen.push([item, index]);
        return item.toUpperCase();
      }),
    );
    await drain();
    fulfilledValue(result, 'mapLimit(["a", "b", "c"], 2, mapper)');
    const sorted = [...seen].sort((x, y) => Number(x[1]) - Number(y[1]));
    check(show(sorted) === show([['a', 0], ['b', 1], ['c', 2]]), {
      expected: "the mapper called with ('a', 0), ('b', 1), ('c', 2)",
      received: `calls with ${show(seen)}`,
    });
  });

  behaviour('never runs more than `concurrency` mappers, and starts the next as soon as one finishes', async () => {
    // One slow item: a pool keeps the other slot busy, a batch would wait for it.
    const durations = [50, 10, 10, 10, 10];
    const timed = timedMapper();
    const result = track(mapLimit(durations, 2, timed.mapper));
    await advanceStepwise(120);
    fulfilledValue(result, 'mapLimit over 5 timed items with concurrency 2');
    check(timed.maxActive <= 2, {
      expected: 'at most 2 mappers running at once (concurrency 2)',
      received: `${timed.maxActive} running at once`,
    });
    const starts = durations.map((_, i) => timed.startedAt.get(i));
    const expected = [0, 0, 10, 20, 30];
    check(show(starts) === show(expected), {
      expected: `items to start at ${show(expected)} ms: a new one as soon as a slot frees (the first item takes 50 ms, the others 10 ms)`,
      received: `they started at ${show(starts)} ms`,
      hint: 'a slow item must not hold the others back: no batches with Promise.all, start the next item when any one finishes',
    });
    // An input that takes 5 ms per item: the first mapper (2 ms) finishes while the second item is on its way.
    const slow = timedMapper();
    const fromSlow = track(mapLimit(slowItems([2, 30, 30, 30], 5), 2, slow.mapper));
    await advanceStepwise(120);
    fulfilledValue(fromSlow, 'mapLimit over an async generator that yields an item every 5 ms, concurrency 2');
    check(slow.maxActive <= 2, {
      expected: 'at most 2 mappers running at once over an async generator that is slow to yield (concurrency 2)',
      received: `${slow.maxActive} running at once`,
      hint: 'a mapper that finishes while an item is still on its way must not start a second loop asking for items: count that item as taking a slot, or keep to one next() at a time and check the count again when it arrives',
    });
  }, { points: 2 });

  behaviour('reads the input lazily: never more than `concurrency` items taken and not yet finished', async () => {
    for (const kind of ['generator', 'async generator'] as const) {
      let taken = 0;
      let finished = 0;
      let worst = 0;
      const gates: Gate<void>[] = [];
      function* syncItems() {
        for (let i = 0; i < 8; i++) {
          taken++;
          worst = Math.max(worst, taken - finished);
          yield i;
        }
      }
      async function* asyncItems() {
        yield* syncItems();
      }
      const mapper = (item: number) => {
        const g = gate();
        gates[item] = g;
        return g.promise.then(() => {
          finished++;
          return item * 2;
        });
      };
      const result = track(mapLimit(kind === 'generator' ? syncItems() : asyncItems(), 3, mapper));
      await drain();
      for (let i = 0; i < 8; i++) {
        gates[i]?.resolve();
        await drain();
      }
      check(worst <= 3, {
        expected: `never more than 3 items taken from the ${kind} and not yet mapped (concurrency 3)`,
        received: `${worst} items were taken ahead`,
        hint: 'ask the iterator for the next item only when a slot is free; do not spread it into an array first',
      });
      const values = fulfilledValue(result, `mapLimit over a ${kind}`);
      check(show(values) === show([0, 2, 4, 6, 8, 10, 12, 14]), {
        expected: `[0, 2, 4, 6, 8, 10, 12, 14] from the ${kind}`,
        received: show(values),
      });
    }
  }, { points: 2 });

  behaviour('accepts async iterables, such as an async generator that waits between items', async () => {
    async function* slowItems() {
      for (const item of [3, 1, 2]) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield item;
      }
    }
    const timed = timedMapper();
    const result = track(mapLimit(slowItems(), 2, timed.mapper));
    await advanceStepwise(40);
    const values = fulfilledValue(result, 'mapLimit over an async generator');
    check(show(values) === show(['mapped 0', 'mapped 1', 'mapped 2']), {
      expected: "['mapped 0', 'mapped 1', 'mapped 2']",
      received: show(values),
      hint: 'use items[Symbol.asyncIterator] when it exists, and await each next()',
    });
  });

  behaviour('accepts any sync iterable: a Set, a Map.keys(), a generator', async () => {
    const double = (n: number) => n * 2;
    const inputs: [Iterable<number>, string][] = [
      [new Set([1, 2, 3]), 'a Set'],
      [new Map([[1, 'a'], [2, 'b'], [3, 'c']]).keys(), 'Map.keys()'],
      [(function* () { yield 1; yield 2; yield 3; })(), 'a generator'],
    ];
    for (const [input, what] of inputs) {
      const result = track(mapLimit(input, 2, double));
      await drain();
      const values = fulfilledValue(result, `mapLimit over ${what}`);
      check(show(values) === show([2, 4, 6]), { expected: `[2, 4, 6] from ${what}`, received: show(values) });
    }
  });

  behaviour('rejects with the first error, the same object, whether the mapper throws or rejects', async () => {
    const thrown = new Error('thrown by the mapper');
    const viaThrow = track(
      mapLimit([1, 2, 3], 2, (n: number) => {
        if (n === 2) throw thrown;
        return n;
      }),
    );
    const first = new Error('first failure');
    const second = new Error('second failure');
    const viaReject = track(
      mapLimit([10, 30, 20], 3, (ms: number) =>
        new Promise((resolve, reject) =>
          setTimeout(() => (ms === 10 ? reject(first) : ms === 20 ? reject(second) : resolve(ms)), ms),
        ),
      ),
    );
    const viaUndefined = track(mapLimit([1, 2], 2, (n: number) => (n === 1 ? Promise.reject(undefined) : n)));
    const viaString = track(mapLimit([1, 2], 1, (n: number) => (n === 1 ? Promise.reject('busy') : n)));
    await advanceStepwise(40);
    for (const [tracked, error, what] of [
      [viaThrow, thrown, 'mapLimit whose mapper throws'],
      [viaReject, first, 'mapLimit whose mappers reject at 10 ms and 20 ms'],
      [viaUndefined, undefined, 'mapLimit whose mapper rejects with undefined'],
      [viaString, 'busy', "mapLimit whose mapper rejects with the string 'busy'"],
    ] as const) {
      const reason = rejectionReason(tracked, what);
      check(reason === error, {
        expected: `${what} to reject with ${show(error)}, the same object`,
        received: `it rejected with ${show(reason)}`,
        hint: 'reject once, with the first error exactly as the mapper produced it',
      });
    }
    // Failures a few microtasks apart, all before any timer: the earliest one still wins.
    // Item 0 rejects when its gate opens; item 1 rejects in the same step, just after it; item k (k > 1)
    // waits for item 0's rejection and throws 1, 2, 3, ... 20 microtasks later.
    const opener = gate<never>();
    const rightAfter = gate<never>();
    const earliest = new Error('item 0 failed first');
    const delays = [1, 2, 3, 4, 6, 10, 20];
    const later = [new Error('item 1 failed just after item 0'), ...delays.map((k) => new Error(`failed ${k} microtask(s) after item 0`))];
    const sameTick = track(
      mapLimit([0, 1, ...delays.map((_, i) => i + 2)], delays.length + 2, (item: number) => {
        if (item === 0) return opener.promise;
        if (item === 1) return rightAfter.promise;
        const hops = delays[item - 2]!;
        if (hops === 1) {
          return opener.promise.then(undefined, () => {
            throw later[item - 1];
          });
        }
        let chain: Promise<unknown> = opener.promise.then(undefined, () => undefined);
        for (let k = 2; k < hops; k++) chain = chain.then(() => undefined);
        return chain.then(() => {
          throw later[item - 1];
        });
      }),
    );
    await drain();
    opener.reject(earliest);
    rightAfter.reject(later[0]);
    await drain();
    const sameTickReason = rejectionReason(sameTick, 'mapLimit whose item 0 rejects first and items 1 to 8 fail 0 to 20 microtasks later, before any timer');
    check(sameTickReason === earliest, {
      expected: `it to reject with ${show(earliest)}: it failed first, even though the others followed within the same macrotask`,
      received: `it rejected with ${show(sameTickReason)}${later.includes(sameTickReason as Error) ? ', a later failure' : ''}`,
      hint: 'settle the result the moment you see the first failure, and keep that error: later failures must not overwrite it',
    });
    // Several mappers that throw synchronously: the first one called wins.
    const syncErrors = [0, 1, 2].map((i) => new Error(`item ${i} threw`));
    const allThrow = track(
      mapLimit([0, 1, 2], 3, (item: number) => {
        throw syncErrors[item];
      }),
    );
    await drain();
    const allThrowReason = rejectionReason(allThrow, 'mapLimit([0, 1, 2], 3, mapper) whose mapper throws on every item');
    check(allThrowReason === syncErrors[0], {
      expected: `it to reject with ${show(syncErrors[0])}, the first mapper's error`,
      received: `it rejected with ${show(allThrowReason)}`,
      hint: 'keep the first error you catch; do not let a later one replace it',
    });
  });

  behaviour('starts no further mappers after the first error', async () => {
    let started = 0;
    const failure = new Error('item 1 failed');
    const result = track(
      mapLimit([0, 1, 2, 3, 4, 5], 2, (item: number) => {
        started++;
        return new Promise((resolve, reject) =>
          setTimeout(() => (item === 1 ? reject(failure) : resolve(item)), item === 1 ? 5 : 30),
        );
      }),
    );
    await advanceStepwise(200);
    rejectionReason(result, 'mapLimit whose second mapper rejects');
    check(started === 2, {
      expected: 'no mapper to start after the first error (only items 1 and 2 ever start)',
      received: `${started} mappers started in all`,
      hint: 'once a mapper has failed, stop taking items; the running ones may finish but change nothing',
    });
    // A synchronous throw stops the mapping too (concurrency 1: the next item could only start after it).
    const mappedSync: number[] = [];
    const syncFailure = new Error('item 1 threw');
    const fromSyncThrow = track(
      mapLimit([0, 1, 2, 3], 1, (item: number) => {
        mappedSync.push(item);
        if (item === 1) throw syncFailure;
        return item;
      }),
    );
    await drain();
    const syncReason = rejectionReason(fromSyncThrow, 'mapLimit([0, 1, 2, 3], 1, mapper) whose mapper throws on item 1');
    check(syncReason === syncFailure && show(mappedSync) === show([0, 1]), {
      expected: `it to reject with ${show(syncFailure)} after mapping only items 0 and 1 (concurrency 1)`,
      received: `it rejected with ${show(syncReason)} after mapping items ${show(mappedSync)}`,
      hint: 'a mapper that throws counts as failing: catch the throw, record the failure, and take no more items',
    });
    // An item already on its way when the error comes is not mapped either.
    const mappedSlow: number[] = [];
    const slowFailure = new Error('item 0 failed');
    const fromSlow = track(
      mapLimit(slowItems([0, 1, 2, 3], 5), 2, (item: number) => {
        mappedSlow.push(item);
        return new Promise((resolve, reject) => setTimeout(() => (item === 0 ? reject(slowFailure) : resolve(item)), 2));
      }),
    );
    await advanceStepwise(60);
    const reason = rejectionReason(fromSlow, 'mapLimit over a slow async generator whose first mapper rejects');
    check(reason === slowFailure, { expected: `it to reject with ${show(slowFailure)}`, received: show(reason) });
    check(mappedSlow.length === 1, {
      expected: 'only item 0 mapped: it failed at 7 ms, before item 1 arrived from the async generator (at 10 ms)',
      received: `items ${show(mappedSlow)} were mapped`,
      hint: 'an item that arrives after the first error must not be mapped: check for the error again once next() resolves',
    });
  });

  behaviour('rejects an invalid concurrency with a TypeError without calling the mapper', async () => {
    for (const value of INVALID_CONCURRENCY) {
      let calls = 0;
      const call = attempt(() => mapLimit([1, 2], value as number, () => ++calls));
      let error: unknown;
      if (call.threw) {
        error = call.error;
      } else {
        const tracked = track(call.value as Promise<unknown>);
        await drain();
        error = rejectionReason(tracked, `mapLimit([1, 2], ${show(value)}, mapper)`);
      }
      check(error instanceof TypeError && calls === 0, {
        expected: `mapLimit([1, 2], ${show(value)}, mapper) to reject (or throw) a TypeError without mapping anything`,
        received: error instanceof TypeError ? `the mapper was called ${calls} time(s)` : `it failed with ${show(error)}`,
      });
    }
  });

  behaviour('rejects as soon as a mapper fails, without waiting for the mappers still running', async () => {
    const failure = new Error('fails at 5 ms');
    const result = track(
      mapLimit([0, 1], 2, (item: number) =>
        item === 0
          ? new Promise(() => {}) // still running, and never settles
          : new Promise((_, reject) => setTimeout(() => reject(failure), 5)),
      ),
    );
    await advanceStepwise(10);
    const reason = rejectionReason(result, 'mapLimit whose second mapper rejects at 5 ms while the first never settles');
    check(reason === failure, {
      expected: `it to reject with ${show(failure)} at 5 ms`,
      received: `it rejected with ${show(reason)}`,
      hint: 'reject the moment the first mapper fails; do not wait for the others to finish',
    });
  });

  behaviour('accepts concurrency Infinity for any iterable: every mapper starts at once, with its own index, and results keep input order', async () => {
    // Items differ from their indexes, so a wrong index shows; the mappers finish last to first.
    const items = Array.from({ length: 40 }, (_, i) => `item ${i}`);
    const seen: unknown[][] = [];
    const gates = new Map<unknown, Gate<void>>();
    const result = track(
      mapLimit(items, Infinity, (item: string, index: number) => {
        seen.push([item, index]);
        const g = gate();
        gates.set(item, g);
        return g.promise.then(() => item.toUpperCase());
      }),
    );
    await drain();
    check(seen.length === 40, {
      expected: 'all 40 mappers running with concurrency Infinity',
      received: `${seen.length} running`,
      hint: 'Infinity is a valid concurrency: it means no limit',
    });
    const wrongPair = seen.find(([item, index]) => item !== `item ${String(index)}`);
    check(wrongPair === undefined, () => ({
      expected: "with concurrency Infinity too, each mapper called with its item and that item's index: ('item 0', 0), ('item 1', 1), ... ('item 39', 39)",
      received: `a call with (${show(wrongPair?.[0])}, ${show(wrongPair?.[1])}); the first calls were ${show(seen.slice(0, 3))}`,
      hint: 'the index is the position of the item in the input, counted from 0, whatever the concurrency: count the items as you take them, on the same path for every limit',
    }));
    [...items].reverse().forEach((item) => gates.get(item)?.resolve());
    await drain();
    const values = fulfilledValue(result, 'mapLimit over 40 items with concurrency Infinity');
    const expected = items.map((item) => item.toUpperCase());
    check(show(values) === show(expected), {
      expected: `the results in input order, ${show(expected.slice(0, 3))} and so on, even though the mappers finished last to first (concurrency Infinity)`,
      received: `${show(Array.isArray(values) ? values.slice(0, 3) : values)} and so on`,
      hint: 'store each result at its input index (results[index] = value), not with push: that holds for every concurrency, Infinity included',
    });
    // From a generator too: its length is unknown up front.
    let fromGeneratorStarted = 0;
    const generatorGates: Gate<void>[] = [];
    const fromGenerator = track(
      mapLimit((function* () { for (let i = 0; i < 20; i++) yield i; })(), Infinity, (item: number) => {
        fromGeneratorStarted++;
        const g = gate();
        generatorGates.push(g);
        return g.promise.then(() => item);
      }),
    );
    await drain();
    check(fromGeneratorStarted === 20, {
      expected: 'all 20 mappers running for a generator of 20 items with concurrency Infinity',
      received: `${fromGeneratorStarted} running`,
      hint: 'do not size anything from the concurrency (Infinity workers, an array of length Infinity): take items while fewer than `concurrency` run',
    });
    generatorGates.forEach((g) => g.resolve());
    await drain();
    const generatorValues = fulfilledValue(fromGenerator, 'mapLimit over a generator of 20 items with concurrency Infinity');
    const firstTwenty = Array.from({ length: 20 }, (_, i) => i);
    check(show(generatorValues) === show(firstTwenty), { expected: show(firstTwenty), received: show(generatorValues) });
    // And from an async generator: Array.from or Promise.all over it sees no items at all.
    async function* oneTwoThree() {
      yield 1;
      yield 2;
      yield 3;
    }
    let asyncCalls = 0;
    const fromAsyncGenerator = track(
      mapLimit(oneTwoThree(), Infinity, (item: number) => {
        asyncCalls++;
        return item * 10;
      }),
    );
    await drain();
    const asyncValues = fulfilledValue(fromAsyncGenerator, 'mapLimit over an async generator of 1, 2, 3 with concurrency Infinity, mapper x => x * 10');
    check(show(asyncValues) === show([10, 20, 30]), {
      expected: '[10, 20, 30] from an async generator of 1, 2, 3 with concurrency Infinity',
      received: `${show(asyncValues)} (the mapper was called ${asyncCalls} time(s))`,
      hint: 'a shortcut for Infinity such as Promise.all(Array.from(items, mapper)) only sees sync iterables: an async generator has no Symbol.iterator. Let Infinity take the same path as any other limit',
    });
  });

  behaviour('leaves the input array unchanged', async () => {
    const items = [5, 4, 3, 2, 1];
    const result = track(mapLimit(items, 2, (n: number) => n + 1));
    await drain();
    fulfilledValue(result, 'mapLimit([5, 4, 3, 2, 1], 2, mapper)');
    check(show(items) === show([5, 4, 3, 2, 1]), {
      expected: 'the caller\'s array to still be [5, 4, 3, 2, 1]',
      received: show(items),
      hint: 'read items with an iterator or an index; never shift() or splice() the caller\'s array',
    });
  });

  behaviour('waits for a mapper that returns a thenable, and keeps its slot busy until it settles', async () => {
    let running = 0;
    let mostRunning = 0;
    // A thenable (not a Promise) that settles 10 ms after the mapper was called.
    const thenableMapper = (item: number): PromiseLike<number> => {
      running++;
      mostRunning = Math.max(mostRunning, running);
      let settled = false;
      const callbacks: ((value: number) => void)[] = [];
      setTimeout(() => {
        running--;
        settled = true;
        callbacks.splice(0).forEach((callback) => callback(item * 10));
      }, 10);
      return {
        then(onFulfilled) {
          if (settled) onFulfilled?.(item * 10);
          else if (onFulfilled) callbacks.push(onFulfilled as (value: number) => void);
          return undefined as never;
        },
      } as PromiseLike<number>;
    };
    const result = track(mapLimit([1, 2, 3], 1, thenableMapper));
    await advanceStepwise(50);
    const values = fulfilledValue(result, 'mapLimit([1, 2, 3], 1, mapper) whose mapper returns thenables');
    check(show(values) === show([10, 20, 30]), {
      expected: 'the values the thenables settle with: [10, 20, 30]',
      received: show(values),
      hint: 'wait for whatever the mapper returns with await (or Promise.resolve(...)): that unwraps any thenable, not only instances of Promise',
    });
    check(mostRunning === 1, {
      expected: 'one mapper at a time with concurrency 1, when the mapper returns a thenable',
      received: `${mostRunning} ran at once`,
      hint: 'a slot is busy until the thenable settles, not only until the mapper returns',
    });
    const failure = new Error('the thenable rejected');
    const rejecting = track(
      mapLimit([1], 1, () => ({ then: (_: unknown, onRejected?: (reason: unknown) => void) => onRejected?.(failure) }) as unknown as PromiseLike<number>),
    );
    await drain();
    const reason = rejectionReason(rejecting, 'mapLimit whose mapper returns a thenable that rejects');
    check(reason === failure, {
      expected: `it to reject with ${show(failure)}, the same object`,
      received: `it rejected with ${show(reason)}`,
    });
  });

  behaviour('maps 1,200 items on a seeded random schedule: each exactly once, in order, within the limit', async () => {
    const random = seededRandom(31337);
    for (const kind of ['array', 'generator', 'async generator'] as const) {
      const total = 400;
      const concurrency = randomInt(random, 2, 8);
      // ms 0: the mapper returns a plain value at once.
      const items = Array.from({ length: total }, (_, id) => ({ id, ms: randomInt(random, 0, 4) }));
      const calls = new Array<number>(total).fill(0);
      let taken = 0;
      let finished = 0;
      let active = 0;
      let maxActive = 0;
      let worstAhead = 0;
      let wrongIndex: string | undefined;
      let stall: string | undefined;
      const take = (item: (typeof items)[number]) => {
        taken++;
        worstAhead = Math.max(worstAhead, taken - finished);
        return item;
      };
      function* fromGenerator() {
        for (const item of items) yield take(item);
      }
      async function* fromAsyncGenerator() {
        for (const item of items) {
          if (item.id % 9 === 4) await new Promise((resolve) => setTimeout(resolve, 1));
          yield take(item);
        }
      }
      const mapper = (item: (typeof items)[number], index: number): string | Promise<string> => {
        calls[item.id]!++;
        if (item.id !== index && wrongIndex === undefined) wrongIndex = `item ${item.id} was mapped with index ${show(index)}`;
        if (item.ms === 0) {
          finished++;
          return `mapped ${item.id}`;
        }
        active++;
        maxActive = Math.max(maxActive, active);
        return new Promise((resolve) =>
          setTimeout(() => {
            active--;
            finished++;
            resolve(`mapped ${item.id}`);
          }, item.ms),
        );
      };
      const input = kind === 'array' ? items : kind === 'generator' ? fromGenerator() : fromAsyncGenerator();
      const result = track(mapLimit(input as Iterable<(typeof items)[number]>, concurrency, mapper));
      await drain();
      for (let ms = 0; ms < 5000 && result.outcome.state === 'pending'; ms++) {
        // Once every microtask has run, every free slot holds an item (the input is ready at once, except the async generator's).
        const expected = Math.min(concurrency, total - finished);
        if (kind !== 'async generator' && active < expected && stall === undefined) {
          stall = `at ${ms} ms only ${active} mappers were running while ${expected} could (${finished} of ${total} items finished)`;
        }
        await advance(1);
      }
      const what = `mapLimit over ${total} items (${kind === 'array' ? 'an array' : `a ${kind}`}), concurrency ${concurrency}`;
      const values = fulfilledValue(result, what);
      const expectedValues = items.map((item) => `mapped ${item.id}`);
      const firstWrong = Array.isArray(values) ? expectedValues.findIndex((value, i) => values[i] !== value) : 0;
      check(Array.isArray(values) && values.length === total && firstWrong === -1, {
        expected: `${what} to resolve with all ${total} mapped values in input order`,
        received: Array.isArray(values)
          ? `${values.length} values${firstWrong === -1 ? '' : `; position ${firstWrong} held ${show(values[firstWrong])} instead of "${expectedValues[firstWrong]}"`}`
          : show(values),
        hint: 'store each result at the index of its item, and resolve only once every item has been mapped',
      });
      const notOnce = calls.findIndex((count) => count !== 1);
      check(notOnce === -1 && wrongIndex === undefined, {
        expected: `every item mapped exactly once, with its own index (${what})`,
        received: notOnce !== -1 ? `item ${notOnce} was mapped ${calls[notOnce]} times` : `${wrongIndex}`,
        hint: 'take each item from the iterator once, and give it the next index as you take it',
      });
      check(maxActive <= concurrency && worstAhead <= concurrency, {
        expected: `at most ${concurrency} mappers running, and at most ${concurrency} items taken and not yet finished (${what})`,
        received: `${maxActive} mappers at once, ${worstAhead} items taken ahead`,
        hint: 'take the next item only when a slot is free, and count an item from when you take it until its mapper settles',
      });
      check(stall === undefined, {
        expected: `a new mapper to start as soon as a slot frees (${what})`,
        received: stall ?? '',
        hint: 'whenever a mapper settles, take the next item and start its mapper straight away',
      });
    }
  }, { points: 2 });
});
