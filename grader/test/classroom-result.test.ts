/**
 * grader/ci/classroom-result.mjs: grade.json → the base64 `result` output that
 * GitHub Classroom's autograding-grading-reporter reads. Run as the workflow
 * runs it (docs/autograding/grade.yml).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../course/manifest.ts';
import type { JsonReport } from '../report/types.ts';
import { fixture, gradeJson } from './support/run-grader.ts';

interface ClassroomTest {
  name: string;
  status: string;
  score: number;
  message?: string;
  test_code: string;
}

interface ClassroomResult {
  version: number;
  status: string;
  max_score: number;
  tests: ClassroomTest[];
}

const tmp = mkdtempSync(join(tmpdir(), 'grader-classroom-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function script(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['grader/ci/classroom-result.mjs', ...args], { cwd: REPO_ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let files = 0;
async function resultFor(report: unknown): Promise<{ line: string; result: ClassroomResult }> {
  const file = join(tmp, `grade-${files++}.json`);
  writeFileSync(file, JSON.stringify(report));
  const run = await script(file);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  // One line for $GITHUB_OUTPUT: `result=` and base64, nothing else.
  expect(run.stdout).toMatch(/^result=[A-Za-z0-9+/]+=*\n$/);
  const base64 = run.stdout.slice('result='.length, -1);
  return { line: run.stdout, result: JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as ClassroomResult };
}

const report: JsonReport = {
  version: 1,
  status: 'error',
  points: 5,
  maxPoints: 12,
  exercises: [
    {
      id: 'pool',
      status: 'fail',
      points: 3,
      maxPoints: 4,
      tests: [
        { name: 'never runs more than `concurrency` calls at once', task: 'createLimiter', status: 'pass', points: 3 },
        { name: 'resolves in input order', task: 'mapLimit', status: 'fail', message: 'expected: [1, 2]\nbut got:  [2, 1]', points: 0 },
      ],
    },
    { id: 'debounce', status: 'pass', points: 2, maxPoints: 2, tests: [{ name: 'waits', task: 'debounce', status: 'pass', points: 2 }] },
    {
      id: 'retry',
      status: 'error',
      message: 'did not finish in 10 s: is there an infinite loop?',
      points: 0,
      maxPoints: 6,
      tests: [
        { name: 'retries', task: 'retry', status: 'error', message: 'not run: grading stopped early', points: 0 },
        { name: 'gives up', task: 'retry', status: 'error', message: 'not run: grading stopped early', points: 0 },
      ],
    },
  ],
};

describe('classroom-result.mjs', () => {
  it("prints the reporter's result: the run's status, max_score, and one scored test per behaviour", async () => {
    const { result } = await resultFor(report);
    expect(result).toEqual({
      version: 1,
      status: 'error',
      max_score: 12,
      tests: [
        {
          name: 'pool › createLimiter › never runs more than `concurrency` calls at once',
          status: 'pass',
          score: 3,
          test_code: 'npm run grade -- pool',
        },
        {
          name: 'pool › mapLimit › resolves in input order',
          status: 'fail',
          score: 0,
          message: 'expected: [1, 2]\nbut got:  [2, 1]',
          test_code: 'npm run grade -- pool',
        },
        { name: 'debounce › debounce › waits', status: 'pass', score: 2, test_code: 'npm run grade -- debounce' },
        // An exercise that could not be graded is one entry with its reason.
        {
          name: 'retry › could not be graded',
          status: 'error',
          score: 0,
          message: 'did not finish in 10 s: is there an infinite loop?',
          test_code: 'npm run grade -- retry',
        },
      ],
    });
    // What Classroom records: the sum of the scores, out of max_score.
    expect(result.tests.reduce((total, test) => total + test.score, 0)).toBe(report.points);
  });

  it('shortens long messages so the result fits in an environment variable', async () => {
    const long: JsonReport = {
      version: 1,
      status: 'fail',
      points: 0,
      maxPoints: 400,
      exercises: [
        {
          id: 'pool',
          status: 'fail',
          points: 0,
          maxPoints: 400,
          tests: Array.from({ length: 400 }, (_, index) => ({
            name: `behaviour ${index}`,
            task: 'mapLimit',
            status: 'fail' as const,
            message: `expected: ${'x'.repeat(5000)}`,
            points: 0,
          })),
        },
      ],
    };
    const { line, result } = await resultFor(long);
    // Linux refuses an environment variable longer than 128 KiB.
    expect(line.length).toBeLessThan(128 * 1024);
    expect(result.max_score).toBe(400);
    expect(result.tests).toHaveLength(400);
    expect(result.tests.every((test) => test.status === 'fail' && test.message!.length < 5000)).toBe(true);
  });

  it('refuses what is not a grader report, with one line and exit 1', async () => {
    const file = join(tmp, 'not-a-report.json');
    writeFileSync(file, '{"tests": []}');
    expect(await script(file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `classroom-result: ${file} is not a grader report (npm run --silent grade -- --json)\n`,
    });
    const empty = join(tmp, 'empty.json');
    writeFileSync(empty, '');
    const run = await script(empty);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^classroom-result: cannot read .*empty\.json as JSON \(.*\)\n$/);
    expect(await script()).toEqual({ code: 2, stdout: '', stderr: 'usage: node grader/ci/classroom-result.mjs grade.json\n' });
  });

  it("carries a real run's points: half an implementation", async () => {
    const { code, report: graded } = await gradeJson('pool', '--workspace', fixture('partial'));
    expect(code).toBe(1);
    const { result } = await resultFor(graded);
    expect(result.status).toBe('fail');
    expect(result.max_score).toBe(graded.maxPoints);
    expect(result.tests).toHaveLength(graded.exercises[0]!.tests.length);
    const score = result.tests.reduce((total, test) => total + test.score, 0);
    expect(score).toBe(graded.points);
    expect(score).toBeGreaterThan(0);
  });
});
