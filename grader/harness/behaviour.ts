/**
 * `behaviour` is `test` for hidden suites: a name in a learner's words, a
 * number of points, a fake clock, a check for unhandled rejections, and
 * learner-facing feedback for anything that goes wrong.
 */
import { describe, test } from 'vitest';
import { drain, useFakeClock, useRealClock } from './clock.ts';
import { toFeedback, unhandledFeedback } from './feedback.ts';
import { currentLoadFailure } from './implementation.ts';
import { takeUnhandled } from './unhandled.ts';

declare module 'vitest' {
  interface TaskMeta {
    points?: number;
  }
  interface ProvidedContext {
    graderRunDir: string;
    graderCandidate: string;
    /** Exercise id → the implementation file, as the learner knows it. */
    graderFiles: Record<string, string>;
  }
}

/** A part of the contract ("createLimiter", "mapLimit"): the behaviours inside it are graded one by one. */
export const task = describe;

export interface BehaviourOptions {
  points?: number;
}

export function behaviour(name: string, body: () => void | Promise<void>, options: BehaviourOptions = {}): void {
  test(name, { meta: { points: options.points ?? 1 } }, async () => {
    const loadFailure = currentLoadFailure();
    if (loadFailure) throw loadFailure;
    takeUnhandled(); // anything from an earlier behaviour was reported there
    useFakeClock();
    try {
      await body();
      await drain();
      const [unhandled] = takeUnhandled();
      if (unhandled !== undefined) throw unhandledFeedback(unhandled.reason);
    } catch (error) {
      const [unhandled] = takeUnhandled();
      // An unhandled rejection is usually the root cause of whatever failed next.
      throw unhandled !== undefined && !(error instanceof Error && error.name === 'Feedback')
        ? unhandledFeedback(unhandled.reason)
        : toFeedback(error);
    } finally {
      useRealClock();
    }
  });
}
