/** Where the learner stands on each exercise: not started, in progress, done. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Course, type Exercise } from '../course/manifest.ts';
import { pristineStub } from './pristine.ts';
import type { Progress } from './store.ts';

export type ExerciseStatus = 'not started' | 'in progress' | 'done';

/** The learner's file differs from the original stub (false when that cannot be told: no git, no file). */
export function hasEditedStub(exercise: Pick<Exercise, 'stub' | 'root'>, root: string = exercise.root): boolean {
  let current: string;
  try {
    current = readFileSync(join(root, exercise.stub), 'utf8');
  } catch {
    return false;
  }
  const original = pristineStub(exercise, root);
  return original.ok && original.content !== current;
}

/**
 * done: passed at least once. in progress: graded, asked for a hint, or the
 * file edited. not started: none of these.
 */
export function exerciseStatus(exercise: Exercise, progress: Progress, root: string = exercise.root): ExerciseStatus {
  const entry = progress.exercises[exercise.id];
  if (entry?.passed) return 'done';
  if (entry && (entry.lastGradedAt !== undefined || entry.hintsShown > 0)) return 'in progress';
  return hasEditedStub(exercise, root) ? 'in progress' : 'not started';
}

/** The first exercise in course order that is not done; undefined when the course is finished. */
export function firstUnfinished(course: Course, progress: Progress): Exercise | undefined {
  return course.exercises.find((exercise) => progress.exercises[exercise.id]?.passed !== true);
}
