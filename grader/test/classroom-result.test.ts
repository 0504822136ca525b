/**
 * grader/ci/classroom-result.mjs: grade.json → the base64 `result` output that
 * GitHub Classroom's autograding-grading-reporter reads. Run as the workflow
 * runs it (docs/autograding/grade.yml).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../report/types.ts';
import { BEHAVIOURS, GRADER_CHECKOUT } from './support/course.ts';
import { gradeJson } from './support/run-grader.ts';

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
    execFile(process.execPath, ['grader/ci/classroom-result.mjs', ...args], { cwd: GRADER_CHECKOUT }, (error, stdout, stderr) =>
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

// The fixture course's behaviours: delay's and once's.
const { RESOLVES, ZERO, THROWS, FIRST_CALL, REJECTION, SYNC_THROW } = BEHAVIOURS;
const NOT_RUN = 'not counted: grading of this exercise was stopped';

/** delay fails one behaviour (3/4), once could not be graded (0/4). */
const report: JsonReport = {
  version: 1,
  status: 'error',
  points: 3,
  maxPoints: 8,
  exercises: [
    {
      id: 'delay',
      status: 'fail',
      points: 3,
      maxPoints: 4,
      tests: [
        { name: RESOLVES, task: 'delay', status: 'pass', points: 2 },
        { name: ZERO, task: 'delay', status: 'fail', message: 'expected: delay(0, 1) still pending before any timer fires\nbut got:  it had fulfilled', points: 0 },
        { name: THROWS, task: 'delay', status: 'pass', points: 1 },
      ],
    },
    {
      id: 'once',
      status: 'error',
      message: 'did not finish in 10 s: is there an infinite loop?',
      points: 0,
      maxPoints: 4,
      tests: [
        { name: FIRST_CALL, task: 'once', status: 'error', message: NOT_RUN, points: 0 },
        { name: REJECTION, task: 'once', status: 'error', message: NOT_RUN, points: 0 },
        { name: SYNC_THROW, task: 'once', status: 'error', message: NOT_RUN, points: 0 },
      ],
    },
  ],
};

/** Every exercise passes. */
const passing: JsonReport = {
  version: 1,
  status: 'pass',
  points: 4,
  maxPoints: 4,
  exercises: [
    {
      id: 'once',
      status: 'pass',
      points: 4,
      maxPoints: 4,
      tests: [
        { name: FIRST_CALL, task: 'once', status: 'pass', points: 2 },
        { name: REJECTION, task: 'once', status: 'pass', points: 1 },
        { name: SYNC_THROW, task: 'once', status: 'pass', points: 1 },
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
      max_score: 8,
      tests: [
        { name: `delay › delay › ${RESOLVES}`, status: 'pass', score: 2, test_code: 'npm run grade -- delay' },
        {
          name: `delay › delay › ${ZERO}`,
          status: 'fail',
          score: 0,
          message: 'expected: delay(0, 1) still pending before any timer fires\nbut got:  it had fulfilled',
          test_code: 'npm run grade -- delay',
        },
        { name: `delay › delay › ${THROWS}`, status: 'pass', score: 1, test_code: 'npm run grade -- delay' },
        // An exercise that could not be graded is one entry with its reason.
        {
          name: 'once › could not be graded',
          status: 'error',
          score: 0,
          message: 'did not finish in 10 s: is there an infinite loop?',
          test_code: 'npm run grade -- once',
        },
      ],
    });
    // What Classroom records: the sum of the scores, out of max_score.
    expect(result.tests.reduce((total, test) => total + test.score, 0)).toBe(report.points);

    const all = (await resultFor(passing)).result;
    expect(all).toEqual({
      version: 1,
      status: 'pass',
      max_score: 4,
      tests: [
        { name: `once › once › ${FIRST_CALL}`, status: 'pass', score: 2, test_code: 'npm run grade -- once' },
        { name: `once › once › ${REJECTION}`, status: 'pass', score: 1, test_code: 'npm run grade -- once' },
        { name: `once › once › ${SYNC_THROW}`, status: 'pass', score: 1, test_code: 'npm run grade -- once' },
      ],
    });
  });

  it('shortens long messages so the result fits in an environment variable', async () => {
    const long: JsonReport = {
      version: 1,
      status: 'fail',
      points: 0,
      maxPoints: 400,
      exercises: [
        {
          id: 'delay',
          status: 'fail',
          points: 0,
          maxPoints: 400,
          tests: Array.from({ length: 400 }, (_, index) => ({
            name: `behaviour ${index}`,
            task: 'delay',
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
    // The fixture's delay without its check of ms: every behaviour passes but the TypeError one.
    const workspace = join(tmp, 'partial');
    mkdirSync(join(workspace, '01-delay'), { recursive: true });
    writeFileSync(
      join(workspace, '01-delay', 'delay.ts'),
      'export function delay<T>(ms: number, value: T): Promise<T> {\n  return new Promise((resolve) => setTimeout(() => resolve(value), ms));\n}\n',
    );
    const { code, report: graded } = await gradeJson('delay', '--workspace', workspace);
    expect(code).toBe(1);
    expect(graded).toMatchObject({ status: 'fail', points: 3, maxPoints: 4 });
    const { result } = await resultFor(graded);
    expect(result.status).toBe('fail');
    expect(result.max_score).toBe(graded.maxPoints);
    expect(result.tests).toHaveLength(graded.exercises[0]!.tests.length);
    expect(result.tests.map((test) => [test.name, test.status, test.score])).toEqual([
      [`delay › delay › ${RESOLVES}`, 'pass', 2],
      [`delay › delay › ${ZERO}`, 'pass', 1],
      [`delay › delay › ${THROWS}`, 'fail', 0],
    ]);
    expect(result.tests[2]!.message).toMatch(/TypeError/);
    const score = result.tests.reduce((total, test) => total + test.score, 0);
    expect(score).toBe(graded.points);
    expect(score).toBeGreaterThan(0);
  });
});
