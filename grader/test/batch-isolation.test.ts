/**
 * Batch grading reuses a worker process from one learner to the next while the process is clean. Every
 * hostile submission in grader/fixtures/submissions is graded between two learners with the reference
 * pool, in one run with two workers, as `batch` does:
 * - every reference learner scores 100%: hostile code never changes another learner's grade;
 * - every hostile submission gets the very report it gets when graded in a process of its own;
 * - a process that graded a submission that tampered, tried to end the process, hung or ran out of memory
 *   grades nothing after it; and processes are reused (else batch is not fast).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot, loadCourse, REPO_ROOT } from '../course/manifest.ts';
import type { JsonExercise } from '../report/types.ts';

type Graded = Record<string, { pool: { report: JsonExercise; output: string; workerPid?: number } }>;

const FIXTURES = fromRoot('grader/fixtures/submissions');
const hostile = readdirSync(FIXTURES).sort();

/** Submissions that must leave their process unfit for the next learner. */
const MUST_DIRTY = [
  'exit-at-import', 'exit-in-call', 'kill-self', 'kill-parent', 'patches-builtins', 'replaces-globals',
  'hides-unhandled', 'hang-at-import', 'hang-in-call', 'memory-hog',
];

let work: string;
let reused: Graded;
let isolated: Graded;

function grade(spec: object, name: string): Promise<Graded> {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['grader/test/support/grade-candidates.mjs', file],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 540_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Graded)),
    );
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'grader-batch-isolation-'));
  const probe = fromRoot('solutions/01-pool/pool.ts');
  const submission = (name: string) => join(FIXTURES, name, '01-pool', 'pool.ts');
  const candidates = hostile.flatMap((name) => [
    { id: `${name}/before`, files: { pool: probe } },
    { id: name, files: { pool: submission(name) } },
    { id: `${name}/after`, files: { pool: probe } },
  ]);
  // Generous budgets: a busy machine must not turn into a different verdict.
  const common = { exercises: ['pool'], budgetMs: 8_000 };
  [reused, isolated] = await Promise.all([
    grade({ ...common, candidates, reuseWorkers: true, workers: 2 }, 'reused'),
    grade({ ...common, candidates: hostile.map((name) => ({ id: name, files: { pool: submission(name) } })), reuseWorkers: false }, 'isolated'),
  ]);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('batch grading with reused workers', () => {
  it('gives every learner after a hostile one full points', () => {
    const full = loadCourse().exercises.find((exercise) => exercise.id === 'pool')!.points;
    for (const name of hostile) {
      for (const id of [`${name}/before`, `${name}/after`]) {
        const { report } = reused[id]!.pool;
        expect({ id, status: report.status, points: report.points }).toEqual({ id, status: 'pass', points: full });
      }
    }
  });

  it('grades every hostile submission exactly as grading it alone does', () => {
    for (const name of hostile) expect({ name, report: reused[name]!.pool.report }).toEqual({ name, report: isolated[name]!.pool.report });
  });

  it('grades nothing more in a process after a submission that tampered, tried to end the process, hung or ran out of memory', () => {
    const order = Object.keys(reused);
    for (const name of MUST_DIRTY) {
      expect(hostile).toContain(name);
      const pid = reused[name]!.pool.workerPid;
      expect(pid, `${name}: the process that graded it is known`).toBeGreaterThan(0);
      const later = order.slice(order.indexOf(name) + 1).filter((id) => reused[id]!.pool.workerPid === pid);
      expect({ name, later }).toEqual({ name, later: [] });
    }
  });

  it('reuses processes: far fewer processes than learners', () => {
    const pids = new Set(Object.values(reused).map((graded) => graded.pool.workerPid));
    // Each submission that leaves a process unfit ends it, and a process also retires after 40 files or
    // 400 MB; the reference learners alone would share two.
    expect(pids.size).toBeLessThanOrEqual(Math.floor(Object.keys(reused).length / 3));
  });
});
