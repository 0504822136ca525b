/**
 * Setup file of the `lessons` vitest project (grader/vitest.config.ts): a lesson block may not start a
 * real timer that waits.
 *
 * No test may depend on real time or on how loaded the machine is, so a block that shows timing runs on
 * vitest's fake clock (`vi.useFakeTimers()`, then `await vi.advanceTimersByTimeAsync(ms)` or
 * `await vi.runAllTimersAsync()`). This file wraps the real timer APIs, so that a block which calls one
 * of them fails at once, with the lesson line of the call:
 *
 *   - `setTimeout` with a delay above 0 ms (global, `node:timers`, `node:timers/promises`);
 *   - `setInterval`, whatever its delay (same three places);
 *   - `scheduler.wait` from `node:timers/promises` above 0 ms, and `AbortSignal.timeout`.
 *
 * `vi.useFakeTimers()` replaces the globals with the fake clock's, so the wrappers only ever see real
 * timers; `vi.useRealTimers()` puts the wrappers back. A 0 ms timer is allowed: it waits for nothing but
 * the current microtasks, and 0 ms timers scheduled together fire in the order they were scheduled.
 * Only calls made from a block's own code (a `.lesson-blocks/` frame on the stack) are checked: vitest's
 * own timers (test timeouts and the like) keep the references vitest took before this file ran.
 *
 * A block that has to show a real timer (say, `AbortSignal.timeout`, which no fake clock drives) says so
 * in a comment line that starts with `// Real clock:` and explains why its outcome cannot depend on
 * real durations; the guard leaves that block alone.
 */
import { readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { expect } from 'vitest';

/** Where a call sits in a lesson: `lesson` line `line`, inside the block whose opening fence is on `blockLine`. */
export interface LessonPlace {
  lesson: string;
  line: number;
  blockLine: number;
}

export type TimerApi = 'setTimeout' | 'setInterval' | 'scheduler.wait' | 'AbortSignal.timeout';

/** A generated block file (grader/dev/lesson-blocks.ts): `.lesson-blocks/<stem>/block-NN-lineLLL.test.ts`. */
const BLOCK_FILE = /[\\/]\.lesson-blocks[\\/]([^\\/]+)[\\/]block-\d+-line(\d+)\.test\.ts(?::(\d+))?/;

/** The comment that exempts a block from the guard, at the start of a line. */
export const REAL_CLOCK_MARKER = /^[ \t]*\/\/ Real clock:/m;

/** The first place in `stack` (or a file name) that is a line of a lesson block, mapped back to the lesson. */
export function placeInLesson(stack: string | undefined): LessonPlace | undefined {
  const match = stack === undefined ? null : BLOCK_FILE.exec(stack);
  if (!match) return undefined;
  const blockLine = Number(match[2]);
  // Line k of the generated file is line blockLine + k of the lesson.
  return { lesson: `lessons/${match[1]}.md`, line: blockLine + Number(match[3] ?? 0), blockLine };
}

/** Whether starting this timer makes the caller wait for real time to pass. */
export function waitsForRealTime(api: TimerApi, delay: unknown): boolean {
  if (api === 'setInterval' || api === 'AbortSignal.timeout') return true;
  // Node runs a missing, negative or non-numeric delay as 0 ms (well, 1 ms: the next turn of the timers).
  return Number(delay) > 0;
}

export function realTimerMessage(api: TimerApi, delay: unknown, place: LessonPlace): string {
  const what = api === 'setInterval' ? 'an interval' : `a ${String(delay)} ms ${api}`;
  const where = place.line === place.blockLine
    ? `${place.lesson}, the block that opens on line ${place.blockLine},`
    : `${place.lesson}:${place.line} (in the block that opens on line ${place.blockLine})`;
  return `${where} starts ${what} on the real clock. A lesson block must not depend on real time or on how `
    + 'loaded the machine is: call vi.useFakeTimers() before the timers start, drive them with '
    + 'await vi.advanceTimersByTimeAsync(ms) or await vi.runAllTimersAsync(), and vi.useRealTimers() at the end. '
    + '(0 ms timeouts are allowed. A block that must run on the real clock says why in a "// Real clock:" comment.)';
}

/**
 * `original`, except that a call which would wait for real time first goes to `onRealTime` (which
 * throws to refuse it). `delayOf` picks the delay from the arguments.
 */
export function guardTimer<F extends (...args: never[]) => unknown>(
  original: F,
  api: TimerApi,
  delayOf: (args: Parameters<F>) => unknown,
  onRealTime: (api: TimerApi, delay: unknown) => void,
): F {
  const guarded = function (this: unknown, ...args: Parameters<F>): unknown {
    const delay = delayOf(args);
    if (waitsForRealTime(api, delay)) onRealTime(api, delay);
    return original.apply(this, args);
  };
  // Keep what hangs off the original, such as setTimeout's util.promisify.custom.
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    Object.defineProperty(guarded, key, Object.getOwnPropertyDescriptor(original, key)!);
  }
  Object.defineProperty(guarded, 'name', { value: original.name });
  return guarded as unknown as F;
}

type AnyFunction = (...args: never[]) => unknown;
interface Target {
  object: Record<string, unknown>;
  key: string;
  api: TimerApi;
  /** Which argument is the delay. */
  delayAt: number;
}

const require = createRequire(import.meta.url);
const timers = require('node:timers') as Record<string, unknown>;
const timersPromises = require('node:timers/promises') as Record<string, unknown> & { scheduler?: Record<string, unknown> };

function targets(): Target[] {
  const list: Target[] = [
    { object: globalThis as unknown as Record<string, unknown>, key: 'setTimeout', api: 'setTimeout', delayAt: 1 },
    { object: globalThis as unknown as Record<string, unknown>, key: 'setInterval', api: 'setInterval', delayAt: 1 },
    { object: AbortSignal as unknown as Record<string, unknown>, key: 'timeout', api: 'AbortSignal.timeout', delayAt: 0 },
    { object: timers, key: 'setTimeout', api: 'setTimeout', delayAt: 1 },
    { object: timers, key: 'setInterval', api: 'setInterval', delayAt: 1 },
    { object: timersPromises, key: 'setTimeout', api: 'setTimeout', delayAt: 0 },
    { object: timersPromises, key: 'setInterval', api: 'setInterval', delayAt: 0 },
  ];
  if (timersPromises.scheduler) list.push({ object: timersPromises.scheduler, key: 'wait', api: 'scheduler.wait', delayAt: 0 });
  return list;
}

/** The untouched functions, taken once per process: a later setup run (another block file) wraps these again. */
const ORIGINALS = Symbol.for('async-course.lesson-real-timers.originals');
type Originals = Map<Target['object'], Map<string, AnyFunction>>;

function originals(): Originals {
  const holder = globalThis as unknown as Record<symbol, Originals | undefined>;
  if (!holder[ORIGINALS]) {
    const saved: Originals = new Map();
    for (const { object, key } of targets()) {
      const byKey = saved.get(object) ?? new Map<string, AnyFunction>();
      byKey.set(key, object[key] as AnyFunction);
      saved.set(object, byKey);
    }
    holder[ORIGINALS] = saved;
  }
  return holder[ORIGINALS];
}

/** Wraps every timer API (or, with `onRealTime` undefined, puts the originals back). */
function install(onRealTime: ((api: TimerApi, delay: unknown) => void) | undefined): void {
  const saved = originals();
  for (const { object, key, api, delayAt } of targets()) {
    const original = saved.get(object)!.get(key)!;
    object[key] = onRealTime ? guardTimer(original, api, (args) => args[delayAt], onRealTime) : original;
  }
  // ESM imports of node:timers and node:timers/promises see the change too.
  syncBuiltinESMExports();
}

/** The stack of the current call, deep enough to reach a block's frame under a few helpers. */
function currentStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const testPath = expect.getState().testPath;
if (testPath !== undefined && placeInLesson(testPath)) {
  if (REAL_CLOCK_MARKER.test(readFileSync(testPath, 'utf8'))) {
    install(undefined);
  } else {
    install((api, delay) => {
      const place = placeInLesson(currentStack());
      if (!place) return; // not the block's own code
      const message = realTimerMessage(api, delay, place);
      // Reported twice on purpose: the throw stops the block where it is, and the rejection nobody handles
      // fails the run with this message even when the block catches the throw (Promise.allSettled, say).
      void Promise.reject(new Error(message));
      throw new Error(message);
    });
  }
}
