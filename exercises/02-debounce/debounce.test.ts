/**
 * Practice tests for exercise 02 — debounce. Run them with `npx vitest exercises/02-debounce`.
 *
 * They check the basics only: passing them means you are on your way, not that you are done.
 * The grader (`npm run grade -- debounce`) checks the whole contract: `this`, rejections and throws,
 * calls made while fn runs, every kind of burst, abort in every situation, listener leaks, and more.
 *
 * Every test runs on vitest's fake timers, so nothing waits in real time: the test moves the clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounceAsync } from './debounce.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('debounceAsync', () => {
  it('calls fn once, wait ms after the last call, with the last arguments; every caller gets the result', async () => {
    const fn = vi.fn(async (query: string) => `results for ${query}`);
    const search = debounceAsync(fn, 100);

    const first = search('a');
    await vi.advanceTimersByTimeAsync(50);
    const second = search('ab'); // less than 100 ms later: same burst, the timer restarts
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).not.toHaveBeenCalled(); // 99 ms after the last call: still waiting

    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('ab');
    await expect(first).resolves.toBe('results for ab');
    await expect(second).resolves.toBe('results for ab');
  });

  it('with before: true calls fn at once, and the rest of the burst shares that call', async () => {
    const fn = vi.fn((n: number) => n * 10);
    const debounced = debounceAsync(fn, 100, { before: true });

    const first = debounced(1);
    expect(fn).toHaveBeenCalledTimes(1); // no timer needed for the first call of a burst
    const second = debounced(2);
    await vi.advanceTimersByTimeAsync(200);

    expect(fn).toHaveBeenCalledTimes(1);
    await expect(first).resolves.toBe(10);
    await expect(second).resolves.toBe(10);
  });

  it('rejects every waiting caller with signal.reason when the signal aborts, and never calls fn', async () => {
    const fn = vi.fn(() => 'never');
    const controller = new AbortController();
    const debounced = debounceAsync(fn, 100, { signal: controller.signal });
    const reason = new Error('cancelled by the user');

    const calls = [debounced(), debounced()];
    controller.abort(reason);

    const outcomes = await Promise.allSettled(calls);
    expect(outcomes).toEqual([
      { status: 'rejected', reason },
      { status: 'rejected', reason },
    ]);
    await vi.advanceTimersByTimeAsync(200);
    expect(fn).not.toHaveBeenCalled();
  });

  it('throws a TypeError for a wait that is not a finite number', () => {
    expect(() => debounceAsync(() => 1, Number.NaN)).toThrow(TypeError);
    expect(() => debounceAsync(() => 1, Infinity)).toThrow(TypeError);
  });
});
