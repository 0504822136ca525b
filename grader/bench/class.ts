/**
 * A generated class for `npm run bench`: learners whose files are reference solutions, stubs,
 * alternatives and bugs from the zoo, mixed with a seeded random choice per learner and exercise,
 * half of them laid out like `exercises/` and half as a whole course copy. Each learner gets copies of the
 * files, as a real class would (nothing is shared between learners).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inCourse, workspacePath, type Exercise } from '../course/manifest.ts';
import { loadZoo, zooSource, type ZooEntry } from '../course/zoo.ts';
import { seededRandom } from '../harness/random.ts';

export type Kind = 'solution' | 'stub' | 'alternative' | 'bug';

/** How often each kind is drawn: a class is mostly partly-right work. */
const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ['solution', 0.3],
  ['alternative', 0.1],
  ['bug', 0.4],
  ['stub', 0.2],
];

export interface GeneratedLearner {
  id: string;
  kinds: Record<string, Kind>;
}

export async function generateClass(dir: string, size: number, exercises: Exercise[], seed = 2026): Promise<GeneratedLearner[]> {
  const random = seededRandom(seed);
  const zoos = new Map<string, ZooEntry[]>();
  for (const exercise of exercises) zoos.set(exercise.id, await loadZoo(exercise));
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const learners: GeneratedLearner[] = [];
  for (let index = 0; index < size; index++) {
    const id = `learner-${String(index + 1).padStart(3, '0')}`;
    const root = index % 2 === 0 ? join(dir, id) : join(dir, id, 'exercises');
    const kinds: Record<string, Kind> = {};
    for (const exercise of exercises) {
      let roll = random();
      const kind = KINDS.find(([, weight]) => (roll -= weight) < 0)?.[0] ?? 'solution';
      const zoo = zoos.get(exercise.id)!;
      const source =
        kind === 'solution'
          ? readFileSync(inCourse(exercise, exercise.solution), 'utf8')
          : kind === 'stub'
            ? readFileSync(inCourse(exercise, exercise.stub), 'utf8')
            : zooSource(exercise, pick(zoo.filter((entry) => entry.kind === kind)));
      const target = join(root, workspacePath(exercise));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, source);
      kinds[exercise.id] = kind;
    }
    learners.push({ id, kinds });
  }
  return learners;
}
