/**
 * The grader's own files that a grading run loads from wherever the grader is installed, whichever
 * course it grades: the harness's setup file and context, and the one specifier suites import it by.
 */
import { resolve } from 'node:path';

export const GRADER_DIR = resolve(import.meta.dirname, '..');
export const HARNESS_SETUP = resolve(GRADER_DIR, 'harness/setup.ts');
export const HARNESS_CONTEXT = resolve(GRADER_DIR, 'harness/context.ts');
/** Suites import the harness as `@grader/harness`, so a course may live anywhere. */
export const HARNESS_SPECIFIER = '@grader/harness';
export const HARNESS_ALIAS = { find: /^@grader\/harness$/, replacement: resolve(GRADER_DIR, 'harness/index.ts') };
