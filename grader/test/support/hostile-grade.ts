/**
 * The real grader CLI on the fixture course, stopped by the test if it runs longer than a bound: unlike
 * `runGrader`, the caller can tell a grader that finished on its own from one the test had to stop.
 */
import { execFile } from 'node:child_process';
import { FIXTURE_COURSE, GRADER_CHECKOUT } from './course.ts';
import { scriptEnv } from './run-grader.ts';

export interface BoundedRun {
  /** The grader's exit code (1 when the test stopped it). */
  code: number;
  /** True when the grader was still running after the bound and the test killed it. */
  stoppedByTest: boolean;
  stdout: string;
  stderr: string;
}

export function gradeBounded(args: string[], boundMs: number, course: string = FIXTURE_COURSE): Promise<BoundedRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`${GRADER_CHECKOUT}/grader/bin/grader.mjs`, ...args],
      { cwd: GRADER_CHECKOUT, env: scriptEnv(course), timeout: boundMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const stoppedByTest = error !== null && (error as { killed?: boolean }).killed === true;
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stoppedByTest, stdout, stderr });
      },
    );
  });
}
