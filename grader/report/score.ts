/** Turning raw vitest outcomes into the report: statuses, points, messages. */
import type { Exercise } from '../course/manifest.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { LOADING_STEP } from '../engine/worker-protocol.ts';
import type { ExerciseReport, GradeReport, ScoredTest, Status } from './types.ts';

function testReport(test: RawTest, notRunReason: string): ScoredTest {
  const base = { name: test.name, task: test.task, worth: test.points, kind: test.kind, ...(test.output ? { output: test.output } : {}) };
  if (test.state === 'passed') return { ...base, status: 'pass', points: test.points };
  if (test.state !== 'failed') return { ...base, status: 'error', message: notRunReason, points: 0 };
  if (isFatal(test)) return { ...base, status: 'error', message: test.message, points: 0 };
  return { ...base, status: 'fail', message: test.message ?? 'failed', points: 0 };
}

/** Failures that mean the exercise could not be graded at all, rather than a wrong answer. */
const FATAL_KINDS: ReadonlySet<string> = new Set(['not-loaded', 'ended-process', 'tampered']);

function isFatal(test: RawTest): boolean {
  return test.kind !== undefined && FATAL_KINDS.has(test.kind);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function errorReport(exercise: Exercise, message: string, tests: ScoredTest[]): ExerciseReport {
  return { id: exercise.id, status: 'error', message, points: 0, maxPoints: exercise.points, tests };
}

export function scoreExercise(exercise: Exercise, run: ExerciseRun | undefined): ExerciseReport {
  const report = scoreRun(exercise, run);
  return run !== undefined && run.outcome !== 'missing' && run.output ? { ...report, output: run.output } : report;
}

function scoreRun(exercise: Exercise, run: ExerciseRun | undefined): ExerciseReport {
  if (run === undefined) {
    return errorReport(exercise, 'the grader could not run this exercise (the grading run stopped early)', []);
  }
  if (run.outcome === 'missing') {
    return errorReport(exercise, `${run.file} does not exist: there is nothing to grade`, []);
  }
  if (run.outcome !== 'finished') return stoppedReport(exercise, run);
  const tests = run.tests.map((test) => testReport(test, 'this behaviour did not run'));

  const fatal = run.tests.find(isFatal);
  if (fatal) return errorReport(exercise, fatal.message ?? 'the file could not be loaded', tests.map(zeroPoints));
  if (tests.length === 0) {
    const why = run.moduleErrors[0] ?? 'no behaviour ran';
    return errorReport(exercise, `the hidden suite could not run: ${why}`, tests);
  }
  if (run.moduleErrors.length > 0) {
    // Raised outside any behaviour (an unhandled rejection after the last one, say): never a pass.
    return errorReport(exercise, run.moduleErrors.join('\n'), tests.map(zeroPoints));
  }
  const points = sum(tests.map((test) => test.points));
  const maxPoints = sum(tests.map((test) => test.worth));
  const status: Status = tests.every((test) => test.status === 'pass') ? 'pass' : 'fail';
  return { id: exercise.id, status, points, maxPoints, tests };
}

/** Said of every behaviour of an exercise that was stopped, but the one it was stopped in. */
export const NOT_COUNTED = 'not counted: grading of this exercise was stopped';
export const STILL_RUNNING = 'this behaviour was still running when grading was stopped';

type StoppedRun = Extract<ExerciseRun, { outcome: 'timed-out' | 'out-of-memory' | 'crashed' }>;

/**
 * An exercise whose process was stopped (or died) earns nothing. Which behaviours had been reported by
 * then depends on timing, so none is reported as passed or failed: each is "not counted", but the one the
 * harness announced it was running, which is named, so the report is the same on every run.
 */
function stoppedReport(exercise: Exercise, run: StoppedRun): ExerciseReport {
  const tests = run.tests.map(
    (test): ScoredTest => ({
      name: test.name,
      task: test.task,
      worth: test.points,
      status: 'error',
      message: test.name === run.stoppedIn ? STILL_RUNNING : NOT_COUNTED,
      points: 0,
      ...(test.output ? { output: test.output } : {}),
    }),
  );
  if (run.outcome === 'timed-out') {
    const seconds = Math.round(run.budgetMs / 100) / 10;
    const where = run.stoppedIn === LOADING_STEP ? ' while the file loaded' : '';
    return errorReport(exercise, `did not finish in ${seconds} s${where}: is there an infinite loop?`, tests);
  }
  if (run.outcome === 'out-of-memory') {
    return errorReport(
      exercise,
      `ran out of memory: it used more than ${run.memoryMb} MB and was stopped. Is something growing without end: ` +
        'an array or a queue that is never emptied, or an endless loop that keeps creating promises?',
      tests,
    );
  }
  return errorReport(exercise, run.reason, tests);
}

/** An exercise in error earns nothing, whatever ran before the error. */
function zeroPoints(test: ScoredTest): ScoredTest {
  return { ...test, points: 0 };
}

export function overallStatus(statuses: Status[]): Status {
  if (statuses.includes('error')) return 'error';
  if (statuses.includes('fail')) return 'fail';
  return 'pass';
}

export function buildReport(exercises: ExerciseReport[]): GradeReport {
  return {
    version: 1,
    status: overallStatus(exercises.map((exercise) => exercise.status)),
    points: sum(exercises.map((exercise) => exercise.points)),
    maxPoints: sum(exercises.map((exercise) => exercise.maxPoints)),
    exercises,
  };
}
