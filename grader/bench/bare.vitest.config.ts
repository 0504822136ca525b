/**
 * The hidden suites under a bare `vitest run`, with the same alias the grader
 * uses: the baseline `npm run bench` compares the grader against.
 * `GRADER_IMPL_DIR` picks the implementation folder (default: solutions).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = resolve(import.meta.dirname, '../..');
const implDir = resolve(root, process.env.GRADER_IMPL_DIR ?? 'solutions');

export default defineConfig({
  root,
  resolve: { alias: { '@impl': implDir, '@grader/harness': resolve(root, 'grader/harness/index.ts') } },
  test: {
    include: ['grader/suites/*.suite.ts'],
    setupFiles: ['grader/harness/setup.ts'],
    pool: 'forks',
    isolate: true,
  },
});
