/**
 * Grading a class: one vitest project for every candidate, and workers that vitest may reuse from one
 * (candidate, exercise) pair to the next (`isolate: false`). Each pair is a test file generated in the run
 * folder that tells the harness which candidate it grades and then loads the suite; the harness forgets the
 * previous candidate's modules first. A worker is reused only while the harness finds it exactly as it left
 * it (grader/harness/reuse.ts); one it marks dirty, or one that has graded many pairs, is ended and the next
 * pair gets a fresh process.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { REPO_ROOT, fromRoot, type Exercise } from '../course/manifest.ts';
import { dirtyMarkerName } from '../harness/reuse.ts';
import { displayPath, type Candidate } from './candidate.ts';
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

function residentMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}

/** Write one test file per pair; returns each file's pair, by its path. */
export function writePairFiles(pairs: Pair[], runDir: string): Map<string, Pair> {
  const dir = join(runDir, 'pairs');
  mkdirSync(dir);
  const files = new Map<string, Pair>();
  const context = fromRoot('grader/harness/context.ts');
  pairs.forEach((pair, index) => {
    const { candidate, exercise } = pair;
    const implementation = candidate.files.get(exercise.id)!;
    const file = join(dir, `${String(index).padStart(5, '0')}-${exercise.id}.grade.mjs`);
    const entered = {
      runDir,
      candidate: candidate.id,
      files: { [exercise.id]: displayPath(implementation) },
      imports: { [exercise.id]: implementation },
      shuffleSeed: candidate.shuffleSeed,
    };
    writeFileSync(
      file,
      `import { enterGrading } from ${JSON.stringify(context)};\n` +
        `enterGrading(${JSON.stringify(entered)});\n` +
        `await import(${JSON.stringify(fromRoot(exercise.suite))});\n`,
    );
    files.set(file, pair);
  });
  return files;
}

/** The forked workers of a shared project: reused while clean (see above). */
export function reusedForks(runDir: string): WarmForks {
  return warmForks(
    'grader-shared-forks',
    (pid, files) => files < MAX_PAIRS_PER_WORKER && !existsSync(join(runDir, dirtyMarkerName(pid))) && residentMb(pid) < MAX_REUSE_RSS_MB,
  );
}

export function sharedProject(runDir: string, forks: WarmForks, provide: Record<string, unknown>, execArgv: string[]): TestProjectInlineConfiguration {
  return {
    plugins: [importResolveGuard([runDir]), importGuard([runDir])],
    test: {
      name: 'class',
      root: REPO_ROOT,
      dir: join(runDir, 'pairs'),
      include: ['*.grade.mjs'],
      setupFiles: ['grader/harness/setup.ts'],
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
