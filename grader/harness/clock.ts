/**
 * The suites' clock. Every behaviour runs on vitest's fake timers; `drain()`
 * lets the learner's code run every pending microtask without firing a
 * single timer, which is exactly the contract's "at once".
 */
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { seededRandom } from './random.ts';
import { forgetAbortSignalTimers, pendingAbortSignalTimers } from './timer-bridges.ts';

// Kept before any learner code loads: a learner who swaps the globals cannot
// change how the suite waits.
const realSetImmediate = globalThis.setImmediate;

/** A fixed epoch so that `Date.now()` is the same on every run. */
export const FAKE_EPOCH = Date.UTC(2026, 0, 1);

const TIMER_FUNCTIONS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] as const;
type TimerFunction = (typeof TIMER_FUNCTIONS)[number];
type TimerTable = Record<TimerFunction, (...args: unknown[]) => unknown>;

const globals = globalThis as unknown as TimerTable;
const realTimers = Object.fromEntries(TIMER_FUNCTIONS.map((name) => [name, globals[name]])) as TimerTable;
/**
 * Real timers started through the bridges, that is by learner code running outside any behaviour (a
 * callback left over from one): a worker that grades a class is not reused after that (reuse.ts).
 */
let realTimersStarted = 0;
const countedRealTimers = Object.fromEntries(
  TIMER_FUNCTIONS.map((name) => [
    name,
    name.startsWith('set')
      ? (...args: unknown[]) => {
          realTimersStarted++;
          return realTimers[name](...args);
        }
      : realTimers[name],
  ]),
) as TimerTable;

export function takeRealTimersStarted(): number {
  const started = realTimersStarted;
  realTimersStarted = 0;
  return started;
}

/** The timers the bridges call: the real ones outside a behaviour, the fake clock's inside. */
let activeTimers: TimerTable = countedRealTimers;

/**
 * The global timer functions are bridges for the whole run: they call whichever timers are active
 * when they are called. A learner's file may keep a reference while it loads
 * (`const { setTimeout } = globalThis`, `promisify(setTimeout)`): without bridges it would keep the
 * timers of that moment, and sleep in real time, or on a clock nobody moves, during the behaviours.
 */
const bridges = Object.fromEntries(
  TIMER_FUNCTIONS.map((name) => [name, (...args: unknown[]) => activeTimers[name](...args)]),
) as TimerTable;
// When the fake clock is uninstalled it puts back what it saved (the bridges) only for a global that says
// it "had own property"; any other it deletes. The bridges stand in for its fakes, so they say so too.
for (const bridge of Object.values(bridges)) Object.assign(bridge, { hadOwnProperty: true });
// What util.promisify(setTimeout) uses: the node:timers/promises functions, themselves bridged (timer-bridges.ts).
Object.assign(bridges.setTimeout, { [promisify.custom]: (...args: unknown[]) => (timersPromises.setTimeout as (...a: unknown[]) => unknown)(...args) });
Object.assign(bridges.setImmediate, { [promisify.custom]: (...args: unknown[]) => (timersPromises.setImmediate as (...a: unknown[]) => unknown)(...args) });

export function installGlobalTimerBridges(): void {
  // vitest builds its fake clock on first use, keeping the globals of that moment as the real timers
  // it yields to: that must be the real ones, never the bridges (which would call the fake clock itself).
  vi.isFakeTimers();
  Object.assign(globalThis, bridges);
}

const realRandom = Math.random;

/** FNV-1a: a behaviour's name → the seed of its `Math.random`, whatever order the behaviours run in. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The fake clock for one behaviour (or for loading the learner's file), with `Math.random` seeded from
 * `seedText`: code that uses randomness where the contract does not ask for it (jitter without
 * `randomize`, say) still gets the same report on every run and in any order.
 */
export function useFakeClock(seedText = 'loading'): void {
  Math.random = seededRandom(seedOf(seedText));
  forgetAbortSignalTimers();
  vi.useFakeTimers({
    now: FAKE_EPOCH,
    toFake: [...TIMER_FUNCTIONS, 'Date', 'performance'],
  });
  activeTimers = Object.fromEntries(TIMER_FUNCTIONS.map((name) => [name, globals[name]])) as TimerTable;
  // The fake clock saved the bridges and puts them back when it is uninstalled.
  Object.assign(globalThis, bridges);
}

export function useRealClock(): void {
  vi.clearAllTimers();
  vi.useRealTimers();
  activeTimers = countedRealTimers;
  Math.random = realRandom;
}

/** Run every pending microtask (promise reactions, nextTick), firing no timer. */
export function drain(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/** Move the fake clock forward, firing due timers, then drain. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await drain();
}

/**
 * Timers of the learner's still scheduled on the fake clock. Those behind `AbortSignal.timeout` do not
 * count: a learner cannot clear them, and Node's own never keep a process alive.
 */
export function pendingTimerCount(): number {
  return vi.getTimerCount() - pendingAbortSignalTimers();
}

/** Move the fake clock forward one millisecond at a time, draining after each: timers fire at their exact time. */
export async function advanceStepwise(ms: number): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed++) await advance(1);
}

/** Milliseconds on the fake clock since the behaviour started. */
export function fakeNow(): number {
  return Date.now() - FAKE_EPOCH;
}
