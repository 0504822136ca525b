/**
 * The real `watch` in a pipe, on a temporary workspace: each save is graded,
 * a syntax error and a hang are reported and watching goes on, a pass names
 * the next exercise, and Ctrl+C (SIGINT) leaves with exit 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot, loadCourse, REPO_ROOT, workspacePath } from '../course/manifest.ts';

const course = loadCourse();
const pool = course.exercises.find((exercise) => exercise.id === 'pool')!;
const next = course.exercises[course.exercises.indexOf(pool) + 1];
const stub = readFileSync(fromRoot(pool.stub), 'utf8');
const solution = readFileSync(fromRoot(pool.solution), 'utf8');

/** Generous: the machine may be busy; a result normally arrives in well under a second. */
const WAIT_MS = 60_000;

describe('watch in a pipe', () => {
  let workspace: string;
  let file: string;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  let exit: Promise<number | null>;

  /** Resolves with everything printed after `from` once `pattern` shows up there. */
  function waitFor(pattern: RegExp, from: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const text = stdout.slice(from);
        if (!pattern.test(text)) return false;
        resolve(text);
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        child.stdout.off('data', onData);
        reject(new Error(`no ${pattern} within ${WAIT_MS} ms; stdout:\n${stdout.slice(from)}\nstderr:\n${stderr}`));
      }, WAIT_MS);
      const onData = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
      };
      child.stdout.on('data', onData);
    });
  }

  /** Save the file and wait for the result that follows (a result ends with the "Watching ..." line). */
  async function save(content: string): Promise<string> {
    const from = stdout.length;
    writeFileSync(file, content);
    return waitFor(/save it to grade again/, from);
  }

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'grader-watch-test-'));
    file = join(workspace, workspacePath(pool));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, stub);
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    child = spawn(process.execPath, ['grader/bin/grader.mjs', 'watch', 'pool', '--workspace', workspace, '--timeout', '2'], {
      cwd: REPO_ROOT,
      env,
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(/save it to grade again/, 0);
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
    rmSync(workspace, { recursive: true, force: true });
  });

  it('grades the file as soon as it starts: the stub is not implemented yet', () => {
    expect(stdout).toMatch(/^Watching .*pool\.ts \(pool\)/);
    expect(stdout).toContain('not implemented yet');
    expect(stdout).toMatch(/0\/\d+ points · 0 of \d+ behaviours pass · \d+ more behaviours to fix after this one/);
  });

  it('a syntax error is reported, and watching goes on', async () => {
    const text = await save(`${solution}\nconst broken = ;\n`);
    expect(text).toContain('could not be graded:');
    expect(text).toMatch(/syntax error/);
    expect(text).toContain('the grader is still watching');
  });

  it('a hang is stopped by the watchdog, and watching goes on', async () => {
    const text = await save(`${solution}\nwhile (true) {}\n`);
    expect(text).toContain('did not finish in 2 s: is there an infinite loop?');
  });

  it('the next save after a hang is graded normally: a pass, with what comes next', async () => {
    const text = await save(solution);
    expect(text).toMatch(/✓ pool passes: (\d+)\/\1 points/);
    if (next) expect(text).toContain(`npm run grader -- watch ${next.id}`);
  });

  it('a save while a hang runs: the hang is abandoned and the new version graded', async () => {
    const from = stdout.length;
    writeFileSync(file, `${solution}\nwhile (true) {}\n`);
    // The hung version is being graded once watch says so; the next save must interrupt it.
    await waitFor(/changed, grading/, from);
    const text = await save(solution);
    expect(stdout.slice(from)).not.toContain('did not finish');
    expect(text).toMatch(/✓ pool passes/);
  });

  it('is plain text in a pipe: separators, no escape codes', () => {
    expect(stdout).toContain('─'.repeat(60));
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it('Ctrl+C (SIGINT) stops it cleanly with exit 0', async () => {
    child.kill('SIGINT');
    const code = await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('still running'), WAIT_MS))]);
    expect(code).toBe(0);
    expect(stdout.trimEnd().endsWith('Stopped watching.')).toBe(true);
    expect(stderr).toBe('');
  });
});
