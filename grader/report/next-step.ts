/** The one thing a learner should do next, from a grading report. */
import { isLearnerEdition, type Course, type Exercise } from '../course/manifest.ts';
import type { ExerciseReport, GradeReport } from './types.ts';

export interface NextStepContext {
  course: Course;
  /** Exercise id → the graded file, as the learner knows it. */
  files: Map<string, string>;
}

function gradeCommand(id: string): string {
  return `npm run grade -- ${id}`;
}

function firstFailure(exercise: ExerciseReport) {
  return exercise.tests.find((test) => test.status !== 'pass');
}

export function nextStep(report: GradeReport, { course, files }: NextStepContext): string {
  const byId = new Map(course.exercises.map((exercise) => [exercise.id, exercise]));
  const fileOf = (exercise: Exercise) => files.get(exercise.id) ?? exercise.stub;
  for (const result of report.exercises) {
    const exercise = byId.get(result.id)!;
    if (result.status === 'error') {
      return `Fix ${fileOf(exercise)} so it can be graded (see the error above), then run ${gradeCommand(exercise.id)}.`;
    }
    if (result.status === 'fail') {
      const failure = firstFailure(result);
      const untouched = result.tests.every((test) => test.status === 'pass' || test.kind === 'not-implemented');
      if (untouched && result.points === 0) {
        return `Start ${exercise.id}: read ${exercise.lesson}, then write your code in ${fileOf(exercise)} and run ${gradeCommand(exercise.id)}.`;
      }
      return (
        `Make “${failure?.name}” pass: edit ${fileOf(exercise)} (${exercise.lesson} explains it), then run ${gradeCommand(exercise.id)}. ` +
        `Stuck? npm run grader -- hint ${exercise.id} gives the next hint (${exercise.hints.length} in all).`
      );
    }
  }
  const graded = new Set(report.exercises.map((exercise) => exercise.id));
  const upcoming = course.exercises.find((exercise) => !graded.has(exercise.id));
  if (upcoming) {
    return `All graded exercises pass. Next: ${upcoming.id} — read ${upcoming.lesson}, then run ${gradeCommand(upcoming.id)}.`;
  }
  return isLearnerEdition(course)
    ? 'Every exercise passes: you have finished the course. Well done.'
    : 'Every exercise passes: you have finished the course. The reference solutions in solutions/ are yours to compare with.';
}
