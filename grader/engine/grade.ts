/**
 * The one way to grade: candidates and exercises in, one report per candidate out. `grade`, `watch`,
 * `batch` and `verify` all come through here, so a run is scored and reported the same way whichever
 * command asked for it; only how the suites run differs (one vitest run for many candidates, or a
 * long-lived session that reruns one exercise, see session.ts).
 */
import type { Exercise } from '../course/manifest.ts';
import { buildReport, scoreExercise } from '../report/score.ts';
import type { GradeReport } from '../report/types.ts';
import type { Candidate } from './candidate.ts';
import type { CandidateRuns } from './run-result.ts';
import { DEFAULT_BUDGET_MS, runGrading, type GradingRequest } from './run.ts';

/** Runs the hidden suites for a request; the default is one vitest run for every candidate (run.ts). */
export type Runner = (request: GradingRequest) => Promise<Map<string, CandidateRuns>>;

/** `--timeout SECONDS` as the engine's budget for one exercise of one candidate. */
export function budgetFor(seconds: number | undefined): number {
  return seconds === undefined ? DEFAULT_BUDGET_MS : seconds * 1000;
}

/**
 * Candidate id → its report, with one exercise for each file the candidate hands in, in course order. A
 * candidate whose results the run lost entirely still gets a report: each exercise is an `error`
 * (scoreExercise's reading of a missing run), so one lost learner never stops a class.
 */
export function scoreCandidates(candidates: Candidate[], exercises: Exercise[], runs: Map<string, CandidateRuns>): Map<string, GradeReport> {
  return new Map(
    candidates.map((candidate) => {
      const graded = exercises.filter((exercise) => candidate.files.has(exercise.id));
      return [candidate.id, buildReport(graded.map((exercise) => scoreExercise(exercise, runs.get(candidate.id)?.get(exercise.id))))];
    }),
  );
}

export async function gradeCandidates(request: GradingRequest, run: Runner = runGrading): Promise<Map<string, GradeReport>> {
  return scoreCandidates(request.candidates, request.exercises, await run(request));
}
