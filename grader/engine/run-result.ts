/** What one vitest run tells us about one (candidate, exercise) pair, before scoring. */
import type { FeedbackKind } from '../harness/feedback.ts';

export interface RawTest {
  name: string;
  /** The `task(...)` the behaviour sits in: the part of the contract it checks. */
  task: string;
  points: number;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  kind?: FeedbackKind;
  message?: string;
  /** What the learner's code printed while this behaviour ran, truncated. */
  output?: string;
}

/** What a worker that ran reports: its behaviours, and what the learner's code printed outside them. */
interface Ran {
  tests: RawTest[];
  output?: string;
  /** The process that graded it, as it announced itself (diagnostics and tests: which pairs shared one). */
  workerPid?: number;
  /** When it was stopped before the end: the behaviour that was running (or the file loading), as announced. */
  stoppedIn?: string;
}

export type ExerciseRun =
  | { outcome: 'missing'; file: string }
  | (Ran & { outcome: 'timed-out'; budgetMs: number })
  | (Ran & { outcome: 'out-of-memory'; memoryMb: number })
  | (Ran & { outcome: 'crashed'; reason: string })
  | (Ran & { outcome: 'finished'; moduleErrors: string[] });

export type CandidateRuns = Map<string, ExerciseRun>;
