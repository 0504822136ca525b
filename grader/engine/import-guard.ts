/**
 * Learner code may not import the test framework or the grader's own code:
 * a file that could reach `vitest` (to change `expect`, or the fake clock) or
 * the harness could change how it is graded. A vite plugin in every graded
 * project refuses such imports; the learner sees which import and why.
 *
 * This keeps honest mistakes and casual tampering out. It is not a sandbox:
 * code that runs in the grading process could still reach Node's own loader.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { REPO_ROOT } from '../course/manifest.ts';

/** Marks the refusal, so that the harness can word the load error for a learner. */
export const IMPORT_REFUSED = 'import refused by the grader';

const TEST_FRAMEWORK = /^(?:vitest|vite|chai|tinyspy|@vitest\/[^/]+|@sinonjs\/[^/]+)(?:\/.*)?$/;
const GRADER_CODE = ['harness', 'suites', 'engine', 'course', 'report', 'cli', 'bin', 'dev'].map((dir) =>
  resolve(REPO_ROOT, 'grader', dir),
);

const SCRIPT = /\.[cm]?[jt]sx?$/;

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + sep);
}

/** The grader's own code and installed packages may import anything; every other file is the learner's. */
function isLearnerCode(importer: string): boolean {
  const file = importer.split('?')[0]!;
  // vite's own entry points (the root `index.html` that "imports" setup files) are not code anyone wrote.
  if (!isAbsolute(file) || !SCRIPT.test(file)) return false;
  return !file.includes(`${sep}node_modules${sep}`) && !GRADER_CODE.some((dir) => isInside(file, dir));
}

export function refusalFor(source: string, resolvedFile: string | undefined): string | undefined {
  if (TEST_FRAMEWORK.test(source)) return `"${source}", the test framework`;
  if (resolvedFile !== undefined && GRADER_CODE.some((dir) => isInside(resolvedFile, dir))) {
    return `"${source}", the grader's own code (${relative(REPO_ROOT, resolvedFile)})`;
  }
  return undefined;
}

export function importGuard(): Plugin {
  return {
    name: 'grader:import-guard',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (importer === undefined || !isLearnerCode(importer)) return null;
      const early = refusalFor(source, undefined);
      const resolved = early ? undefined : await this.resolve(source, importer, { ...options, skipSelf: true });
      const why = early ?? refusalFor(source, resolved?.id.split('?')[0]);
      if (why === undefined) return resolved ?? null;
      throw new Error(
        `${IMPORT_REFUSED}: ${relative(REPO_ROOT, importer)} imports ${why}. ` +
          'Your code may not import the test framework or the grader: it is graded as it would run in a real program',
      );
    },
  };
}
