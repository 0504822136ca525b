/** The `--json` document, field by field: nothing internal leaks into what scripts parse. */
import type { ExerciseReport, GradeReport, JsonExercise, JsonReport } from './types.ts';

export function toJsonDocument(report: GradeReport): JsonReport {
  return {
    version: 1,
    status: report.status,
    points: report.points,
    maxPoints: report.maxPoints,
    exercises: report.exercises.map(toJsonExercise),
  };
}

export function toJsonExercise(exercise: ExerciseReport): JsonExercise {
  return {
    id: exercise.id,
    status: exercise.status,
    ...(exercise.status === 'error' ? { message: exercise.message ?? 'error' } : {}),
    points: exercise.points,
    maxPoints: exercise.maxPoints,
    tests: exercise.tests.map((test) => ({
      name: test.name,
      task: test.task,
      status: test.status,
      ...(test.status === 'pass' ? {} : { message: test.message ?? '' }),
      points: test.points,
    })),
  };
}

export function formatJson(report: GradeReport): string {
  return JSON.stringify(toJsonDocument(report), null, 2) + '\n';
}
