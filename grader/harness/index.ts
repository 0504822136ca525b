/** Everything a hidden suite needs, in one import. */
export { behaviour, task } from './behaviour.ts';
export { advance, advanceStepwise, drain, fakeNow, pendingTimerCount, FAKE_EPOCH } from './clock.ts';
export { check, fail, show, Feedback } from './feedback.ts';
export { loadImplementation } from './implementation.ts';
export { attempt, track, fulfilledValue, rejectionReason, assertPromise, type Tracked, type Outcome } from './outcome.ts';
export { seededRandom, randomInt } from './random.ts';
export { gate, type Gate } from './gate.ts';
