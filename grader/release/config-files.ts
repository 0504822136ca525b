/** The edition's tsconfig.json, vitest.config.ts and .gitignore: the course's, less what refers to files it lacks. */

export function editionTsconfig(tsconfigJson: string): string {
  const course = JSON.parse(tsconfigJson) as { compilerOptions?: Record<string, unknown> };
  // `paths` maps @impl/* to the solutions, for type-checking the suites' sources; the edition has neither.
  const { paths: _paths, ...compilerOptions } = course.compilerOptions ?? {};
  return `${JSON.stringify({ compilerOptions, include: ['exercises', 'grader', 'vitest.config.ts'] }, null, 2)}\n`;
}

export const EDITION_VITEST_CONFIG = `/**
 * Your practice tests: the few tests next to each stub, run against your own files.
 *   npm test                          every exercise's practice tests, once
 *   npx vitest exercises/01-pool      one exercise's, again on every save
 *   npm run test:ui                   the same in the browser
 * The grader's hidden suites are separate: npm run grade.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'practice',
    include: ['exercises/**/*.test.ts'],
    // Fake timers drive node:timers, node:timers/promises and AbortSignal.timeout too, as in the grader.
    setupFiles: ['grader/harness/practice-setup.ts'],
  },
});
`;

export const EDITION_GITIGNORE = ['node_modules/', '.grader/', 'progress.json', '*.log', ''].join('\n');
