/** The one exercise a learner command is about, from its positional argument. */
import type { Course, Exercise } from '../course/manifest.ts';
import { selectExercises } from '../course/select.ts';
import { UsageError } from '../errors/usage-error.ts';

/** `reset pool` → pool. Unknown id → exit 2 with "did you mean". Missing → exit 2 with an example. */
export function requireExercise(course: Course, positionals: string[], command: string): Exercise {
  const [id] = positionals;
  if (id === undefined) {
    throw new UsageError(`${command} needs an exercise id, e.g. 'npm run grader -- ${command} ${course.exercises[0]!.id}' (exercises: ${course.exercises.map((e) => e.id).join(', ')})`);
  }
  return selectExercises(course, [id])[0]!;
}

/** Like requireExercise, but without an id: `fallback` (the learner's current exercise). */
export function exerciseOrCurrent(course: Course, positionals: string[], fallback: Exercise | undefined): Exercise | undefined {
  return positionals.length === 0 ? fallback : selectExercises(course, positionals)[0];
}
