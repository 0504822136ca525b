/**
 * The learner's commands as a learner runs them, off a terminal (stdin
 * closed, stdout a pipe), each in its own temporary copy of the fixture course
 * (delay and once) made a git repository: the fixture course itself is never
 * touched.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inCourse, type Exercise } from '../course/manifest.ts';
import { FIXTURE_COURSE, fixtureCourse } from './support/course.ts';
import { commitCourse, gitIn, learnerCourseCopy, learnerEnv, removeCourseCopies, runIn } from './support/learner-course.ts';

afterAll(() => {
  removeCourseCopies();
});

const course = fixtureCourse();
const [delay, once] = course.exercises as [Exercise, Exercise];
const read = (exercise: Exercise, path: string) => readFileSync(inCourse(exercise, path), 'utf8');
// The fixture course's exercises/ hold the stubs as the course ships them.
const STUB = read(delay, delay.stub);
const SOLUTION = read(delay, delay.solution);

/** The fixture course, committed to git as the course ships it. */
function courseCopy(): string {
  const root = learnerCourseCopy();
  commitCourse(root);
  return root;
}

/** The grader of the course at `root`, run there by a learner. */
const grader = (root: string, ...args: string[]) => runIn(root, args, { env: learnerEnv(root) });

const learnerFile = (root: string, exercise: Exercise = delay) => join(root, exercise.stub);
const MY_WORK = STUB.replace("throw new Error('Not implemented yet: delay');", 'return undefined as never; // my attempt');

describe.concurrent('learner commands off a terminal', () => {
  it('the stubs are as the course ships them', () => {
    expect(STUB).toContain("throw new Error('Not implemented yet: delay');");
    expect(MY_WORK).not.toBe(STUB);
  });

  it('list: every exercise, its status and points, then the next step', async () => {
    const root = courseCopy();
    const { code, stdout, stderr } = await grader(root, 'list');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`  ○ 01  delay  not started  –/${delay.points}  ${delay.title}\n`);
    expect(stdout).toContain(`  ○ 02  once   not started  –/${once.points}  ${once.title}\n`);
    expect(stdout).toMatch(/Start with the orientation \(npm run grader -- lesson\), then the delay lesson/);
    expect(stdout).not.toContain('\x1b');
    writeFileSync(learnerFile(root), MY_WORK);
    const edited = (await grader(root, 'list')).stdout;
    expect(edited).toContain('● 01  delay  in progress');
    expect(edited).toContain('○ 02  once   not started');
  });

  it('hint: one more each time, then says so and repeats the last; --all; unknown id → exit 2', async () => {
    const root = courseCopy();
    const count = delay.hints.length;
    expect(count).toBeGreaterThan(1);
    const outputs: string[] = [];
    for (let call = 0; call < count + 2; call++) {
      const run = await grader(root, 'hint', 'delay');
      expect(run.code).toBe(0);
      outputs.push(run.stdout);
    }
    expect(outputs[0]).toContain(`Hint 1 of ${count} for delay:`);
    expect(outputs[0]).toContain(delay.hints[0]!.slice(0, 40));
    expect(outputs[0]).toContain('Run the same command again for hint 2');
    expect(outputs[1]).toContain(`Hint 2 of ${count} for delay:`);
    expect(outputs[count - 1]).toContain(`Hint ${count} of ${count} for delay:`);
    expect(outputs[count - 1]).toContain('That was the last hint. The lesson explains it in full: npm run grader -- lesson delay');
    for (const repeated of outputs.slice(count)) {
      expect(repeated).toContain(`You have seen all ${count} hints for delay; here is the last one again.`);
      expect(repeated).toContain(`Hint ${count} of ${count} for delay:`);
    }

    const all = await grader(root, 'hint', 'once', '--all');
    expect(all.code).toBe(0);
    for (let n = 1; n <= once.hints.length; n++) expect(all.stdout).toContain(`Hint ${n} of ${once.hints.length} for once:`);

    const unknown = await grader(root, 'hint', 'dela');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("grader: unknown exercise 'dela'. Did you mean 'delay'?\n");
  });

  it('lesson: the plain Markdown in a pipe; no id is the orientation', async () => {
    const root = courseCopy();
    const lesson = await grader(root, 'lesson', 'once');
    expect(lesson.code).toBe(0);
    expect(lesson.stdout).toBe(read(once, once.lesson));
    const orientation = await grader(root, 'lesson');
    expect(orientation.stdout).toBe(readFileSync(join(FIXTURE_COURSE, course.orientation), 'utf8'));
  });

  it('reset: without --yes off a terminal, exit 2 and nothing changed; with --yes, a backup then the stub', async () => {
    const root = courseCopy();
    writeFileSync(learnerFile(root), MY_WORK);
    // Committing their work must not make it "the original".
    gitIn(root, 'commit', '-q', '-am', 'my work');

    const refused = await grader(root, 'reset', 'delay');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^grader: reset replaces your exercises\/01-delay\/delay\.ts with the original stub; add --yes to confirm/);
    expect(readFileSync(learnerFile(root), 'utf8')).toBe(MY_WORK);
    expect(existsSync(join(root, '.grader'))).toBe(false);

    const done = await grader(root, 'reset', 'delay', '--yes');
    expect(done.code).toBe(0);
    const backup = /Backed up your file to (\.grader\/backups\/delay-\d{8}T\d+Z\.ts)/.exec(done.stdout)?.[1];
    expect(backup, done.stdout).toBeDefined();
    expect(readFileSync(join(root, backup!), 'utf8')).toBe(MY_WORK);
    expect(readFileSync(learnerFile(root), 'utf8')).toBe(STUB);
    expect(done.stdout).toContain('Restored exercises/01-delay/delay.ts to the original stub');

    const again = await grader(root, 'reset', 'delay', '--yes');
    expect(again.stdout).toBe('exercises/01-delay/delay.ts is already the original stub; nothing to do.\n');
    expect(readdirSync(join(root, '.grader/backups'))).toHaveLength(1);
  });

  it('solution: refuses (exit 1) before the exercise passes; --force shows it with a diff', async () => {
    const root = courseCopy();
    const refused = await grader(root, 'solution', 'delay');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^grader: delay has not passed yet \(it has not been graded yet\).*--force to see it anyway\.\n$/);

    const forced = await grader(root, 'solution', 'delay', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(SOLUTION.trimEnd());
    expect(forced.stdout).toContain('--- exercises/01-delay/delay.ts\tyours');
    expect(forced.stdout).toContain("-  throw new Error('Not implemented yet: delay');");
    expect(forced.stdout).not.toContain('\x1b');
  });

  it('a corrupted progress.json: one line on stderr, a backup, and the command still works', async () => {
    const root = courseCopy();
    writeFileSync(join(root, 'progress.json'), '{ this is not json');
    const run = await grader(root, 'list');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^grader: progress\.json was not as the grader left it \(it is not valid JSON\): saved a copy as \.grader\/backups\/progress-\S+\.json and started afresh\n$/);
    expect(run.stdout).toContain('not started');
    expect(readdirSync(join(root, '.grader/backups')).filter((name) => name.startsWith('progress-'))).toHaveLength(1);
    expect((await grader(root, 'list')).stderr).toBe('');
  });

  it('start off a terminal prints the list and the next step, and exits 0', async () => {
    const root = courseCopy();
    const run = await grader(root, 'start');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('delay  not started');
    expect(run.stdout).toContain('once   not started');
    expect(run.stdout).toContain('Start with the orientation');
    expect(run.stdout).not.toContain('\x1b');
  });

  it('grading records progress (not for --workspace) and list shows it; then the solution opens', async () => {
    const root = courseCopy();
    const failing = await grader(root, 'grade', 'delay', '--json');
    expect(failing.code, failing.stdout.slice(0, 600)).toBe(1);
    expect(JSON.parse(failing.stdout).exercises[0].message).toBeUndefined();
    expect(JSON.parse(failing.stdout)).toMatchObject({ version: 1, status: 'fail', points: 0, maxPoints: delay.points });
    expect((await grader(root, 'list')).stdout).toContain(`● 01  delay  in progress  0/${delay.points}`);

    const elsewhere = join(root, 'elsewhere');
    mkdirSync(join(elsewhere, '01-delay'), { recursive: true });
    writeFileSync(join(elsewhere, '01-delay/delay.ts'), SOLUTION);
    expect((await grader(root, 'grade', 'delay', '--workspace', 'elsewhere')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'progress.json'), 'utf8')).exercises.delay).toMatchObject({ passed: false, bestPoints: 0 });

    writeFileSync(learnerFile(root), SOLUTION);
    const passing = await grader(root, 'grade', 'delay');
    expect(passing.code).toBe(0);
    const halfway = await grader(root, 'list');
    expect(halfway.stdout).toContain(`✓ 01  delay  ${'done'.padEnd(11)}  ${delay.points}/${delay.points}`);
    expect(halfway.stdout).toContain('○ 02  once   not started');
    expect(halfway.stdout).toContain('Next: once.');
    const progress = JSON.parse(readFileSync(join(root, 'progress.json'), 'utf8'));
    expect(progress.exercises.delay).toMatchObject({ passed: true, bestPoints: delay.points, maxPoints: delay.points, lastStatus: 'pass' });

    const solution = await grader(root, 'solution', 'delay');
    expect(solution.code).toBe(0);
    expect(solution.stdout).toContain('They are identical.');

    // Every exercise passing (grade with no id grades them all): the course is finished.
    writeFileSync(learnerFile(root, once), read(once, once.solution));
    const all = await grader(root, 'grade');
    expect(all.code).toBe(0);
    const finished = await grader(root, 'list');
    expect(finished.stdout).toContain(`✓ 02  once   ${'done'.padEnd(11)}  ${once.points}/${once.points}`);
    expect(finished.stdout).toContain('You have finished the course');
  });
});
