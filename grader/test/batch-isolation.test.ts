/**
 * Batch grading reuses a worker process from one learner to the next while the process is clean. Every
 * hostile submission in grader/fixtures/submissions is graded between two learners with the fixture
 * course's reference delay, in one run with two workers, as `batch` does:
 * - every reference learner scores 100%: hostile code never changes another learner's grade;
 * - every hostile submission gets the very report it gets when graded in a process of its own (the memory
 *   hog in runs of its own, see RACES_THE_CLOCK);
 * - a process that graded a submission that tampered, tried to end the process, hung or ran out of memory
 *   grades nothing after it; and processes are reused (else batch is not fast).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCourse } from '../course/manifest.ts';
import type { JsonExercise } from '../report/types.ts';
import { FIXTURE_COURSE, fixtureExercise, GRADER_CHECKOUT } from './support/course.ts';

type Graded = Record<string, { delay: { report: JsonExercise; output: string; workerPid?: number } }>;

const FIXTURES = join(GRADER_CHECKOUT, 'grader/fixtures/submissions');
const delay = fixtureExercise('delay');
const hostile = readdirSync(FIXTURES).sort();

/** Submissions that must leave their process unfit for the next learner. */
const MUST_DIRTY = [
  'exit-at-import', 'exit-in-call', 'kill-self', 'kill-parent', 'patches-builtins', 'replaces-globals',
  'hides-unhandled', 'hang-at-import', 'hang-in-call', 'memory-hog',
];

/**
 * A submission stopped by whichever of the watchdog's limits it reaches first: with the short budget of the
 * main runs, the memory limit or the time budget, depending on the machine's load. So its reports are
 * compared in two runs of their own, with a budget it never reaches first (it reaches 1 GB in seconds).
 */
const RACES_THE_CLOCK = 'memory-hog';

let work: string;
let reused: Graded;
let isolated: Graded;
let hogReused: Graded;
let hogIsolated: Graded;

function grade(spec: object, name: string): Promise<Graded> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['grader/test/support/grade-candidates.mjs', file],
      { cwd: GRADER_CHECKOUT, maxBuffer: 64 * 1024 * 1024, timeout: 540_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Graded)),
    );
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'grader-batch-isolation-'));
  const probe = inCourse(delay, delay.solution);
  const submission = (name: string) => join(FIXTURES, name, '01-delay', 'delay.ts');
  const candidates = hostile.flatMap((name) => [
    { id: `${name}/before`, files: { delay: probe } },
    { id: name, files: { delay: submission(name) } },
    { id: `${name}/after`, files: { delay: probe } },
  ]);
  // Generous budgets: a busy machine must not turn into a different verdict.
  const common = { course: FIXTURE_COURSE, exercises: ['delay'], budgetMs: 8_000 };
  [reused, isolated] = await Promise.all([
    grade({ ...common, candidates, reuseWorkers: true, workers: 2 }, 'reused'),
    grade({ ...common, candidates: hostile.map((name) => ({ id: name, files: { delay: submission(name) } })), reuseWorkers: false }, 'isolated'),
  ]);
  const hog = { course: FIXTURE_COURSE, exercises: ['delay'], budgetMs: 120_000 };
  [hogReused, hogIsolated] = await Promise.all([
    grade({ ...hog, candidates: candidates.filter((candidate) => candidate.id.split('/')[0] === RACES_THE_CLOCK), reuseWorkers: true, workers: 1 }, 'hog-reused'),
    grade({ ...hog, candidates: [{ id: RACES_THE_CLOCK, files: { delay: submission(RACES_THE_CLOCK) } }], reuseWorkers: false }, 'hog-isolated'),
  ]);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('batch grading with reused workers', () => {
  it('gives every learner after a hostile one full points', () => {
    const full = delay.points;
    expect(full).toBe(4);
    for (const name of hostile) {
      for (const id of [`${name}/before`, `${name}/after`]) {
        const { report } = reused[id]!.delay;
        expect({ id, status: report.status, points: report.points }).toEqual({ id, status: 'pass', points: full });
      }
    }
  });

  it('grades every hostile submission exactly as grading it alone does', () => {
    expect(hostile).toContain(RACES_THE_CLOCK);
    for (const name of hostile) {
      if (name === RACES_THE_CLOCK) continue;
      expect({ name, report: reused[name]!.delay.report }).toEqual({ name, report: isolated[name]!.delay.report });
    }
    // The memory hog: in the main runs, stopped one way or the other, earning nothing.
    for (const run of [reused, isolated]) {
      expect(run[RACES_THE_CLOCK]!.delay.report).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/^(ran out of memory|did not finish in 8 s)/) });
    }
    // In its own runs, stopped for its memory, between two learners who keep full points.
    expect(hogReused[RACES_THE_CLOCK]!.delay.report).toEqual(hogIsolated[RACES_THE_CLOCK]!.delay.report);
    expect(hogIsolated[RACES_THE_CLOCK]!.delay.report.message).toMatch(/^ran out of memory: it used more than 1024 MB/);
    for (const id of [`${RACES_THE_CLOCK}/before`, `${RACES_THE_CLOCK}/after`]) {
      expect({ id, report: hogReused[id]!.delay.report }).toMatchObject({ id, report: { status: 'pass', points: delay.points } });
    }
  });

  it('grades nothing more in a process after a submission that tampered, tried to end the process, hung or ran out of memory', () => {
    const order = Object.keys(reused);
    for (const name of MUST_DIRTY) {
      expect(hostile).toContain(name);
      const pid = reused[name]!.delay.workerPid;
      expect(pid, `${name}: the process that graded it is known`).toBeGreaterThan(0);
      const later = order.slice(order.indexOf(name) + 1).filter((id) => reused[id]!.delay.workerPid === pid);
      expect({ name, later }).toEqual({ name, later: [] });
    }
  });

  it('reuses processes: far fewer processes than learners', () => {
    const pids = new Set(Object.values(reused).map((graded) => graded.delay.workerPid));
    // Each submission that leaves a process unfit ends it, and a process also retires after 40 files or
    // 400 MB; the reference learners alone would share two.
    expect(pids.size).toBeLessThanOrEqual(Math.floor(Object.keys(reused).length / 3));
  });
});
