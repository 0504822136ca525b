/** A manifest entry for unit tests: what an exercise `id` at position `n` would have, and any field given. */
import { exercisePaths, type Exercise } from '../../course/manifest.ts';

export function fakeExercise(id: string, n: number, fields: Partial<Exercise> = {}): Exercise {
  return {
    id,
    title: `The ${id} exercise`,
    number: n,
    root: '/nowhere',
    ...exercisePaths(n, id),
    points: 1,
    hints: [],
    ...fields,
  };
}
