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
}

export type ExerciseRun =
  | { outcome: 'missing'; file: string }
  | { outcome: 'timed-out'; tests: RawTest[]; budgetMs: number }
  | { outcome: 'crashed'; tests: RawTest[]; reason: string }
  | { outcome: 'finished'; tests: RawTest[]; moduleErrors: string[] };

export type CandidateRuns = Map<string, ExerciseRun>;
