/**
 * Hostile and broken learner code (grader/fixtures/submissions/): each case is
 * graded by the real CLI, with a message for the learner, in bounded time, and
 * leaves no process behind. Each fixture replaces the pool exercise.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot, loadCourse, workspacePath } from '../course/manifest.ts';
import type { JsonExercise } from '../report/types.ts';
import { fixture, gradeJson, grader, orphanedWorkers } from './support/run-grader.ts';

/** How long any one of these runs may take, whatever the machine is doing. */
const RUN_BOUND_MS = 60_000;

interface Case {
  fixture: string;
  /** The grader's --timeout: short for hangs, generous where the code must be given time to misbehave. */
  seconds: number;
  status: JsonExercise['status'];
  /** Matched against the exercise's message (errors) or one of its failing behaviours' messages. */
  message: RegExp;
}

const CASES: Case[] = [
  { fixture: 'microtask-starve', seconds: 3, status: 'error', message: /^did not finish in 3 s: is there an infinite loop\?$/ },
  { fixture: 'never-settles', seconds: 30, status: 'fail', message: /it was still pending after every timer had run: it will never settle/ },
  { fixture: 'exit-at-import', seconds: 30, status: 'error', message: /^your code called process\.exit\(0\) while .*exit-at-import\/01-pool\/pool\.ts loaded: that ends the process/ },
  { fixture: 'exit-in-call', seconds: 30, status: 'error', message: /^your code called process\.exit\(0\) during “[^”]+”/ },
  { fixture: 'kill-self', seconds: 30, status: 'error', message: /^your code called process\.kill\(process\.pid, "SIGKILL"\) during “[^”]+”/ },
  { fixture: 'kill-parent', seconds: 30, status: 'error', message: /^your code called process\.kill\(process\.ppid, "SIGKILL"\) while .* loaded/ },
  { fixture: 'uncaught-at-import', seconds: 30, status: 'error', message: /raised an exception nobody caught while it loaded: Error: boom from a timer started at import \(at .*pool\.ts:3:9\)/ },
  { fixture: 'uncaught-in-call', seconds: 30, status: 'fail', message: /an uncaught exception: Error: boom from process\.nextTick .*, thrown from a callback/ },
  { fixture: 'memory-hog', seconds: 30, status: 'error', message: /^ran out of memory: it used more than \d+ MB/ },
  { fixture: 'imports-vitest', seconds: 30, status: 'error', message: /pool\.ts imports "vitest", the test framework\. Your code may not import the test framework/ },
  { fixture: 'imports-harness', seconds: 30, status: 'error', message: /imports "\.\.\/\.\.\/\.\.\/\.\.\/harness\/index\.ts", the grader's own code/ },
  { fixture: 'spawns-process', seconds: 30, status: 'error', message: /pool\.ts imports "node:child_process", which the exercises do not need/ },
  { fixture: 'data-url-import', seconds: 30, status: 'error', message: /pool\.ts imports a module given as a URL \("data:…"\)\. Your code may not import/ },
  { fixture: 'reads-runner-state', seconds: 30, status: 'error', message: /pool\.ts uses `__vitest_worker__`, the test runner's own state/ },
  { fixture: 'writes-grader-files', seconds: 30, status: 'error', message: /^your code used process\.getBuiltinModule\("node:fs"\) while .* loaded/ },
  { fixture: 'replaces-globals', seconds: 30, status: 'error', message: /^your code replaced `Promise`, `setTimeout` while .* loaded\. The grader cannot trust/ },
  { fixture: 'patches-builtins', seconds: 30, status: 'error', message: /^your code replaced `Array\.prototype\.includes` while .* loaded/ },
  { fixture: 'hides-unhandled', seconds: 30, status: 'error', message: /^your code removed the listeners that report unhandled errors/ },
  { fixture: 'runner-hijack', seconds: 30, status: 'error', message: /reported as passing although the grader's checks did not pass: your code interfered with the test runner/ },
];

/** The exercise's message when it is an error, else the messages of its failing behaviours. */
function messagesOf(exercise: JsonExercise): string[] {
  if (exercise.status === 'error') return [exercise.message ?? ''];
  return exercise.tests.filter((test) => test.status !== 'pass').map((test) => test.message ?? '');
}

afterAll(() => {
  expect(orphanedWorkers()).toEqual([]);
});

describe.concurrent('hostile code in the pool exercise', () => {
  it.each(CASES)('$fixture: $status, with a message for the learner', async ({ fixture: name, seconds, status, message }) => {
    const { code, report, ms } = await gradeJson('pool', '--workspace', fixture(name), '--timeout', String(seconds));
    expect(code).toBe(1);
    const [pool] = report.exercises;
    expect(pool!.status).toBe(status);
    expect(pool!.points).toBeLessThan(pool!.maxPoints);
    expect(messagesOf(pool!)).toContainEqual(expect.stringMatching(message));
    expect(ms).toBeLessThan(RUN_BOUND_MS);
  });

  it('what the code prints is shown beside the failing behaviour, never in --json stdout', async () => {
    const json = await gradeJson('pool', '--workspace', fixture('noisy'));
    expect(json.report.exercises[0]!.status).toBe('fail');
    const human = await grader('grade', 'pool', '--workspace', fixture('noisy'));
    expect(human.stdout).toMatch(
      /✗ resolves to the mapped values in input order[^\n]*\n(?: {8}[^\n]*\n)* {8}your code printed:\n {10}\| mapLimit called with/,
    );
    expect(human.stdout).toMatch(/ {10}\| raw stdout write from mapLimit\n/);
    expect(human.stdout).toMatch(/ {10}\| \.\.\. \(\d+ more lines\)\n/);
  });
});

describe('a hostile exercise leaves the others alone', () => {
  const course = loadCourse();
  const others = course.exercises.filter((exercise) => exercise.id !== 'pool');

  it.each(['kill-parent', 'memory-hog', 'microtask-starve'])('%s in pool, every other exercise correct', async (name) => {
    const workspace = mkdtempSync(join(tmpdir(), 'grader-hostile-'));
    try {
      for (const exercise of course.exercises) {
        cpSync(fromRoot(exercise.solution), join(workspace, workspacePath(exercise)), { recursive: true });
      }
      copyFileSync(fromRoot(join(fixture(name), '01-pool/pool.ts')), join(workspace, '01-pool/pool.ts'));
      const { report, ms } = await gradeJson('--workspace', workspace, '--timeout', name === 'microtask-starve' ? '3' : '30');
      expect(report.exercises.find((exercise) => exercise.id === 'pool')!.status).toBe('error');
      for (const exercise of others) {
        expect(report.exercises.find((result) => result.id === exercise.id)).toMatchObject({ status: 'pass' });
      }
      expect(ms).toBeLessThan(RUN_BOUND_MS);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
