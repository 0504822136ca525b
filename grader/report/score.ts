/** Turning raw vitest outcomes into the report: statuses, points, messages. */
import type { Exercise } from '../course/manifest.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
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
  const notRun = run.outcome === 'finished' ? 'this behaviour did not run' : 'not run: grading stopped early';
  const tests = run.tests.map((test) => testReport(test, notRun));
  if (run.outcome === 'timed-out') {
    const seconds = Math.round(run.budgetMs / 100) / 10;
    return errorReport(exercise, `did not finish in ${seconds} s: is there an infinite loop?`, tests.map(zeroPoints));
  }
  if (run.outcome === 'out-of-memory') {
    return errorReport(
      exercise,
      `ran out of memory: it used more than ${run.memoryMb} MB and was stopped. Is something growing without end: ` +
        'an array or a queue that is never emptied, or an endless loop that keeps creating promises?',
      tests.map(zeroPoints),
    );
  }
  if (run.outcome === 'crashed') return errorReport(exercise, run.reason, tests.map(zeroPoints));

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
