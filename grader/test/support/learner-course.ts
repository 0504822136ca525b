/**
 * Support for the learner group's tests (release, progress, learner-cli, grader-cli): a copy of the fixture
 * course that a test may change, committed to git as a course ships, and the real grader run from a folder
 * as a person runs it there.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureCourse, FIXTURE_COURSE } from './course.ts';
import { runGrader, scriptEnv } from './run-grader.ts';

const copies: string[] = [];

/** A copy of the fixture course (its course.json, lessons, exercises, solutions, suites and zoo) in a new folder. */
export function learnerCourseCopy(prefix = 'grader-learner-'): string {
  const root = copyFixtureCourse(prefix);
  copies.push(root);
  return root;
}

/** Removes every copy made so far (call it in an afterAll). */
export function removeCourseCopies(): void {
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
}

/** git in `root`, as someone whose name and email are set; never above `root` (a copy lives in a temp folder). */
export function gitIn(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=course@example.com', '-c', 'user.name=course', '-c', 'commit.gpgsign=false', ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Makes the course at `root` a git repository with everything committed, as the course is handed out. */
export function commitCourse(root: string): void {
  writeFileSync(join(root, '.gitignore'), 'node_modules\nprogress.json\n.grader/\n');
  gitIn(root, 'init', '-q');
  gitIn(root, 'add', '-A');
  gitIn(root, 'commit', '-q', '-m', 'the course');
}

export interface LearnerRun {
  /** null when the process was killed (it ran past its timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A script's environment (no terminal, CI set) for the grader of `course`, without INIT_CWD: paths on the
 * command line are then relative to the folder the grader runs in, as for a person typing there. No course
 * (null): the grader grades the checkout it lives in.
 */
export function pipeEnv(course: string | null = FIXTURE_COURSE): NodeJS.ProcessEnv {
  const env = scriptEnv(course ?? FIXTURE_COURSE);
  if (course === null) delete env.GRADER_COURSE_ROOT;
  return env;
}

/** A learner's shell off a terminal, in the course at `course`: no CI, no colour forced either way. */
export function learnerEnv(course: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', GRADER_COURSE_ROOT: course };
  for (const name of ['CI', 'FORCE_COLOR', 'NO_COLOR', 'INIT_CWD']) delete env[name];
  return env;
}

/**
 * The grader with `args`, run from `cwd` with no input and stdout a pipe; killed after `timeoutMs`. `bin`:
 * the grader's entry (default: this checkout's).
 */
export async function runIn(
  cwd: string,
  args: string[],
  { env = pipeEnv(), bin, timeoutMs }: { env?: NodeJS.ProcessEnv; bin?: string; timeoutMs?: number } = {},
): Promise<LearnerRun> {
  const run = await runGrader(args, { cwd, env, ...(bin === undefined ? {} : { bin }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return { code: run.stoppedByTest ? null : run.code, stdout: run.stdout, stderr: run.stderr };
}
