/**
 * Practice tests for exercise 03 — retry. Run them with `npx vitest exercises/03-retry`.
 *
 * They check the basics only: passing them means you are on your way, not that you are done.
 * The grader (`npm run grade -- retry`) checks the whole contract: every delay to the millisecond,
 * maxTimeout and randomize, the hooks and their order, AbortError, the signal, cleaning up after
 * yourself, invalid options, and more.
 *
 * Every test runs on vitest's fake clock: `vi.advanceTimersByTimeAsync(ms)` moves time forward
 * (firing the timers that fall due), so a test of a 1-second backoff takes no real time at all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, retry } from './retry.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** An input that fails `failures` times, then returns 'done'; it remembers the attempt numbers it got. */
function flaky(failures: number) {
  const calls: number[] = [];
  const input = async (attemptNumber: number) => {
    calls.push(attemptNumber);
    if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
    return 'done';
  };
  return { input, calls };
}

describe('retry', () => {
  it('resolves with the first success, calling input with 1, 2, 3, ...', async () => {
    const { input, calls } = flaky(2);
    const result = retry(input, { retries: 5, minTimeout: 10 });

    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe('done');
    expect(calls).toEqual([1, 2, 3]); // no call after the success
  });

  it('makes retries + 1 calls at most, then rejects with the last error', async () => {
    const { input, calls } = flaky(Infinity);
    const result = retry(input, { retries: 2, minTimeout: 10 });
    const settled = expect(result).rejects.toThrow('failure 3'); // attach the handler before time moves

    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    expect(calls).toEqual([1, 2, 3]);
  });

  it('waits minTimeout before the first retry, then twice as long before the next', async () => {
    const { input, calls } = flaky(2);
    const result = retry(input, { minTimeout: 100 });

    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1); // the first call does not wait
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(2); // after 100 ms
    await vi.advanceTimersByTimeAsync(199);
    expect(calls).toHaveLength(2); // the second wait is 200 ms...
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3); // ...and not a millisecond more
    await expect(result).resolves.toBe('done');
  });

  it('stops at once on an AbortError, rejecting with the error inside it', async () => {
    const original = new Error('this will never work');
    let calls = 0;
    const result = retry(() => {
      calls++;
      throw new AbortError(original);
    });

    await expect(result).rejects.toBe(original);
    expect(calls).toBe(1);
  });

  it('rejects with signal.reason when the signal aborts during a delay', async () => {
    const controller = new AbortController();
    const { input, calls } = flaky(Infinity);
    const result = retry(input, { minTimeout: 1000, signal: controller.signal });
    const settled = expect(result).rejects.toBe('cancelled');

    await vi.advanceTimersByTimeAsync(500);
    controller.abort('cancelled');
    await settled;
    expect(calls).toHaveLength(1);
  });
});
