/** Runs in every grading worker before a hidden suite loads (vitest `setupFiles`). */
import { afterAll } from 'vitest';
import { installTimerBridges } from './timer-bridges.ts';
import { listenForUnhandled, takeUnhandled } from './unhandled.ts';
import { drain } from './clock.ts';
import { unhandledFeedback } from './feedback.ts';

installTimerBridges();
listenForUnhandled();

afterAll(async () => {
  await drain();
  const [late] = takeUnhandled();
  if (late !== undefined) throw unhandledFeedback(late.reason);
});
