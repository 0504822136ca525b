/**
 * Which candidate and exercise the current test file grades. A worker that grades one pair per process
 * reads it from its project's `provide`. A worker that grades a whole class one pair after another
 * (grader/engine/shared-workers.ts) gets it from the generated test file that loads the suite, which first
 * calls `enterGrading`.
 */
import { inject } from 'vitest';
import type { GradingContext } from '../engine/worker-protocol.ts';
import { resetLoadFailure } from './implementation.ts';
import { beginFile, forgetModules } from './reuse.ts';

let entered: GradingContext | undefined;

export function gradingContext(): GradingContext {
  return (
    entered ?? {
      runDir: inject('graderRunDir'),
      candidate: inject('graderCandidate'),
      files: inject('graderFiles'),
      shuffleSeed: inject('graderShuffleSeed'),
    }
  );
}

/** A generated test file is about to load a suite for this candidate, in a worker that may have graded others. */
export function enterGrading(context: GradingContext): void {
  entered = context;
  if (context.runDir !== undefined) forgetModules(context.runDir);
  resetLoadFailure();
  beginFile(context.runDir);
}
