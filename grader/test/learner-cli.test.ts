/**
 * The learner's commands as a learner runs them, off a terminal (stdin
 * closed, stdout a pipe), each in its own temporary copy of the course (only
 * pool) made a git repository: the real exercises/ and progress.json are
 * never touched.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type Course } from '../course/manifest.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

const real = JSON.parse(readFileSync(join(REPO_ROOT, 'course.json'), 'utf8')) as Course;
const pool = real.exercises.find((exercise) => exercise.id === 'pool')!;
const STUB = readFileSync(join(REPO_ROOT, pool.stub), 'utf8');
const SOLUTION = readFileSync(join(REPO_ROOT, pool.solution), 'utf8');

/** A course with only pool, committed to git as the course ships it. */
function courseCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'grader-learner-'));
  copies.push(root);
  for (const path of ['grader', 'package.json', 'tsconfig.json', real.orientation, pool.lesson, pool.solution, pool.suite]) {
    cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
  }
  mkdirSync(join(root, pool.stub, '..'), { recursive: true });
  // The stub as the course ships it (the real file may hold someone's work).
  writeFileSync(join(root, pool.stub), execFileSync('git', ['show', `HEAD:${pool.stub}`], { cwd: REPO_ROOT }));
  writeFileSync(join(root, 'course.json'), JSON.stringify({ ...real, exercises: [pool] }, null, 2));
  writeFileSync(join(root, '.gitignore'), 'node_modules\nprogress.json\n.grader/\n');
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=course@example.com', '-c', 'user.name=course', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the course');
  return root;
}

/** A learner's shell off a terminal: no CI, no colour forced either way. */
function learnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'FORCE_COLOR', 'NO_COLOR', 'INIT_CWD']) delete env[name];
  return env;
}

function grader(root: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['grader/bin/grader.mjs', ...args], { cwd: root, env: learnerEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const learnerFile = (root: string) => join(root, pool.stub);
const MY_WORK = STUB.replace("throw new Error('Not implemented yet: createLimiter');", 'return undefined as never; // my attempt');

describe.concurrent('learner commands off a terminal', () => {
  it('list: every exercise, its status and points, then the next step', async () => {
    const root = courseCopy();
    const { code, stdout, stderr } = await grader(root, 'list');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`  ○ 01  pool  not started  –/${pool.points}  ${pool.title}\n`);
    expect(stdout).toMatch(/Start with the orientation \(npm run grader -- lesson\), then the pool lesson/);
    expect(stdout).not.toContain('\x1b');
    writeFileSync(learnerFile(root), MY_WORK);
    expect((await grader(root, 'list')).stdout).toContain('● 01  pool  in progress');
  });

  it('hint: one more each time, then says so and repeats the last; --all; unknown id → exit 2', async () => {
    const root = courseCopy();
    const outputs: string[] = [];
    for (let call = 0; call < 4; call++) {
      const run = await grader(root, 'hint', 'pool');
      expect(run.code).toBe(0);
      outputs.push(run.stdout);
    }
    const count = pool.hints.length;
    expect(outputs[0]).toContain(`Hint 1 of ${count} for pool:`);
    expect(outputs[0]).toContain('Run the same command again for hint 2');
    expect(outputs[1]).toContain(`Hint 2 of ${count} for pool:`);
    expect(outputs[count - 1]).toContain(`Hint ${count} of ${count} for pool:`);
    expect(outputs[count - 1]).toContain('That was the last hint. The lesson explains it in full: npm run grader -- lesson pool');
    expect(outputs[count]).toContain(`You have seen all ${count} hints for pool; here is the last one again.`);
    expect(outputs[count]).toContain(`Hint ${count} of ${count} for pool:`);

    const all = await grader(root, 'hint', 'pool', '--all');
    for (let n = 1; n <= count; n++) expect(all.stdout).toContain(`Hint ${n} of ${count} for pool:`);

    const unknown = await grader(root, 'hint', 'poool');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("grader: unknown exercise 'poool'. Did you mean 'pool'?\n");
  });

  it('lesson: the plain Markdown in a pipe; no id is the orientation', async () => {
    const root = courseCopy();
    const lesson = await grader(root, 'lesson', 'pool');
    expect(lesson.code).toBe(0);
    expect(lesson.stdout).toBe(readFileSync(join(REPO_ROOT, pool.lesson), 'utf8'));
    const orientation = await grader(root, 'lesson');
    expect(orientation.stdout).toBe(readFileSync(join(REPO_ROOT, real.orientation), 'utf8'));
  });

  it('reset: without --yes off a terminal, exit 2 and nothing changed; with --yes, a backup then the stub', async () => {
    const root = courseCopy();
    writeFileSync(learnerFile(root), MY_WORK);
    // Committing their work must not make it "the original".
    execFileSync('git', ['-c', 'user.email=me@example.com', '-c', 'user.name=me', 'commit', '-q', '-am', 'my work'], { cwd: root });

    const refused = await grader(root, 'reset', 'pool');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^grader: reset replaces your exercises\/01-pool\/pool\.ts with the original stub; add --yes to confirm/);
    expect(readFileSync(learnerFile(root), 'utf8')).toBe(MY_WORK);
    expect(existsSync(join(root, '.grader'))).toBe(false);

    const done = await grader(root, 'reset', 'pool', '--yes');
    expect(done.code).toBe(0);
    const backup = /Backed up your file to (\.grader\/backups\/pool-\d{8}T\d+Z\.ts)/.exec(done.stdout)?.[1];
    expect(backup, done.stdout).toBeDefined();
    expect(readFileSync(join(root, backup!), 'utf8')).toBe(MY_WORK);
    expect(readFileSync(learnerFile(root), 'utf8')).toBe(STUB);
    expect(done.stdout).toContain('Restored exercises/01-pool/pool.ts to the original stub');

    const again = await grader(root, 'reset', 'pool', '--yes');
    expect(again.stdout).toBe('exercises/01-pool/pool.ts is already the original stub; nothing to do.\n');
    expect(readdirSync(join(root, '.grader/backups'))).toHaveLength(1);
  });

  it('solution: refuses (exit 1) before the exercise passes; --force shows it with a diff', async () => {
    const root = courseCopy();
    const refused = await grader(root, 'solution', 'pool');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^grader: pool has not passed yet \(it has not been graded yet\).*--force to see it anyway\.\n$/);

    const forced = await grader(root, 'solution', 'pool', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(SOLUTION.trimEnd());
    expect(forced.stdout).toContain('--- exercises/01-pool/pool.ts\tyours');
    expect(forced.stdout).toContain("-  throw new Error('Not implemented yet: createLimiter');");
    expect(forced.stdout).not.toContain('\x1b');
  });

  it('a corrupted progress.json: one line on stderr, a backup, and the command still works', async () => {
    const root = courseCopy();
    writeFileSync(join(root, 'progress.json'), '{ this is not json');
    const run = await grader(root, 'list');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^grader: progress\.json was not as the grader left it \(it is not valid JSON\): saved a copy as \.grader\/backups\/progress-\S+\.json and started afresh\n$/);
    expect(run.stdout).toContain('not started');
    expect((await grader(root, 'list')).stderr).toBe('');
  });

  it('start off a terminal prints the list and the next step, and exits 0', async () => {
    const root = courseCopy();
    const run = await grader(root, 'start');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pool  not started');
    expect(run.stdout).toContain('Start with the orientation');
    expect(run.stdout).not.toContain('\x1b');
  });

  it('grading records progress (not for --workspace) and list shows it; then the solution opens', async () => {
    const root = courseCopy();
    const failing = await grader(root, 'grade', 'pool', '--json');
    expect(failing.code, failing.stdout.slice(0, 600)).toBe(1);
    expect(JSON.parse(failing.stdout).exercises[0].message).toBeUndefined();
    expect(JSON.parse(failing.stdout)).toMatchObject({ version: 1, status: 'fail', points: 0 });
    expect((await grader(root, 'list')).stdout).toContain(`● 01  pool  in progress  0/${pool.points}`);

    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(elsewhere, '01-pool'), { recursive: true });
    writeFileSync(join(elsewhere, '01-pool/pool.ts'), SOLUTION);
    expect((await grader(root, 'grade', 'pool', '--workspace', 'elsewhere')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'progress.json'), 'utf8')).exercises.pool).toMatchObject({ passed: false, bestPoints: 0 });

    writeFileSync(learnerFile(root), SOLUTION);
    const passing = await grader(root, 'grade', 'pool');
    expect(passing.code).toBe(0);
    const list = await grader(root, 'list');
    expect(list.stdout).toContain(`✓ 01  pool  ${'done'.padEnd(11)}  ${pool.points}/${pool.points}`);
    expect(list.stdout).toContain('You have finished the course');
    const progress = JSON.parse(readFileSync(join(root, 'progress.json'), 'utf8'));
    expect(progress.exercises.pool).toMatchObject({ passed: true, bestPoints: pool.points, maxPoints: pool.points, lastStatus: 'pass' });

    const solution = await grader(root, 'solution', 'pool');
    expect(solution.code).toBe(0);
    expect(solution.stdout).toContain('They are identical.');
  });
});
