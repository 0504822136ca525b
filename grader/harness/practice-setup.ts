/**
 * Setup for the learners' practice tests (vitest.config.ts): `node:timers`,
 * `node:timers/promises` and `AbortSignal.timeout` follow the global timers,
 * so a practice test's `vi.useFakeTimers()` drives every timer API a learner
 * may choose, as the grader's fake clock does. Without it, code that sleeps
 * with `node:timers/promises` would pass the grader and fail its practice tests.
 */
import { installTimerBridges } from './timer-bridges.ts';

installTimerBridges();
