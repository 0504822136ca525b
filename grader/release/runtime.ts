/**
 * Which of the grader's files the learner edition ships: its runtime folders,
 * and whatever they import (found by reading their imports, so a new module
 * cannot be forgotten). Instructor-only code never goes in: when the runtime
 * imports it, the release stops and says which file does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../common/inside.ts';
import { graderCodeFolders } from '../engine/grader-files.ts';
import { ReleaseError } from '../errors/release-error.ts';
import { LEARNER_RELEASE_COMMAND } from './learner-release-command.ts';

/**
 * What grading, the learner's commands and the practice tests run on: every folder of the grader's own
 * code but those left out below, read from the disk so that a new folder needs no list updated.
 */
export function runtimeFolders(root: string): string[] {
  return graderCodeFolders(join(root, 'grader'))
    .map((folder) => `grader/${folder}`)
    .filter((folder) => !isLeftOut(folder));
}

/** The course's own material: answers, the tests of the grader, instructor tools, the suites' source. */
export const LEFT_OUT = [
  'solutions',
  'grader/zoo',
  'grader/fixtures',
  'grader/test',
  'grader/dev',
  'grader/bench',
  'grader/suites',
  'grader/release',
  '.ci',
];
const LEFT_OUT_FILES = [/\.test\.ts$/, /\.mutation\.md$/, /(^|\/)stryker\.config\.[cm]?[jt]s(on)?$/];

/** Shipped with other contents: the edition makes no editions, and must type-check without esbuild. */
export const REPLACED: ReadonlyMap<string, string> = new Map([['grader/cli/commands/release.ts', LEARNER_RELEASE_COMMAND]]);

/** Relative specifiers of `import ... from`, `export ... from`, `import '...'` and `import('...')`. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export function relativeImports(source: string): string[] {
  return [...source.matchAll(RELATIVE_IMPORT)].map((match) => match[1]!);
}

const toPosix = (path: string): string => path.split(sep).join('/');

export function isLeftOut(path: string): boolean {
  return LEFT_OUT.some((folder) => isInside(path, folder)) || LEFT_OUT_FILES.some((pattern) => pattern.test(path));
}

function filesUnder(root: string, folder: string): string[] {
  const absolute = join(root, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .map((name) => toPosix(join(folder, name)))
    .filter((path) => statSync(join(root, path)).isFile())
    .sort();
}

const CODE = /\.(?:[cm]?[jt]s)$/;

/**
 * The runtime's files, as paths relative to `root`, sorted. `imports` are
 * checked too (the bundled suites' imports of the harness, say).
 */
export function runtimeFiles(root: string, extraImports: Array<{ from: string; specifier: string }> = []): string[] {
  const shipped = new Set(runtimeFolders(root).flatMap((folder) => filesUnder(root, folder)).filter((path) => !isLeftOut(path)));
  const queue = [...shipped];
  const follow = (from: string, specifier: string): void => {
    const absolute = resolve(root, dirname(from), specifier);
    const target = toPosix(relative(root, absolute));
    if (shipped.has(target) || !existsSync(join(root, target))) return; // a missing file fails in the course too
    if (!isInside(absolute, root) || isLeftOut(target)) {
      throw new ReleaseError(`${from} imports ${target}, which the learner edition leaves out`);
    }
    shipped.add(target);
    queue.push(target);
  };
  for (const { from, specifier } of extraImports) follow(from, specifier);
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (!CODE.test(file)) continue;
    const source = REPLACED.get(file) ?? readFileSync(join(root, file), 'utf8');
    for (const specifier of relativeImports(source)) follow(file, specifier);
  }
  return [...shipped].sort();
}
