/**
 * Hostile and broken learner code (grader/fixtures/submissions/): each case is
 * graded by the real CLI on the fixture course, with a message for the learner,
 * in bounded time, and leaves no process behind. Each fixture replaces the delay
 * exercise.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCourse, workspacePath } from '../course/manifest.ts';
import type { JsonExercise, JsonReport } from '../report/types.ts';
import { fixtureExercise, fixtureExercises, GRADER_CHECKOUT } from './support/course.ts';
import { fixture, grader, orphanedWorkers, runGrader, type Run } from './support/run-grader.ts';

/**
 * How long any one of these runs may take, whatever the machine is doing: the test stops the grader
 * after this long and fails. It is a bound on a grader that would never stop, not a speed test.
 */
const RUN_BOUND_MS = 150_000;
/** Room for the runs that wait for a free slot (describe.concurrent runs a few at once). */
const TEST_TIMEOUT_MS = 3 * RUN_BOUND_MS;

const delay = fixtureExercise('delay');
const DELAY_FILE = workspacePath(delay); // 01-delay/delay.ts

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
  { fixture: 'exit-at-import', seconds: 30, status: 'error', message: /^your code called process\.exit\(0\) while .*exit-at-import\/01-delay\/delay\.ts loaded: that ends the process/ },
  { fixture: 'exit-in-call', seconds: 30, status: 'error', message: /^your code called process\.exit\(0\) during “[^”]+”/ },
  { fixture: 'kill-self', seconds: 30, status: 'error', message: /^your code called process\.kill\(process\.pid, "SIGKILL"\) during “[^”]+”/ },
  { fixture: 'kill-parent', seconds: 30, status: 'error', message: /^your code called process\.kill\(process\.ppid, "SIGKILL"\) while .* loaded/ },
  { fixture: 'uncaught-at-import', seconds: 30, status: 'error', message: /raised an exception nobody caught while it loaded: Error: boom from a timer started at import \(at .*delay\.ts:3:9\)/ },
  { fixture: 'uncaught-in-call', seconds: 30, status: 'fail', message: /an uncaught exception: Error: boom from process\.nextTick .*, thrown from a callback/ },
  { fixture: 'memory-hog', seconds: 30, status: 'error', message: /^ran out of memory: it used more than \d+ MB/ },
  { fixture: 'imports-vitest', seconds: 30, status: 'error', message: /delay\.ts imports "vitest", the test framework\. Your code may not import the test framework/ },
  { fixture: 'imports-harness', seconds: 30, status: 'error', message: /imports "\.\.\/\.\.\/\.\.\/\.\.\/harness\/index\.ts", the grader's own code/ },
  { fixture: 'spawns-process', seconds: 30, status: 'error', message: /delay\.ts imports "node:child_process", which the exercises do not need/ },
  { fixture: 'data-url-import', seconds: 30, status: 'error', message: /delay\.ts imports a module given as a URL \("data:…"\)\. Your code may not import/ },
  { fixture: 'reads-runner-state', seconds: 30, status: 'error', message: /delay\.ts uses `__vitest_worker__`, the test runner's own state/ },
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

/** The JSON report of a run the grader finished on its own, or a failure that says what happened. */
function reportOf(run: Run): JsonReport {
  expect(run.stoppedByTest, `the grader was still running after ${RUN_BOUND_MS} ms:\n${run.stderr}`).toBe(false);
  return JSON.parse(run.stdout) as JsonReport;
}

afterAll(() => {
  expect(orphanedWorkers()).toEqual([]);
});

describe.concurrent('hostile code in the delay exercise', () => {
  it.each(CASES)(
    '$fixture: $status, with a message for the learner',
    async ({ fixture: name, seconds, status, message }) => {
      const run = await runGrader(['grade', '--json', 'delay', '--workspace', fixture(name), '--timeout', String(seconds)], { timeoutMs: RUN_BOUND_MS });
      const report = reportOf(run);
      expect(run.code).toBe(1);
      expect(report.exercises.map((exercise) => exercise.id)).toEqual(['delay']);
      const [graded] = report.exercises;
      expect(graded!.status).toBe(status);
      expect(graded!.maxPoints).toBe(delay.points);
      expect(graded!.points).toBeLessThan(graded!.maxPoints);
      expect(messagesOf(graded!)).toContainEqual(expect.stringMatching(message));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'what the code prints is shown beside the failing behaviour, never in --json stdout',
    async () => {
      const [json, human] = await Promise.all([
        runGrader(['grade', '--json', 'delay', '--workspace', fixture('noisy')], { timeoutMs: RUN_BOUND_MS }),
        grader('grade', 'delay', '--workspace', fixture('noisy')),
      ]);
      // stdout is one JSON document and nothing else: JSON.parse would throw on a printed line.
      const report = reportOf(json);
      expect(report.exercises[0]!.status).toBe('fail');
      expect(json.stdout).not.toContain('raw stdout write from delay');
      expect(json.stdout).not.toContain('debug line');
      expect(human.stdout).toMatch(
        /✗ resolves with the value after exactly ms milliseconds[^\n]*\n(?: {8}[^\n]*\n)* {8}your code printed:\n {10}\| delay called with 30 done\n/,
      );
      expect(human.stdout).toMatch(/ {10}\| raw stdout write from delay\n/);
      expect(human.stdout).toMatch(/ {10}\| \.\.\. \(\d+ more lines\)\n/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe.concurrent('a hostile exercise leaves the others alone', () => {
  const others = fixtureExercises().filter((exercise) => exercise.id !== 'delay');
  let workspaces: string;

  beforeAll(() => {
    workspaces = mkdtempSync(join(tmpdir(), 'grader-hostile-'));
    return () => rmSync(workspaces, { recursive: true, force: true });
  });

  it('the fixture course has other exercises to leave alone', () => {
    expect(others.length).toBeGreaterThan(0);
  });

  it.each([
    // The hang's budget is longer than in the cases above: every other exercise is graded within it too.
    ['kill-parent', '30'],
    ['memory-hog', '30'],
    ['microtask-starve', '10'],
  ])(
    '%s in delay, every other exercise correct',
    async (name, seconds) => {
      const workspace = join(workspaces, name);
      for (const exercise of fixtureExercises()) {
        const file = join(workspace, workspacePath(exercise));
        mkdirSync(dirname(file), { recursive: true });
        cpSync(inCourse(exercise, exercise.solution), file);
      }
      copyFileSync(join(GRADER_CHECKOUT, fixture(name), DELAY_FILE), join(workspace, DELAY_FILE));
      const report = reportOf(await runGrader(['grade', '--json', '--workspace', workspace, '--timeout', seconds], { timeoutMs: RUN_BOUND_MS }));
      expect(report.exercises.map((exercise) => exercise.id)).toEqual(fixtureExercises().map((exercise) => exercise.id));
      expect(report.exercises.find((exercise) => exercise.id === 'delay')!.status).toBe('error');
      for (const exercise of others) {
        expect(report.exercises.find((result) => result.id === exercise.id)).toMatchObject({ status: 'pass', points: exercise.points });
      }
    },
    TEST_TIMEOUT_MS,
  );
});
