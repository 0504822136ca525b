/**
 * The grader's own files that a grading run loads from wherever the grader is installed, whichever
 * course it grades: the harness's setup file and context, and the one specifier suites import it by; and
 * which folders under grader/ are the grader's own code (the import guard and the release both ask).
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const GRADER_DIR = resolve(import.meta.dirname, '..');
export const HARNESS_SETUP = resolve(GRADER_DIR, 'harness/setup.ts');
export const HARNESS_CONTEXT = resolve(GRADER_DIR, 'harness/context.ts');
/** Suites import the harness as `@grader/harness`, so a course may live anywhere. */
export const HARNESS_SPECIFIER = '@grader/harness';
export const HARNESS_ALIAS = { find: /^@grader\/harness$/, replacement: resolve(GRADER_DIR, 'harness/index.ts') };

/** The folders under grader/ that hold learners' code, not the grader's: test fixtures, the bug zoo, the edition's stubs. */
export const LEARNER_CODE_FOLDERS: readonly string[] = ['fixtures', 'zoo', 'stubs'];

/**
 * The names of the folders under `graderDir` that hold the grader's own code: every one but the learners'.
 * Read from the disk, so that a folder added to the grader is its code without a list to update.
 */
export function graderCodeFolders(graderDir: string = GRADER_DIR): string[] {
  let entries;
  try {
    entries = readdirSync(graderDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && !LEARNER_CODE_FOLDERS.includes(entry.name))
    .map((entry) => entry.name)
    .sort();
}
