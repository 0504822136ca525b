/**
 * Practice tests for exercise 04 — circuit-breaker. Run them with `npx vitest exercises/04-circuit-breaker`.
 *
 * They check the basics only: passing them means you are on your way, not that you are done.
 * The grader (`npm run grade -- circuit-breaker`) checks the whole contract: the exact moment the
 * circuit turns half-open, the single trial call, errorFilter, timeouts and their late results,
 * calls that were still running when the circuit opened, onStateChange, the options, and more.
 *
 * Every test runs on vitest's fake clock (`vi.useFakeTimers()`, which fakes `Date` too), so nothing
 * waits in real time: `vi.advanceTimersByTimeAsync(ms)` moves the clock forward.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** An action that fails when asked to. */
const service = async (shouldFail: boolean): Promise<string> => {
  if (shouldFail) throw new Error('service down');
  return 'ok';
};

describe('CircuitBreaker', () => {
  it('passes calls through while closed: same arguments, same result, same error', async () => {
    const breaker = new CircuitBreaker((a: number, b: number) => a + b);
    await expect(breaker.fire(2, 3)).resolves.toBe(5);
    expect(breaker.state).toBe('closed');

    const failure = new Error('boom');
    const failing = new CircuitBreaker(() => Promise.reject(failure));
    await expect(failing.fire()).rejects.toBe(failure);
  });

  it('opens after failureThreshold failures in a row, then refuses calls without running the action', async () => {
    const action = vi.fn(service);
    const breaker = new CircuitBreaker(action, { failureThreshold: 2 });

    await expect(breaker.fire(true)).rejects.toThrow('service down');
    expect(breaker.state).toBe('closed'); // one failure is not enough
    await expect(breaker.fire(true)).rejects.toThrow('service down');
    expect(breaker.state).toBe('open');

    await expect(breaker.fire(false)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(action).toHaveBeenCalledTimes(2); // the refused call never reached the action
  });

  it('becomes half-open resetTimeout ms after opening, and a successful trial closes it', async () => {
    const breaker = new CircuitBreaker(service, { failureThreshold: 1, resetTimeout: 1_000 });
    await expect(breaker.fire(true)).rejects.toThrow('service down');
    expect(breaker.state).toBe('open');

    await vi.advanceTimersByTimeAsync(999);
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('half-open');

    await expect(breaker.fire(false)).resolves.toBe('ok'); // the trial call
    expect(breaker.state).toBe('closed');
  });

  it('reports each change of state to onStateChange as (to, from)', async () => {
    const changes: string[] = [];
    const breaker = new CircuitBreaker(service, {
      failureThreshold: 1,
      resetTimeout: 100,
      onStateChange: (to, from) => changes.push(`${from} -> ${to}`),
    });
    await breaker.fire(true).catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.state).toBe('half-open');
    expect(changes).toEqual(['closed -> open', 'open -> half-open']);
  });
});
