/**
 * Grading a class: one vitest project for every candidate, and workers that vitest may reuse from one
 * (candidate, exercise) pair to the next (`isolate: false`). Each pair is a test file generated in the run
 * folder that tells the harness which candidate it grades and then loads the suite; the harness forgets the
 * previous candidate's modules first. A worker is reused only when the harness has vouched that the file it
 * just graded left it exactly as it found it (a clean marker, grader/harness/reuse.ts); any other worker,
 * or one that has graded many pairs, is ended and the next pair gets a fresh process.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { inCourse, type Exercise } from '../course/manifest.ts';
import { HARNESS_ALIAS, HARNESS_CONTEXT, HARNESS_SETUP } from './grader-files.ts';
import { cleanMarkerName, pairFileSource, type GradingContext } from './worker-protocol.ts';
import { residentMb } from './watchdog.ts';
import { displayPath } from '../common/shown-path.ts';
import type { Candidate } from './candidate.ts';
import { importGuard, importResolveGuard } from './import-guard.ts';
import { warmForks, type WarmForks } from './warm-forks.ts';

/** A fresh process after this many pairs, whatever happened: memory and caches do not grow without bound. */
const MAX_PAIRS_PER_WORKER = 40;
/** Nor past this resident memory (Linux's /proc; elsewhere only the count applies). */
const MAX_REUSE_RSS_MB = 400;

export interface Pair {
  candidate: Candidate;
  exercise: Exercise;
}

/**
 * vite reads `?` and `#` in a module's path as a query and a fragment, so a learner folder named `a #1`
 * could not be imported. Such a file is imported through a link, with a plain name, to its folder.
 */
let linksMade = 0;

export function importablePath(file: string, runDir: string): string {
  if (!/[?#]/.test(file)) return file;
  const links = join(runDir, 'links');
  mkdirSync(links, { recursive: true });
  const link = join(links, String(linksMade++));
  symlinkSync(dirname(file), link, 'dir');
  return join(link, basename(file));
}

export const pairsDir = (runDir: string): string => join(runDir, 'pairs');

/** Write one test file per pair; returns each file's pair, by its path. */
export function writePairFiles(pairs: Pair[], runDir: string): Map<string, Pair> {
  const dir = pairsDir(runDir);
  mkdirSync(dir);
  const files = new Map<string, Pair>();
  pairs.forEach((pair, index) => {
    const { candidate, exercise } = pair;
    const implementation = candidate.files.get(exercise.id)!;
    const file = join(dir, `${String(index).padStart(5, '0')}-${exercise.id}.grade.mjs`);
    const entered: GradingContext = {
      runDir,
      candidate: candidate.id,
      files: { [exercise.id]: displayPath(implementation) },
      imports: { [exercise.id]: importablePath(implementation, runDir) },
      shuffleSeed: candidate.shuffleSeed,
    };
    writeFileSync(file, pairFileSource(HARNESS_CONTEXT, entered, inCourse(exercise, exercise.suite)));
    files.set(file, pair);
  });
  return files;
}

/**
 * The pairs run in the order they were written (candidates in the order given, each candidate's exercises in
 * course order), not vitest's default of slowest first: the same class is graded the same way every time.
 */
export class PairOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
  }
}

/** The forked workers of a shared project: reused while clean (see above). */
export function reusedForks(runDir: string): WarmForks {
  return warmForks(
    'grader-shared-forks',
    (pid, files) => files < MAX_PAIRS_PER_WORKER && existsSync(join(runDir, cleanMarkerName(pid, files))) && (residentMb(pid) ?? 0) < MAX_REUSE_RSS_MB,
  );
}

export function sharedProject(root: string, suites: string[], runDir: string, forks: WarmForks, provide: Record<string, unknown>, execArgv: string[]): TestProjectInlineConfiguration {
  return {
    // Only the generated files are the grader's; learner files linked from the run folder are still the learner's.
    plugins: [importResolveGuard([pairsDir(runDir), ...suites]), importGuard([pairsDir(runDir), ...suites])],
    resolve: { alias: [HARNESS_ALIAS], preserveSymlinks: true },
    test: {
      name: 'class',
      root,
      dir: pairsDir(runDir),
      include: ['*.grade.mjs'],
      setupFiles: [HARNESS_SETUP],
      provide,
      pool: forks.pool,
      isolate: false,
      execArgv,
      testTimeout: 5_000,
      hookTimeout: 5_000,
      sequence: { shuffle: false },
    },
  };
}
