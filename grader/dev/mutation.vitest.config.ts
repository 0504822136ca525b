/**
 * The vitest config StrykerJS runs for `npm run mutation -- <id>`: one
 * exercise's hidden suite (named by `MUTATION_EXERCISE`), with `@impl`
 * pointing at the reference solutions.
 *
 * Stryker runs this file inside its sandbox copy of the project
 * (`.stryker-tmp/sandbox-…/`), so every path is derived from this file's own
 * location: `@impl` must resolve to the sandbox's mutated solution, never to
 * the original under the repository root.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { implSpecifier, parseCourse } from '../course/manifest.ts';

const root = resolve(import.meta.dirname, '../..');
const id = process.env.MUTATION_EXERCISE;
const exercise = parseCourse(readFileSync(resolve(root, 'course.json'), 'utf8'), root).exercises.find((e) => e.id === id);
if (!exercise) {
  throw new Error(`mutation.vitest.config.ts: set MUTATION_EXERCISE to an exercise id from course.json (got ${String(id)})`);
}

const file = process.env.MUTATION_FILE ?? exercise.solution;

export default defineConfig({
  root,
  // The exact specifier first: vite takes the first alias that matches.
  resolve: {
    alias: [
      { find: implSpecifier(exercise), replacement: resolve(root, file) },
      { find: '@impl', replacement: resolve(root, 'solutions') },
      { find: /^@grader\/harness$/, replacement: resolve(root, 'grader/harness/index.ts') },
    ],
  },
  test: {
    include: [exercise.suite],
    setupFiles: ['grader/harness/setup.ts'],
    // Stryker's runner forces its own pool (one worker thread); these match the bare config otherwise.
    isolate: true,
  },
});
