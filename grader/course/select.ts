/** Exercise ids from the command line → manifest entries, in course order. */
import { UsageError } from '../errors/usage-error.ts';
import type { Course, Exercise } from './manifest.ts';

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

export function suggestId(input: string, ids: string[]): string | undefined {
  const ranked = ids
    .map((id) => ({ id, distance: id.startsWith(input) || input.startsWith(id) ? 1 : editDistance(input, id) }))
    .sort((x, y) => x.distance - y.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(best.id.length / 3)) ? best.id : undefined;
}

/** No ids: every exercise. Otherwise those, in course order, each once. */
export function selectExercises(course: Course, ids: string[]): Exercise[] {
  const known = course.exercises.map((exercise) => exercise.id);
  for (const id of ids) {
    if (known.includes(id)) continue;
    const suggestion = suggestId(id, known);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : ` Exercises: ${known.join(', ')}.`;
    throw new UsageError(`unknown exercise '${id}'.${hint}`);
  }
  return ids.length === 0 ? course.exercises : course.exercises.filter((exercise) => ids.includes(exercise.id));
}
