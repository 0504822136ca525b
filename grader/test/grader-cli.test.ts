/**
 * The real grader CLI, as a script would run it, on the fixture course (delay and once) and on submissions
 * with known outcomes, written for this file into a temporary folder of workspaces.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands.ts';
import type { Exercise } from '../course/manifest.ts';
import type { JsonReport } from '../report/types.ts';
import { NOT_COUNTED, STILL_RUNNING } from '../report/score.ts';
import { FIXTURE_COURSE, fixtureCourse } from './support/course.ts';
import { runIn, type LearnerRun } from './support/learner-course.ts';

const course = fixtureCourse();
const [delay, once] = course.exercises as [Exercise, Exercise];

/**
 * Workspaces laid out like exercises/, one per submission. `partial` does half of each exercise: delay
 * resolves but never checks ms, once shares the first call's outcome but lets a synchronous throw escape.
 */
const SUBMISSIONS: Record<string, Record<string, string>> = {
  partial: {
    '01-delay/delay.ts': `export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value));
}
`,
    '02-once/once.ts': `export function once<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>): (...args: A) => Promise<Awaited<R>> {
  let result: Promise<Awaited<R>> | undefined;
  return (...args: A) => (result ??= Promise.resolve(fn(...args)) as Promise<Awaited<R>>);
}
`,
  },
  'syntax-error': {
    '01-delay/delay.ts': `export function delay(ms: number, value: unknown) {
  const timer = [;
  return timer;
}
`,
  },
  'throws-at-import': {
    '01-delay/delay.ts': `const settings = JSON.parse('{ broken json');

export function delay(): unknown {
  return settings;
}
`,
  },
  'missing-export': {
    '01-delay/delay.ts': `// \`delay\` is misspelt.
export function dealy<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, ms, value));
}
`,
  },
  'default-export': {
    '01-delay/delay.ts': `function delay(ms: number, value: unknown): Promise<unknown> {
  return new Promise((resolve) => setTimeout(resolve, ms, value));
}

export default { delay };
`,
  },
  empty: { 'README.md': 'Nothing here yet.\n' },
  'hang-in-call': {
    '01-delay/delay.ts': `// A synchronous infinite loop inside a call: only the grader's watchdog can stop it.
export function delay(ms: number): never {
  let spins = 0;
  while (ms >= 0) spins++;
  throw new Error(\`unreachable \${spins}\`);
}
`,
  },
  'hang-at-import': {
    '01-delay/delay.ts': `// A synchronous infinite loop while the module loads.
let ready = false;
while (!ready) ready = Math.random() > 2;

export function delay(): never {
  throw new Error('Not implemented yet: delay');
}
`,
  },
};

let submissions: string;
beforeAll(() => {
  submissions = mkdtempSync(join(tmpdir(), 'grader-cli-submissions-'));
  for (const [name, files] of Object.entries(SUBMISSIONS)) {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(submissions, name, path, '..'), { recursive: true });
      writeFileSync(join(submissions, name, path), text);
    }
  }
});
afterAll(() => {
  rmSync(submissions, { recursive: true, force: true });
});

/** The grader run from the fixture course's root, as its learner types the command there. */
const inCourse = (...args: string[]): Promise<LearnerRun> => runIn(FIXTURE_COURSE, args);

/** `grade --json ...` from the folder of submissions (`--workspace partial`...): stdout must be one JSON document. */
async function gradeJson(from: string, ...args: string[]): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const run = await runIn(from, ['grade', '--json', ...args]);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`grade ${args.join(' ')} printed no JSON report (exit ${run.code}):\n${run.stdout.slice(0, 600)}\n${run.stderr.slice(0, 600)}`);
  }
  return { code: run.code, report, stderr: run.stderr };
}
const gradeSubmission = (name: string, ...args: string[]) => gradeJson(submissions, '--workspace', name, ...args);

/** One grading of `partial`, shared by the tests that read it. */
let partialGrading: ReturnType<typeof gradeSubmission> | undefined;
const partial = () => (partialGrading ??= gradeSubmission('partial'));

describe.concurrent('grade --json on fixture submissions', () => {
  it('the stub scores 0, every behaviour "not implemented yet"', async () => {
    // --workspace exercises: the same files, without recording progress in the course's progress.json.
    const { code, report } = await gradeJson(FIXTURE_COURSE, '--workspace', 'exercises');
    expect(code).toBe(1);
    expect(report).toMatchObject({ version: 1, status: 'fail', points: 0, maxPoints: delay.points + once.points });
    expect(report.exercises.map((exercise) => exercise.id)).toEqual(['delay', 'once']);
    for (const exercise of report.exercises) {
      expect(exercise.tests).toHaveLength(3);
      for (const test of exercise.tests) {
        expect(test.status).toBe('fail');
        expect(test.message).toMatch(new RegExp(`^not implemented yet: exercises/0\\d-${exercise.id}/${exercise.id}\\.ts:\\d+:\\d+ still throws`));
      }
    }
  });

  it('the reference solution scores 100% and exits 0', async () => {
    const { code, report } = await gradeJson(FIXTURE_COURSE, '--workspace', 'solutions');
    expect(code).toBe(0);
    expect(report.status).toBe('pass');
    expect(report.points).toBe(report.maxPoints);
    expect(report.maxPoints).toBe(delay.points + once.points);
    for (const exercise of report.exercises) {
      expect(exercise.tests.every((test) => test.status === 'pass' && test.message === undefined), exercise.id).toBe(true);
    }
  });

  it('gives the same report, in suite order, when the behaviours run shuffled', async () => {
    const plain = await partial();
    for (const seed of ['1', '42']) {
      const shuffled = await gradeSubmission('partial', '--shuffle', seed);
      expect(shuffled).toEqual(plain);
    }
  });

  it('half an implementation earns partial points', async () => {
    const { code, report } = await partial();
    expect(code).toBe(1);
    expect(report.status).toBe('fail');
    for (const exercise of report.exercises) {
      expect(exercise.status, exercise.id).toBe('fail');
      expect(exercise.points, exercise.id).toBeGreaterThan(0);
      expect(exercise.points, exercise.id).toBeLessThan(exercise.maxPoints);
    }
    const [delayReport, onceReport] = report.exercises;
    const failing = (tests: JsonReport['exercises'][number]['tests']) => tests.filter((test) => test.status === 'fail').map((test) => test.name);
    expect(failing(delayReport!.tests)).toEqual(['throws a TypeError at once for an ms that is negative, not finite or not a number']);
    expect(failing(onceReport!.tests)).toEqual(['a synchronous throw of fn becomes a rejection, never a throw']);
    expect(delayReport!.tests.filter((test) => test.status === 'pass')).toHaveLength(2);
  });

  it.each([
    ['syntax-error', /01-delay\/delay\.ts:2:18: syntax error: Unexpected token\n {4}2 \| {3}const timer = \[;\n/],
    ['throws-at-import', /delay\.ts threw SyntaxError: .*JSON.* while loading \(at .*delay\.ts:1:\d+\)/],
    ['missing-export', /there is no export named `delay` \(expected a function; check the spelling\)/],
    ['default-export', /`delay` is inside the default export; export it by name/],
    ['empty', /empty\/01-delay\/delay\.ts does not exist/],
  ])('%s is an error with a message for the learner', async (name, message) => {
    const { code, report } = await gradeSubmission(name, 'delay');
    expect(code).toBe(1);
    expect(report.status).toBe('error');
    expect(report.exercises).toHaveLength(1);
    expect(report.exercises[0]).toMatchObject({ id: 'delay', status: 'error', points: 0 });
    expect(report.exercises[0]!.message).toMatch(message);
  });

  it.each([
    // Stopped in a behaviour: every behaviour is listed. Stopped while the file loaded: none had been collected.
    ['hang-in-call', 'did not finish in 3 s: is there an infinite loop?', 1, 3],
    ['hang-at-import', 'did not finish in 3 s while the file loaded: is there an infinite loop?', 0, 0],
  ])('%s is stopped by the watchdog and reported, naming where', async (name, message, stillRunning, listed) => {
    // A grader the watchdog failed to stop would be killed by runIn's timeout, and print no report.
    const { code, report } = await gradeSubmission(name, 'delay', '--timeout', '3');
    expect(code).toBe(1);
    const [exercise] = report.exercises;
    expect(exercise).toMatchObject({ id: 'delay', status: 'error', points: 0, message });
    // Whatever had been reported when it was stopped, every behaviour reads the same on every run.
    const messages = exercise!.tests.map((test) => test.message);
    expect(messages).toHaveLength(listed);
    expect(messages.filter((text) => text === STILL_RUNNING)).toHaveLength(stillRunning);
    expect(messages.filter((text) => text !== STILL_RUNNING).every((text) => text === NOT_COUNTED)).toBe(true);
    expect(exercise!.tests.every((test) => test.status === 'error' && test.points === 0)).toBe(true);
  });
});

describe.concurrent('usage errors exit 2 with one line on stderr', () => {
  it.each([
    [['grade', 'dela'], "grader: unknown exercise 'dela'. Did you mean 'delay'?\n"],
    [['grade', '--frob'], 'grader: grade: unknown option --frob\n'],
    [['grade', '--workspace', 'no/such/dir'], "grader: workspace folder 'no/such/dir' does not exist\n"],
    [['grade', '--workspace', 'course.json'], "grader: workspace folder 'course.json' is not a folder\n"],
    [['grade', '--timeout', 'soon'], "grader: --timeout needs a positive number of seconds, got 'soon'\n"],
    [['grade', '--shuffle', '1.5'], "grader: --shuffle needs a whole number, got '1.5'\n"],
    [['regrade'], `grader: unknown command 'regrade' (commands: ${COMMANDS.map((command) => command.name).join(', ')})\n`],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await inCourse(...args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('the human report in a pipe', () => {
  it('has no escape codes, and ends with the next step', async () => {
    const run = await inCourse('grade', 'delay', '--workspace', 'exercises');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stdout).toMatch(/✗ .* 0\/\d+ {2}— not implemented yet\n/);
    expect(run.stdout).toMatch(/Next step: Start delay: read lessons\/01-delay\.md/);
  });

  it('prints help for every command', async () => {
    for (const { name: command } of COMMANDS) {
      const run = await inCourse(command, '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: npm run grader -- ${command}`));
    }
  });
});
