/**
 * Adding an exercise touches its own files and one manifest entry, nothing else (CONTRIBUTING.md): a toy
 * exercise is written into a copy of the fixture course, and grade, verify, batch, watch and release all
 * work on it with no other change.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../report/types.ts';
import { copyFixtureCourse, GRADER_CHECKOUT } from './support/course.ts';
import { runGrader, scriptEnv } from './support/run-grader.ts';

const STUB = `/** Exercise 03 — add. Read lessons/03-add.md, then grade with \`npm run grade -- add\`. */

export async function add(a: number, b: number): Promise<number> {
  throw new Error('Not implemented yet: add');
}
`;

const SOLUTION = `/** Reference solution — add. */

export async function add(a: number, b: number): Promise<number> {
  if (typeof a !== 'number' || typeof b !== 'number') throw new TypeError('add: numbers only');
  return a + b;
}
`;

const SUITE = `import type * as Contract from '@impl/03-add/add.ts';
import { behaviour, check, drain, loadImplementation, rejectionReason, fulfilledValue, show, task, track } from '@grader/harness';

const { add } = await loadImplementation<typeof Contract>({
  suite: import.meta.url,
  load: () => import('@impl/03-add/add.ts'),
  exports: { add: 'function' },
});

task('add', () => {
  behaviour('resolves with the sum', async () => {
    for (const [a, b] of [[1, 2], [-3, 3], [0.5, 0.25]] as const) {
      const sum = track(add(a, b));
      await drain();
      const value = fulfilledValue(sum, \`add(\${a}, \${b})\`);
      check(value === a + b, { expected: \`add(\${a}, \${b}) to resolve with \${a + b}\`, received: show(value) });
    }
  }, { points: 2 });

  behaviour('rejects with a TypeError for a value that is not a number', async () => {
    const result = track(add('1' as unknown as number, 2));
    await drain();
    const reason = rejectionReason(result, "add('1', 2)");
    check(reason instanceof TypeError, { expected: 'a TypeError', received: show(reason) });
  });
});
`;

const edit = (name: string, find: string, replace: string, breaks: string) =>
  ({ name, story: `${name}.`, breaks: [breaks], edits: [{ find, replace }] });

const SUM = 'resolves with the sum';
const TYPE = 'rejects with a TypeError for a value that is not a number';
const SMALL_BUGS = `export default ${JSON.stringify(
  [
    edit('subtracts', 'return a + b;', 'return a - b;', SUM),
    edit('multiplies', 'return a + b;', 'return a * b;', SUM),
    edit('off-by-one', 'return a + b;', 'return a + b + 1;', SUM),
    edit('rounds', 'return a + b;', 'return Math.round(a + b);', SUM),
    edit('first-only', 'return a + b;', 'return a;', SUM),
    edit('no-check', "if (typeof a !== 'number' || typeof b !== 'number') throw new TypeError('add: numbers only');", '', TYPE),
    edit('checks-a-only', "typeof a !== 'number' || typeof b !== 'number'", "typeof b !== 'number'", TYPE),
    edit('range-error', "throw new TypeError('add: numbers only')", "throw new RangeError('add: numbers only')", TYPE),
  ],
  null,
  2,
)};
`;

const TRACE = `| Contract sentence | Checked by |
| --- | --- |
| \`add(a, b)\` resolves with \`a + b\`. | “resolves with the sum” |
| A value that is not a number rejects with a \`TypeError\`. | “rejects with a TypeError for a value that is not a number” |
`;

/** Everything the new exercise is: its files, and the one line of the manifest below. */
const FILES: Record<string, string> = {
  'lessons/03-add.md': '# Add\n\n`add(a, b)` resolves with the sum.\n',
  'exercises/03-add/add.ts': STUB,
  'exercises/03-add/add.test.ts': "import { expect, it } from 'vitest';\nimport { add } from './add.ts';\n\nit('adds', async () => {\n  expect(await add(1, 2)).toBe(3);\n});\n",
  'solutions/03-add/add.ts': SOLUTION,
  'grader/suites/add.suite.ts': SUITE,
  'grader/suites/add.contract.md': TRACE,
  'grader/zoo/add/alternatives/promise-resolve.ts':
    "export function add(a: number, b: number): Promise<number> {\n  return typeof a === 'number' && typeof b === 'number' ? Promise.resolve(a + b) : Promise.reject(new TypeError('no'));\n}\n",
  'grader/zoo/add/alternatives/then-chain.ts':
    "export function add(a: number, b: number): Promise<number> {\n  return Promise.resolve().then(() => {\n    if (![a, b].every((v) => typeof v === 'number')) throw new TypeError('numbers');\n    return b + a;\n  });\n}\n",
  'grader/zoo/add/small-bugs.ts': SMALL_BUGS,
};

let course: string;
const scratch = mkdtempSync(join(tmpdir(), 'grader-add-exercise-'));
const grader = (args: string[]) => runGrader(args, { course, cwd: scratch, timeoutMs: 300_000 });

beforeAll(() => {
  course = copyFixtureCourse('grader-add-exercise-course-');
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(course, path)), { recursive: true });
    writeFileSync(join(course, path), text);
  }
  const manifest = JSON.parse(readFileSync(join(course, 'course.json'), 'utf8')) as { exercises: unknown[] };
  manifest.exercises.push({ id: 'add', title: 'Add: the smallest async function', hints: ['Return a + b from an async function.'] });
  writeFileSync(join(course, 'course.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // An instructor's course is a git repository: release takes the original stubs from its history.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=course@example.com', '-c', 'user.name=Course', ...args], { cwd: course, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the fixture course and a toy exercise');
});

afterAll(() => {
  rmSync(course, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('a toy exercise added with its files and one manifest entry', () => {
  it('is graded: the stub scores 0 of the points its suite declares, the solution all of them', async () => {
    const stub = await grader(['grade', 'add', '--json']);
    expect(stub.code).toBe(1);
    const report = JSON.parse(stub.stdout) as JsonReport;
    expect(report.exercises.map((e) => [e.id, e.status, e.points, e.maxPoints])).toEqual([['add', 'fail', 0, 3]]);

    const solved = await grader(['grade', '--json', '--workspace', join(course, 'solutions')]);
    expect(solved.code, solved.stderr).toBe(0);
    const all = JSON.parse(solved.stdout) as JsonReport;
    expect(all.exercises.map((e) => e.id)).toEqual(['delay', 'once', 'add']);
    expect(all.exercises.at(-1)).toMatchObject({ id: 'add', status: 'pass', points: 3, maxPoints: 3 });
  });

  it('is verified: its stub, solution, alternatives and small bugs', async () => {
    const run = await grader(['verify', 'add']);
    expect(run.stdout).toMatch(/✓ bug checks-a-only: caught/);
    expect(run.stdout).toMatch(/✓ alternative then-chain: scores 100%/);
    expect(run.stdout).toMatch(/✓ points: the suite's source declares 3, its behaviours add up to 3/);
    expect(run.stdout).toMatch(/verify: \d+ passed, 0 failed/);
    expect(run.code).toBe(0);
  });

  it('has its column in the gradebook of a batch', async () => {
    const learner = join(scratch, 'class', 'ada', '03-add');
    mkdirSync(learner, { recursive: true });
    writeFileSync(join(learner, 'add.ts'), SOLUTION);
    const run = await grader(['batch', join(scratch, 'class'), '--out', join(scratch, 'out'), '--no-progress']);
    expect(run.code, run.stderr).toBe(0);
    const [header, row] = readFileSync(join(scratch, 'out', 'gradebook.csv'), 'utf8').trim().split(/\r?\n/);
    expect(header).toBe('learner,delay,once,add,total,max');
    expect(row).toBe('ada,0,0,3,3,11');
  });

  it('is watched: a save of the solution passes', async () => {
    const workspace = join(scratch, 'watched');
    mkdirSync(join(workspace, '03-add'), { recursive: true });
    writeFileSync(join(workspace, '03-add', 'add.ts'), STUB);
    const child = spawn(process.execPath, [join(GRADER_CHECKOUT, 'grader/bin/grader.mjs'), 'watch', 'add', '--workspace', workspace], {
      cwd: scratch,
      env: scriptEnv(course),
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const printed = (pattern: RegExp, from: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch never printed ${pattern}:\n${stdout}`)), 120_000);
        const look = () => {
          if (!pattern.test(stdout.slice(from))) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          look();
        });
        look();
      });
    try {
      await printed(/save it to grade again/, 0);
      expect(stdout).toMatch(/0\/3/);
      const from = stdout.length;
      writeFileSync(join(workspace, '03-add', 'add.ts'), SOLUTION);
      await printed(/3\/3/, from);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('is in the learner edition: its stub, lesson, practice tests and bundled suite, with its points', async () => {
    const out = join(scratch, 'edition');
    const run = await grader(['release', out]);
    expect(run.code, run.stderr).toBe(0);
    const edition = JSON.parse(readFileSync(join(out, 'course.json'), 'utf8')) as { exercises: Array<{ id: string; suite: string; points: number }> };
    expect(edition.exercises.at(-1)).toMatchObject({ id: 'add', suite: 'grader/suites/add.suite.js', points: 3 });
    expect(readFileSync(join(out, 'exercises/03-add/add.ts'), 'utf8')).toBe(STUB);
    expect(readFileSync(join(out, 'lessons/03-add.md'), 'utf8')).toBe(FILES['lessons/03-add.md']);
    expect(readFileSync(join(out, 'grader/suites/add.suite.js'), 'utf8')).toContain('@impl/03-add/add.ts');
  });
});
