/** Runs in every grading worker before a hidden suite loads (vitest `setupFiles`). */
import { afterAll } from 'vitest';
import { captureRawWrites, installProcessGuards, takeProcessEndAttempt } from './guards.ts';
import { installTimerBridges } from './timer-bridges.ts';
import { listenForUnhandled, takeOutsideUnhandled } from './unhandled.ts';
import { drain, installGlobalTimerBridges } from './clock.ts';
import { endedProcessFeedback, unhandledFeedback } from './feedback.ts';

installProcessGuards();
captureRawWrites();
installGlobalTimerBridges();
installTimerBridges();
listenForUnhandled();

afterAll(async () => {
  await drain();
  const ended = takeProcessEndAttempt();
  if (ended) throw endedProcessFeedback(ended, 'after the last behaviour');
  const [late] = takeOutsideUnhandled();
  if (late !== undefined) throw unhandledFeedback(late, 'outside any behaviour');
});
