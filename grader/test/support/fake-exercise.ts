/** A manifest entry for unit tests: the paths an exercise `id` at position `n` would have, and any field given. */
import type { Exercise } from '../../course/manifest.ts';

export function fakeExercise(id: string, n: number, fields: Partial<Exercise> = {}): Exercise {
  return {
    id,
    title: `The ${id} exercise`,
    lesson: `lessons/0${n}-${id}.md`,
    stub: `exercises/0${n}-${id}/${id}.ts`,
    practice: `exercises/0${n}-${id}/${id}.test.ts`,
    solution: `solutions/0${n}-${id}/${id}.ts`,
    suite: `grader/suites/${id}.suite.ts`,
    zoo: `grader/zoo/${id}`,
    points: 1,
    hints: [],
    ...fields,
  };
}
