/**
 * The `--json` document: Exercism's test-runner results.json (v3) with
 * points. Scripts depend on this shape (../shared/spec/README.md): change it
 * only with the version number.
 */
import type { FeedbackKind } from '../harness/feedback.ts';

export type Status = 'pass' | 'fail' | 'error';

export interface JsonTest {
  name: string;
  task: string;
  status: Status;
  /** Expected vs received, for a learner; absent when the behaviour passes. */
  message?: string;
  /** Points earned: the behaviour's points when it passes, else 0. */
  points: number;
}

export interface JsonExercise {
  id: string;
  status: Status;
  /** Only when status is error. */
  message?: string;
  points: number;
  maxPoints: number;
  tests: JsonTest[];
}

export interface JsonReport {
  version: 1;
  status: Status;
  points: number;
  maxPoints: number;
  exercises: JsonExercise[];
}

/** A behaviour as the grader keeps it: the JSON fields plus what it is worth and why it failed. */
export interface ScoredTest extends JsonTest {
  worth: number;
  kind?: FeedbackKind;
  /** What the learner's code printed during this behaviour (human report only). */
  output?: string;
}

export interface ExerciseReport extends Omit<JsonExercise, 'tests'> {
  tests: ScoredTest[];
  /** What the learner's code printed outside any behaviour (human report only). */
  output?: string;
}

export interface GradeReport extends Omit<JsonReport, 'exercises'> {
  exercises: ExerciseReport[];
}
