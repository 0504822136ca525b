/**
 * `behaviour` is `test` for hidden suites: a name in a learner's words, a
 * number of points, a fake clock, a check for unhandled rejections, and
 * learner-facing feedback for anything that goes wrong.
 */
import { describe, inject, test } from 'vitest';
import { drain, useFakeClock, useRealClock } from './clock.ts';
import { endedProcessFeedback, tamperedFeedback, toFeedback, unhandledFeedback } from './feedback.ts';
import { snapshotGlobals, takeProcessEndAttempt, tamperingSince } from './guards.ts';
import { announceStep, currentLoadFailure } from './implementation.ts';
import { gradingContext } from './context.ts';
import { behaviourSettled, behaviourStarted, markDirty } from './reuse.ts';
import { setAsideUnhandled, takeUnhandled } from './unhandled.ts';
import { seededRandom } from './random.ts';
// The context the grader provides, and the meta written back (`points`, `order`, `graderVerdict`).
import type {} from '../engine/worker-protocol.ts';

let written = 0;
let collecting: Array<() => void> | undefined;

function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * A part of the contract ("createLimiter", "mapLimit"): the behaviours inside it are graded one by one.
 * vitest shuffles only for a whole run; the grader asks for a shuffled order per candidate, so the
 * shuffling happens here, when behaviours are registered.
 */
export function task(name: string, body: () => void): void {
  describe(name, () => {
    const registrations: Array<() => void> = [];
    collecting = registrations;
    try {
      body();
    } finally {
      collecting = undefined;
    }
    const seed = gradingContext().shuffleSeed;
    for (const register of seed === undefined ? registrations : shuffled(registrations, seed)) register();
  });
}

export interface BehaviourOptions {
  points?: number;
}

export function behaviour(name: string, body: () => void | Promise<void>, options: BehaviourOptions = {}): void {
  const order = written++;
  const register = (): void => test(name, { meta: { points: options.points ?? 1, order } }, async ({ task: self }) => {
    const loadFailure = currentLoadFailure();
    if (loadFailure) throw loadFailure;
    setAsideUnhandled();
    const endedBetween = takeProcessEndAttempt();
    if (endedBetween) throw endedProcessFeedback(endedBetween, 'between behaviours');
    announceStep(name);
    useFakeClock(name);
    const globals = snapshotGlobals();
    behaviourStarted();
    try {
      await body();
      await drain();
      const [unhandled] = takeUnhandled();
      if (unhandled !== undefined) throw unhandledFeedback(unhandled);
      self.meta.graderVerdict = inject('graderVerdictToken');
    } catch (error) {
      // A failed check ends the body at once: let the rejections its last microtasks raise surface
      // now, so they belong to this behaviour, not to whichever one runs next.
      await drain();
      const [unhandled] = takeUnhandled();
      // An unhandled rejection is usually the root cause of whatever failed next.
      throw unhandled !== undefined && !(error instanceof Error && error.name === 'Feedback')
        ? unhandledFeedback(unhandled)
        : toFeedback(error);
    } finally {
      // Checked last and thrown from `finally`: these outrank whatever the behaviour concluded.
      behaviourSettled();
      const ended = takeProcessEndAttempt();
      const tampering = tamperingSince(globals);
      useRealClock();
      if (ended || tampering.length > 0) markDirty(`during “${name}”: ${ended ?? tampering.join('; ')}`);
      if (ended) throw endedProcessFeedback(ended, `during “${name}”`);
      if (tampering.length > 0) throw tamperedFeedback(tampering, `during “${name}”`);
    }
  });
  if (collecting) collecting.push(register);
  else register();
}
