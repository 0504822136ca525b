/**
 * A long-lived grading session for `watch`: vitest is created once, then each
 * `grade(id)` reruns one hidden suite against the candidate's current file.
 * A new process per run is kept (the same isolation as `grade`), but vite's
 * transforms stay cached between runs and the next worker process is started
 * ahead of time (warm-forks.ts), which is what makes a warm rerun fast.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestSpecification, Vitest } from 'vitest/node';
import { inCourse, type Exercise } from '../course/manifest.ts';
import { displayPath } from '../common/shown-path.ts';
import { isReadableFile, type Candidate } from './candidate.ts';
import { Collector, type ModuleReport } from './collector.ts';
import { courseRoot, DEFAULT_BUDGET_MS, discard, exerciseRun, projectFor } from './run.ts';
import type { Runner } from './grade.ts';
import type { CandidateRuns, ExerciseRun } from './run-result.ts';
import { startWatchdog, WORKER_MEMORY_MB } from './watchdog.ts';
import { pidFileName, watchdogKey } from './worker-protocol.ts';
import { warmForks } from './warm-forks.ts';

export interface SessionRequest {
  candidate: Candidate;
  /** The exercises this session may grade. */
  exercises: Exercise[];
  /** Wall-clock budget for one run of one exercise. */
  budgetMs?: number;
}

export interface GradingSession {
  /**
   * Grade one exercise against its file as it is now. `changed` are files
   * known to have changed since the last run (the exercise's file is always
   * reloaded). Runs one at a time: a call made during a run waits for it.
   */
  grade(exerciseId: string, changed?: string[]): Promise<ExerciseRun>;
  /**
   * Stop the run under way now, e.g. because the file changed again: its
   * worker is killed and its result (a crash) is not worth showing.
   */
  interrupt(): void;
  /** Stop vitest and every process the session started. */
  close(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** vitest's reporters are fixed when it is created; each run collects into a fresh Collector through this. */
function forwardingReporter(target: () => Collector): Reporter {
  return {
    onTestModuleQueued: (module) => target().onTestModuleQueued(module),
    onTestModuleEnd: (module) => target().onTestModuleEnd(module),
    onUserConsoleLog: (log) => target().onUserConsoleLog(log),
    onTestRunEnd: (modules, errors, reason) => target().onTestRunEnd(modules, errors),
  };
}

export async function openSession(request: SessionRequest): Promise<GradingSession> {
  const budgetMs = request.budgetMs ?? DEFAULT_BUDGET_MS;
  const { candidate, exercises } = request;
  const runDir = mkdtempSync(join(tmpdir(), 'grader-watch-'));
  const forks = warmForks();
  const base = projectFor(candidate, exercises, runDir);
  let collector = new Collector();

  const { createVitest } = await import('vitest/node');
  // vitest's logger exits the process on SIGINT/SIGTERM (code 130); the watcher owns those signals and closes cleanly.
  const ownSignalListeners = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  let vitest: Vitest;
  try {
    vitest = await createVitest(
      'test',
      {
        config: false,
        root: courseRoot(exercises),
        watch: false,
        reporters: [forwardingReporter(() => collector)],
        maxWorkers: 1,
        projects: [{ ...base, test: { ...base.test, pool: forks.pool } }],
      },
      {},
      { stdout: discard(), stderr: discard() },
    );
  } catch (error) {
    await forks.close();
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!ownSignalListeners.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  const project = vitest.getProjectByName(candidate.id);
  const specifications = new Map<string, TestSpecification>();
  const specificationFor = (exercise: Exercise): TestSpecification => {
    let specification = specifications.get(exercise.id);
    if (!specification) {
      specification = project.createSpecification(inCourse(exercise, exercise.suite));
      specifications.set(exercise.id, specification);
    }
    return specification;
  };

  /** Settles when the last run is over, worker stopped: the next run starts only then. */
  let idle: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  /** The exercise whose suite is running now. */
  let running: string | undefined;

  interface Started {
    result: ExerciseRun;
    /** The whole run, worker stopped included. */
    finished: Promise<unknown>;
  }

  async function gradeNow(exerciseId: string, changed: string[]): Promise<Started> {
    const exercise = exercises.find((e) => e.id === exerciseId);
    const file = candidate.files.get(exerciseId);
    if (!exercise || file === undefined) throw new Error(`grader: this session does not grade '${exerciseId}'`);
    if (!isReadableFile(file)) return { result: { outcome: 'missing', file: displayPath(file) }, finished: Promise.resolve() };
    for (const path of new Set([file, ...changed])) vitest.invalidateFile(path);

    const key = watchdogKey(candidate.id, exerciseId);
    // A pid file left by an earlier run must not make the watchdog kill a process that reused its id.
    rmSync(join(runDir, pidFileName(candidate.id, exerciseId)), { force: true });
    const watchdog = startWatchdog(runDir, { budgetMs, memoryMb: WORKER_MEMORY_MB });
    const suite = inCourse(exercise, exercise.suite);
    const current = new Collector();
    collector = current;

    // The result is ready when the suite ends; stopping the worker afterwards need not delay it.
    let ended: (report: ModuleReport) => void = () => {};
    const moduleEnded = new Promise<ModuleReport>((done) => (ended = done));
    current.onModuleEnd = (report) => {
      if (report.moduleId !== suite) return;
      watchdog.finished(key);
      ended(report);
    };
    running = exerciseId;
    const finished = vitest
      .runTestSpecifications([specificationFor(exercise)])
      .catch(() => undefined)
      .finally(() => {
        watchdog.stop();
        running = undefined;
      });
    const report = await Promise.race([moduleEnded, finished.then(() => undefined)]);
    const result = report ?? [...current.modules.values()].find((m) => m.moduleId === suite);
    if (!result) {
      const why = current.runErrors[0] ?? 'the grading run stopped before the suite started';
      return { result: { outcome: 'crashed', tests: [], reason: why }, finished };
    }
    return { result: exerciseRun(result, watchdog.killed.get(key), budgetMs), finished };
  }

  return {
    grade(exerciseId, changed = []) {
      if (closing) return Promise.reject(new Error('grader: the grading session is closed'));
      const started = idle.then(() => gradeNow(exerciseId, changed));
      idle = started.then(
        (run) => run.finished,
        () => undefined,
      );
      return started.then((run) => run.result);
    },
    interrupt() {
      if (running === undefined) return;
      try {
        // Written by the worker before the learner's code loads (harness/implementation.ts); removed before each run.
        const pid = Number(readFileSync(join(runDir, pidFileName(candidate.id, running)), 'utf8'));
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) process.kill(pid, 'SIGKILL');
      } catch {
        // Not started yet, or already over: the run ends on its own, soon.
      }
    },
    close() {
      closing ??= (async () => {
        // A run stuck in a hang is not waited for: closing vitest stops its worker.
        await Promise.race([idle, new Promise((done) => setTimeout(done, 1_000).unref())]);
        await vitest.close();
        await forks.close();
        rmSync(runDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * A session as the engine's runner (grade.ts), so that `watch` scores and reports through the same entry as
 * every other command: each exercise of the request is rerun against its file as it is now. `changed`: as
 * for `grade`.
 */
export function sessionRunner(session: GradingSession, changed: string[] = []): Runner {
  return async ({ candidates, exercises }) => {
    const runs = new Map<string, CandidateRuns>();
    for (const candidate of candidates) {
      const graded: CandidateRuns = new Map();
      for (const exercise of exercises) graded.set(exercise.id, await session.grade(exercise.id, changed));
      runs.set(candidate.id, graded);
    }
    return runs;
  };
}
