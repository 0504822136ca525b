/** Running the real grader CLI as a script would, for integration tests. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { FIXTURE_COURSE, GRADER_CHECKOUT } from './course.ts';
import type { JsonReport } from '../../report/types.ts';

export interface Run {
  /** The grader's exit code (1 when the test stopped it). */
  code: number;
  /** The grader was still running after `timeoutMs`, and the test killed it. */
  stoppedByTest: boolean;
  stdout: string;
  stderr: string;
}

/** A script's environment: no terminal, no colour forced by the test runner; the grader grades `course`. */
export function scriptEnv(course: string = FIXTURE_COURSE): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', GRADER_COURSE_ROOT: course };
  delete env.FORCE_COLOR;
  // npm sets it, and the grader resolves a user's relative paths against it: the test's `cwd` must win.
  delete env.INIT_CWD;
  delete env.NO_COLOR;
  return env;
}

export function grader(...args: string[]): Promise<Run> {
  return runGrader(args);
}

/** This checkout's grader: the entry every test runs unless it runs a learner edition's own. */
export const GRADER_BIN = `${GRADER_CHECKOUT}/grader/bin/grader.mjs`;

/**
 * The grader with `args` (`bin`: another grader's entry, a learner edition's), killed (SIGKILL) if it runs longer than `timeoutMs`: then `stoppedByTest` is set
 * and `code` is 1. It grades `course` (default: the fixture course; `env` replaces the whole environment),
 * from `cwd` (default: the grader's checkout).
 */
export function runGrader(
  args: string[],
  options: { timeoutMs?: number; course?: string; cwd?: string; env?: NodeJS.ProcessEnv; bin?: string } = {},
): Promise<Run> {
  const { timeoutMs = 120_000, course = FIXTURE_COURSE, cwd = GRADER_CHECKOUT, env = scriptEnv(course), bin = GRADER_BIN } = options;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const stoppedByTest = error !== null && error.killed === true;
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stoppedByTest, stdout, stderr });
      },
    );
    // Nobody types: a command that reads its input gets the end of it at once.
    child.stdin?.end();
  });
}

/** `grade --json`: stdout must be one JSON document and nothing else. */
export async function gradeJson(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await grader('grade', '--json', ...args);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

export const fixture = (name: string): string => `grader/fixtures/submissions/${name}`;

/**
 * vitest workers of this repository whose parent has gone (re-parented to init, pid 1): what a
 * grader that leaves processes behind would leave. Linux only; elsewhere the list is empty.
 */
export function orphanedWorkers(): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes(`${GRADER_CHECKOUT}/node_modules/vitest/dist/workers/`)) return false;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses: state, then the parent's pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === 1;
    } catch {
      return false;
    }
  });
}

/** Processes that keep both cores busy while a test runs; stop them with `stopBusyLoops`. */
export function startBusyLoops(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
}

export function stopBusyLoops(loops: ChildProcess[]): void {
  for (const loop of loops) loop.kill('SIGKILL');
}
