/**
 * The learner's vitest: runs the practice tests next to each stub.
 *   npx vitest exercises/01-pool     watch one exercise's practice tests
 *   npm run test:ui                  the same in the browser
 * The course's own tests use grader/vitest.config.ts (`npm test`).
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
