/**
 * Learner code may not import the test framework or the grader's own code:
 * a file that could reach `vitest` (to change `expect`, or the fake clock) or
 * the harness could change how it is graded. A vite plugin in every graded
 * project refuses such imports; the learner sees which import and why.
 *
 * This keeps honest mistakes and casual tampering out. It is not a sandbox:
 * code that runs in the grading process could still reach Node's own loader.
 */
import * as lexer from 'es-module-lexer';
import { isAbsolute, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { isInside } from '../common/inside.ts';
import { displayPath } from '../common/shown-path.ts';
import { GRADER_DIR, graderCodeFolders } from './grader-files.ts';
import { ALLOWED_BUILTINS, builtinName, IMPORT_REFUSED } from './import-rules.ts';

const TEST_FRAMEWORK = /^(?:vitest|vite|chai|tinyspy|@vitest\/[^/]+|@sinonjs\/[^/]+)(?:\/.*)?$/;
// Everything under grader/ but the fixtures, the zoo and the edition's stubs, which are learners' code.
const GRADER_CODE = graderCodeFolders().map((dir) => resolve(GRADER_DIR, dir));

const SCRIPT = /\.[cm]?[jt]sx?$/;

/** Inside the repository: relative to it; anywhere else: absolute. */
function shownPath(file: string): string {
  return displayPath(file.split('?')[0]!, resolve(GRADER_DIR, '..'));
}

/**
 * The grader's own code and installed packages may import anything, and so may the files the grader
 * generates for a run (`trusted`: its run folder); every other file is the learner's.
 */
function isLearnerCode(importer: string, trusted: readonly string[]): boolean {
  const file = importer.split('?')[0]!;
  // vite's own entry points (the root `index.html` that "imports" setup files) are not code anyone wrote.
  if (!isAbsolute(file) || !SCRIPT.test(file)) return false;
  return !file.includes(`${sep}node_modules${sep}`) && ![...GRADER_CODE, ...trusted].some((dir) => isInside(file, dir));
}

/** A module given as a URL (`data:text/javascript,...`) would be loaded by Node itself, past this guard. */
const URL_MODULE = /^(?!node:)[a-z][a-z0-9+.-]*:/i;

export function refusalFor(source: string, resolvedFile: string | undefined): string | undefined {
  if (TEST_FRAMEWORK.test(source)) return `"${source}", the test framework`;
  if (URL_MODULE.test(source) && !/^[a-z]:[\\/]/i.test(source)) return `a module given as a URL ("${source.split(':')[0]}:…")`;
  const builtin = builtinName(source);
  if (builtin !== undefined && !ALLOWED_BUILTINS.has(builtin)) {
    return `"${source}", which the exercises do not need (they may use ${[...ALLOWED_BUILTINS].map((name) => `node:${name}`).join(', ')})`;
  }
  if (resolvedFile !== undefined && GRADER_CODE.some((dir) => isInside(resolvedFile, dir))) {
    return `"${source}", the grader's own code (${shownPath(resolvedFile)})`;
  }
  return undefined;
}

/**
 * What a learner's module (already compiled to JavaScript) imports that it may not. Node's built-in modules
 * never reach the plugin's `resolveId` (vitest's workers load them directly), so they are read from the
 * code itself, with a real lexer: an import in a comment or a string is not an import.
 */
/** vitest's worker state, reachable as a global: no exercise needs it, and it reaches the whole run. */
const RUNNER_INTERNALS = /__vitest_\w*|__VITEST_\w*/;

/** What a learner's module does that it may not, as the rest of a sentence that starts with its name. */
export async function refusedImport(code: string): Promise<string | undefined> {
  const internals = RUNNER_INTERNALS.exec(code)?.[0];
  if (internals) return `uses \`${internals}\`, the test runner's own state`;
  await lexer.init;
  const [imports] = lexer.parse(code);
  for (const entry of imports) {
    if (entry.d === -2) continue; // import.meta
    if (entry.n === undefined) return 'imports a module chosen while it runs (import() of something other than a string)';
    if (builtinName(entry.n) !== undefined || URL_MODULE.test(entry.n)) {
      const why = refusalFor(entry.n, undefined);
      if (why) return `imports ${why}`;
    }
  }
  return undefined;
}

export function importGuard(trusted: readonly string[] = []): Plugin {
  return {
    name: 'grader:import-guard',
    async transform(code, id) {
      if (!isLearnerCode(id, trusted)) return null;
      const why = await refusedImport(code);
      if (why === undefined) return null;
      throw new Error(
        `${IMPORT_REFUSED}: ${shownPath(id)} ${why}. ` +
          'Your code may not import the test framework, the grader, or Node modules that reach outside it',
      );
    },
  };
}

export function importResolveGuard(trusted: readonly string[] = []): Plugin {
  return {
    name: 'grader:import-resolve-guard',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (importer === undefined || !isLearnerCode(importer, trusted)) return null;
      const early = refusalFor(source, undefined);
      const resolved = early ? undefined : await this.resolve(source, importer, { ...options, skipSelf: true });
      const why = early ?? refusalFor(source, resolved?.id.split('?')[0]);
      if (why === undefined) return resolved ?? null;
      throw new Error(
        `${IMPORT_REFUSED}: ${shownPath(importer)} imports ${why}. ` +
          'Your code may not import the test framework, the grader, or Node modules that reach outside it',
      );
    },
  };
}
