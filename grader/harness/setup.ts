/**
 * Runs in every grading worker before a hidden suite loads (vitest `setupFiles`). A worker that grades a
 * class runs it once per file; the installs below happen once per process.
 */
import { afterAll } from 'vitest';
import { captureRawWrites, installProcessGuards, takeProcessEndAttempt } from './guards.ts';
import { installTimerBridges } from './timer-bridges.ts';
import { listenForUnhandled, takeOutsideUnhandled } from './unhandled.ts';
import { drain, installGlobalTimerBridges } from './clock.ts';
import { endedProcessFeedback, unhandledFeedback } from './feedback.ts';
import { endFile, markDirty } from './reuse.ts';
import { watchLastingEffects } from './lasting-effects.ts';

installProcessGuards();
captureRawWrites();
installGlobalTimerBridges();
installTimerBridges();
listenForUnhandled();
watchLastingEffects();

afterAll(async () => {
  await drain();
  endFile();
  const ended = takeProcessEndAttempt();
  const [late] = takeOutsideUnhandled();
  if (ended || late !== undefined) markDirty(ended ?? 'an unhandled error outside any behaviour');
  if (ended) throw endedProcessFeedback(ended, 'after the last behaviour');
  if (late !== undefined) throw unhandledFeedback(late, 'outside any behaviour');
});
