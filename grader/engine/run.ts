/**
 * One in-process vitest run grades many candidates at once: each candidate
 * is a vitest project whose alias points the hidden suites at its files, and
 * each (candidate, exercise) pair is one test module in its own forked
 * worker, so a hostile file cannot touch another's results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { implSpecifier, inCourse, type Exercise } from '../course/manifest.ts';
import { displayPath } from '../common/shown-path.ts';
import { isReadableFile, type Candidate } from './candidate.ts';
import { Collector, type ModuleReport } from './collector.ts';
import { HARNESS_ALIAS, HARNESS_SETUP } from './grader-files.ts';
import { importGuard, importResolveGuard } from './import-guard.ts';
import type { CandidateRuns, ExerciseRun } from './run-result.ts';
import { importablePath, PairOrder, reusedForks, sharedProject, writePairFiles, type Pair } from './shared-workers.ts';
import { startWatchdog, WORKER_HEAP_MB, WORKER_MEMORY_MB, type KillReason } from './watchdog.ts';
import { candidateContext, sharedContext, watchdogKey } from './worker-protocol.ts';

export const DEFAULT_BUDGET_MS = 10_000;

export interface GradingRequest {
  candidates: Candidate[];
  exercises: Exercise[];
  /** Wall-clock budget for one exercise of one candidate. */
  budgetMs?: number;
  /** How many grading processes run at once (default: one per core). */
  workers?: number;
  /**
   * Let a grading process go on to the next (candidate, exercise) when the one it graded left it exactly as
   * it found it (batch grading of a class); otherwise every pair gets a new process. Needs two workers or
   * more: with one, vitest would hand that worker every file at once, and a hang would stop them all.
   */
  reuseWorkers?: boolean;
  /** Called once per (candidate, exercise) as its result is known, in no particular order. */
  onGraded?: (candidateId: string, exerciseId: string) => void;
}

export function projectFor(candidate: Candidate, exercises: Exercise[], runDir: string): TestProjectInlineConfiguration {
  const files = exercises.map((exercise) => [exercise, candidate.files.get(exercise.id)!] as const);
  const targets = files.map(([, file]) => importablePath(file, runDir));
  return {
    plugins: [importResolveGuard(suiteFiles(exercises)), importGuard(suiteFiles(exercises))],
    resolve: {
      alias: [HARNESS_ALIAS, ...files.map(([exercise], index) => ({ find: implSpecifier(exercise), replacement: targets[index]! }))],
      // Keep the plain name of a link made for a path vite cannot import as it is.
      preserveSymlinks: targets.some((target, index) => target !== files[index]![1]),
    },
    test: {
      name: candidate.id,
      root: courseRoot(exercises),
      include: exercises.map((exercise) => exercise.suite),
      setupFiles: [HARNESS_SETUP],
      provide: candidateContext({
        runDir,
        candidate: candidate.id,
        files: Object.fromEntries(files.map(([exercise, file]) => [exercise.id, displayPath(file)])),
        shuffleSeed: candidate.shuffleSeed,
      }),
      pool: 'forks',
      isolate: true,
      // A runaway allocation ends this worker, not the machine.
      execArgv: [`--max-old-space-size=${WORKER_HEAP_MB}`],
      // Behaviours settle on a fake clock; this only catches real-time hangs.
      testTimeout: 5_000,
      hookTimeout: 5_000,
      sequence: { shuffle: false },
    },
  };
}

/** The hidden suites are the grader's code wherever the course keeps them: their imports are never refused. */
export function suiteFiles(exercises: Exercise[]): string[] {
  return exercises.map((exercise) => inCourse(exercise, exercise.suite));
}

/** The root of the course the exercises belong to (one course per run). */
export function courseRoot(exercises: Exercise[]): string {
  const root = exercises[0]?.root;
  if (root === undefined || exercises.some((exercise) => exercise.root !== root)) throw new Error('grader: a grading run needs exercises of one course');
  return root;
}

/** A stream that drops what it is given: vitest's own logger must never reach the grader's output. */
export const discard = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() });

export async function runGrading(request: GradingRequest): Promise<Map<string, CandidateRuns>> {
  const budgetMs = request.budgetMs ?? DEFAULT_BUDGET_MS;
  const workers = request.workers ?? availableParallelism();
  const reuse = request.reuseWorkers === true && workers >= 2;
  const results = new Map<string, CandidateRuns>();
  const projects: TestProjectInlineConfiguration[] = [];
  const pairs: Pair[] = [];
  const runDir = mkdtempSync(join(tmpdir(), 'grader-run-'));

  for (const candidate of request.candidates) {
    const runs: CandidateRuns = new Map();
    results.set(candidate.id, runs);
    const present: Exercise[] = [];
    for (const exercise of request.exercises) {
      const file = candidate.files.get(exercise.id);
      if (file === undefined) continue;
      if (isReadableFile(file)) present.push(exercise);
      else {
        runs.set(exercise.id, { outcome: 'missing', file: displayPath(file) });
        request.onGraded?.(candidate.id, exercise.id);
      }
    }
    if (present.length === 0) continue;
    if (reuse) pairs.push(...present.map((exercise) => ({ candidate, exercise })));
    else projects.push(projectFor(candidate, present, runDir));
  }
  if (projects.length === 0 && pairs.length === 0) {
    rmSync(runDir, { recursive: true, force: true });
    return results;
  }

  // A test module is either a suite in a candidate's own project, or a generated file naming its pair.
  const pairFiles = pairs.length > 0 ? writePairFiles(pairs, runDir) : new Map<string, Pair>();
  const suiteToExercise = new Map(request.exercises.map((e) => [inCourse(e, e.suite), e]));
  const exerciseOf = (moduleId: string): Exercise | undefined => pairFiles.get(moduleId)?.exercise ?? suiteToExercise.get(moduleId);
  const forks = pairs.length > 0 ? reusedForks(runDir) : undefined;
  if (forks) {
    projects.push(sharedProject(courseRoot(request.exercises), suiteFiles(request.exercises), runDir, forks, sharedContext(runDir), [`--max-old-space-size=${WORKER_HEAP_MB}`]));
  }

  const watchdog = startWatchdog(runDir, { budgetMs, memoryMb: WORKER_MEMORY_MB });
  const collector = new Collector((moduleId, project) => pairFiles.get(moduleId)?.candidate.id ?? project);
  const reported = new Set<string>();
  const graded = (candidateId: string, exercise: Exercise): void => {
    const key = watchdogKey(candidateId, exercise.id);
    if (reported.has(key)) return;
    reported.add(key);
    request.onGraded?.(candidateId, exercise.id);
  };
  collector.onModuleEnd = (report) => {
    const exercise = exerciseOf(report.moduleId);
    if (!exercise) return;
    watchdog.finished(watchdogKey(report.candidateId, exercise.id));
    graded(report.candidateId, exercise);
  };

  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: courseRoot(request.exercises),
      watch: false,
      reporters: [collector],
      maxWorkers: workers,
      projects,
      ...(forks ? { sequence: { sequencer: PairOrder } } : {}),
    },
    {},
    // vitest's own logger must never reach the grader's stdout (`--json` is parsed by scripts).
    { stdout: discard(), stderr: discard() },
  );
  // Only the grader ends a run: a worker (learner code reaching vitest's channel) asking to cancel is ignored.
  vitest.cancelCurrentRun = async () => {};
  try {
    await vitest.start();
  } finally {
    watchdog.stop();
    await vitest.close();
    await forks?.close();
    rmSync(runDir, { recursive: true, force: true });
  }

  for (const report of collector.modules.values()) {
    const exercise = exerciseOf(report.moduleId);
    const runs = results.get(report.candidateId);
    if (!exercise || !runs) continue;
    const key = watchdogKey(report.candidateId, exercise.id);
    runs.set(exercise.id, exerciseRun(report, watchdog.killed.get(key), budgetMs, watchdog.pidOf(key), watchdog.stoppedIn(key)));
    graded(report.candidateId, exercise);
  }
  return results;
}

export function exerciseRun(
  report: ModuleReport,
  killed: KillReason | undefined,
  budgetMs: number,
  workerPid?: number,
  stoppedIn?: string,
): ExerciseRun {
  const ran = {
    tests: report.tests,
    ...(report.output ? { output: report.output } : {}),
    ...(workerPid === undefined ? {} : { workerPid }),
    ...(stoppedIn === undefined || report.ended ? {} : { stoppedIn }),
  };
  if (killed === 'time') return { ...ran, outcome: 'timed-out', budgetMs };
  if (killed === 'memory') return { ...ran, outcome: 'out-of-memory', memoryMb: WORKER_MEMORY_MB };
  if (!report.ended) {
    return {
      ...ran,
      outcome: 'crashed',
      reason:
        'the process grading this exercise stopped before the suite finished: did your code run out of memory, ' +
        'or end the process some other way?',
    };
  }
  return { ...ran, outcome: 'finished', moduleErrors: report.errors };
}
