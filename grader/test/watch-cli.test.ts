/**
 * The real `watch` in a pipe, on the fixture course's delay exercise in a temporary workspace: each save is graded,
 * a syntax error and a hang are reported and watching goes on, a pass names
 * the next exercise, and Ctrl+C (SIGINT) leaves with exit 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCourse, workspacePath } from '../course/manifest.ts';
import { fixtureExercises, GRADER_CHECKOUT } from './support/course.ts';
import { scriptEnv } from './support/run-grader.ts';

const [delay, next] = fixtureExercises();
const stub = readFileSync(inCourse(delay!, delay!.stub), 'utf8');
const solution = readFileSync(inCourse(delay!, delay!.solution), 'utf8');

/**
 * The grader's --timeout: how long a hang runs before the watchdog stops it. Long enough that grading the
 * solution on a busy machine never reaches it.
 */
const BUDGET_S = 5;
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
    file = join(workspace, workspacePath(delay!));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, stub);
    // A pipe, no colour; the grader grades the fixture course (read-only: a workspace records no progress).
    child = spawn(process.execPath, ['grader/bin/grader.mjs', 'watch', 'delay', '--workspace', workspace, '--timeout', String(BUDGET_S)], {
      cwd: GRADER_CHECKOUT,
      env: scriptEnv(),
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
    expect(stdout).toMatch(/^Watching .*01-delay\/delay\.ts \(delay\)/);
    expect(stdout).toContain('not implemented yet');
    expect(stdout).toContain('0/4 points · 0 of 3 behaviours pass · 2 more behaviours to fix after this one');
  });

  it('a syntax error is reported, and watching goes on', async () => {
    const text = await save(`${solution}\nconst broken = ;\n`);
    expect(text).toContain('could not be graded:');
    expect(text).toMatch(/syntax error/);
    expect(text).toContain('the grader is still watching');
  });

  it('a hang is stopped by the watchdog, and watching goes on', async () => {
    const text = await save(`${solution}\nwhile (true) {}\n`);
    expect(text).toContain(`did not finish in ${BUDGET_S} s: is there an infinite loop?`);
  });

  it('the next save after a hang is graded normally: a pass, with what comes next', async () => {
    const text = await save(solution);
    expect(text).toContain('✓ delay passes: 4/4 points, all 3 behaviours.');
    expect(next?.id).toBe('once');
    expect(text).toContain('Next: once — Once: one call, one shared result.');
    expect(text).toContain('npm run grader -- watch once');
  });

  it('a save while a hang runs: the hang is abandoned and the new version graded', async () => {
    const from = stdout.length;
    writeFileSync(file, `${solution}\nwhile (true) {}\n`);
    // The hung version is being graded once watch says so; the next save must interrupt it.
    await waitFor(/changed, grading/, from);
    const text = await save(solution);
    expect(stdout.slice(from)).not.toContain('did not finish');
    expect(text).toMatch(/✓ delay passes/);
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
