/**
 * The course's own tests (`npm test`):
 *   unit      the grader's unit and integration tests
 *   lessons   every ```ts block of every lesson (extracted by grader/dev/lesson-blocks.ts)
 *   practice  the learners' practice tests, run against the reference solutions
 */
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';

const root = resolve(import.meta.dirname, '..');

/** Point `exercises/NN-id/id.ts` at `solutions/NN-id/id.ts`, so practice tests check the solutions. */
function practiceAgainstSolutions(): Plugin {
  const exercises = resolve(root, 'exercises') + '/';
  return {
    name: 'practice-against-solutions',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer?.startsWith(exercises) || !source.startsWith('.')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !resolved.id.startsWith(exercises) || resolved.id.endsWith('.test.ts')) return resolved;
      return resolve(root, 'solutions', resolved.id.slice(exercises.length));
    },
  };
}

export default defineConfig({
  test: {
    root,
    projects: [
      { extends: true, test: { name: 'unit', include: ['grader/test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: 'lessons', include: ['.lesson-blocks/**/*.test.ts'], setupFiles: ['grader/dev/lesson-real-timers.ts'] } },
      { extends: true, plugins: [practiceAgainstSolutions()], test: { name: 'practice', include: ['exercises/**/*.test.ts'], setupFiles: ['grader/harness/practice-setup.ts'] } },
    ],
  },
});
