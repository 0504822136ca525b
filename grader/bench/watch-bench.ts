/**
 * `npm run bench`, watch part: from saving a file to the result on screen,
 * with a warm `watch` (vitest already started, a few saves already graded).
 * The real CLI runs in a pipe on a temporary workspace; each save writes the
 * stub or the solution in turn, and the clock stops when the result's last
 * line arrives on stdout.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { inCourse, loadCourse, workspacePath } from '../course/manifest.ts';

/** This tool measures the course it comes with. */
const COURSE_ROOT = resolve(import.meta.dirname, '../..');

export interface WatchSamples {
  /** Save → result, in ms, warm runs only. */
  samples: number[];
}

const RESULT_END = /save it to grade again/;

export async function measureWatch(saves: number, warmup = 2, pauseMs = 600): Promise<WatchSamples> {
  const exercise = loadCourse(COURSE_ROOT).exercises[0]!;
  const workspace = mkdtempSync(join(tmpdir(), 'grader-watch-bench-'));
  const file = join(workspace, workspacePath(exercise));
  cpSync(dirname(inCourse({ root: COURSE_ROOT }, exercise.stub)), dirname(file), { recursive: true });
  const versions = [readFileSync(inCourse({ root: COURSE_ROOT }, exercise.solution), 'utf8'), readFileSync(inCourse({ root: COURSE_ROOT }, exercise.stub), 'utf8')];

  const child = spawn(process.execPath, ['grader/bin/grader.mjs', 'watch', exercise.id, '--workspace', workspace], {
    cwd: COURSE_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffered = '';
  let waiting: ((at: number) => void) | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const at = performance.now();
    buffered += chunk;
    if (RESULT_END.test(buffered)) {
      buffered = '';
      waiting?.(at);
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let failWaiting: ((error: Error) => void) | undefined;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      failWaiting?.(new Error(`watch exited early:\n${stderr}`));
      done();
    }),
  );
  const nextResult = (timeoutMs = 60_000): Promise<number> =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`watch gave no result in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
      failWaiting = fail;
      waiting = (at) => {
        clearTimeout(timer);
        waiting = undefined;
        failWaiting = undefined;
        done(at);
      };
    });
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

  const samples: number[] = [];
  try {
    await nextResult(); // the first grading, when watch starts
    for (let save = 0; save < warmup + saves; save++) {
      await pause(pauseMs); // a person does not save twice in a few ms; the next worker starts meanwhile
      const result = nextResult();
      const started = performance.now();
      writeFileSync(file, versions[save % 2]!);
      const elapsed = (await result) - started;
      if (save >= warmup) samples.push(elapsed);
    }
  } finally {
    child.kill('SIGINT');
    await Promise.race([exited, pause(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  }
  return { samples };
}
