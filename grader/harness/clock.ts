/**
 * The suites' clock. Every behaviour runs on vitest's fake timers; `drain()`
 * lets the learner's code run every pending microtask without firing a
 * single timer, which is exactly the contract's "at once".
 */
import { vi } from 'vitest';

// Kept before any learner code loads: a learner who swaps the globals cannot
// change how the suite waits.
const realSetImmediate = globalThis.setImmediate;

/** A fixed epoch so that `Date.now()` is the same on every run. */
export const FAKE_EPOCH = Date.UTC(2026, 0, 1);

export function useFakeClock(): void {
  vi.useFakeTimers({
    now: FAKE_EPOCH,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'],
  });
}

export function useRealClock(): void {
  vi.clearAllTimers();
  vi.useRealTimers();
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

/** Timers of the learner's still scheduled on the fake clock. */
export function pendingTimerCount(): number {
  return vi.getTimerCount();
}

/** Move the fake clock forward one millisecond at a time, draining after each: timers fire at their exact time. */
export async function advanceStepwise(ms: number): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed++) await advance(1);
}

/** Milliseconds on the fake clock since the behaviour started. */
export function fakeNow(): number {
  return Date.now() - FAKE_EPOCH;
}
