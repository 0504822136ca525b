/**
 * The real grader CLI, as a script would run it, on fixture submissions with
 * known outcomes (grader/fixtures/submissions/).
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands.ts';
import type { JsonReport } from '../report/types.ts';
import { NOT_COUNTED, STILL_RUNNING } from '../report/score.ts';
import { fixture as fixtureDir, grader, gradeJson as gradeAllJson } from './support/run-grader.ts';

/** `grade pool --json ...`, as a script would run it. */
async function gradeJson(...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const { code, report, stderr } = await gradeAllJson('pool', ...args);
  return { code, report, stderr };
}

const fixture = (name: string) => ['--workspace', fixtureDir(name)];

describe.concurrent('grade --json on fixture submissions', () => {
  it('the stub scores 0, every behaviour "not implemented yet"', async () => {
    // --workspace exercises: the same files, without recording progress in the repository's progress.json.
    const { code, report } = await gradeJson('--workspace', 'exercises');
    expect(code).toBe(1);
    expect(report).toMatchObject({ version: 1, status: 'fail', points: 0 });
    const [pool] = report.exercises;
    expect(pool!.tests.length).toBeGreaterThan(10);
    for (const test of pool!.tests) {
      expect(test.status).toBe('fail');
      expect(test.message).toMatch(/^not implemented yet: exercises\/01-pool\/pool\.ts:\d+:\d+ still throws/);
    }
  });

  it('the reference solution scores 100% and exits 0', async () => {
    const { code, report } = await gradeJson('--workspace', 'solutions');
    expect(code).toBe(0);
    expect(report.status).toBe('pass');
    expect(report.points).toBe(report.maxPoints);
    expect(report.exercises[0]!.tests.every((test) => test.status === 'pass' && test.message === undefined)).toBe(true);
  });

  it('gives the same report, in suite order, when the behaviours run shuffled', async () => {
    const plain = await gradeJson(...fixture('partial'));
    for (const seed of ['1', '42']) {
      const shuffled = await gradeJson(...fixture('partial'), '--shuffle', seed);
      expect(shuffled).toEqual(plain);
    }
  });

  it('half an implementation earns partial points', async () => {
    const { code, report } = await gradeJson(...fixture('partial'));
    expect(code).toBe(1);
    const [pool] = report.exercises;
    expect(pool!.status).toBe('fail');
    expect(pool!.points).toBeGreaterThan(0);
    expect(pool!.points).toBeLessThan(pool!.maxPoints);
    expect(pool!.tests.filter((t) => t.task === 'createLimiter').every((t) => t.status === 'pass')).toBe(true);
    expect(pool!.tests.filter((t) => t.task === 'mapLimit').every((t) => t.status === 'fail')).toBe(true);
  });

  it.each([
    ['syntax-error', /01-pool\/pool\.ts:2:18: syntax error: Unexpected token\n {4}2 \| {3}const queue = \[;\n/],
    ['throws-at-import', /pool\.ts threw SyntaxError: .*JSON.* while loading \(at .*pool\.ts:1:\d+\)/],
    ['missing-export', /there is no export named `mapLimit` \(expected a function; check the spelling\)/],
    ['default-export', /`createLimiter` is inside the default export; export it by name/],
    ['empty', /empty\/01-pool\/pool\.ts does not exist/],
  ])('%s is an error with a message for the learner', async (name, message) => {
    const { code, report } = await gradeJson(...fixture(name));
    expect(code).toBe(1);
    expect(report.status).toBe('error');
    expect(report.exercises[0]).toMatchObject({ status: 'error', points: 0 });
    expect(report.exercises[0]!.message).toMatch(message);
  });

  it.each([
    ['hang-in-call', 'did not finish in 2 s: is there an infinite loop?', 1],
    ['hang-at-import', 'did not finish in 2 s while the file loaded: is there an infinite loop?', 0],
  ])('%s is stopped by the watchdog and reported, naming where', async (name, message, stillRunning) => {
    const started = Date.now();
    const { code, report } = await gradeJson(...fixture(name), '--timeout', '2');
    expect(code).toBe(1);
    const [exercise] = report.exercises;
    expect(exercise).toMatchObject({ status: 'error', points: 0, message });
    // Whatever had been reported when it was stopped, every behaviour reads the same on every run.
    const messages = exercise!.tests.map((test) => test.message);
    expect(messages.filter((text) => text === STILL_RUNNING)).toHaveLength(stillRunning);
    expect(messages.filter((text) => text !== STILL_RUNNING).every((text) => text === NOT_COUNTED)).toBe(true);
    expect(exercise!.tests.every((test) => test.status === 'error' && test.points === 0)).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe.concurrent('usage errors exit 2 with one line on stderr', () => {
  it.each([
    [['grade', 'pol'], "grader: unknown exercise 'pol'. Did you mean 'pool'?\n"],
    [['grade', '--frob'], 'grader: grade: unknown option --frob\n'],
    [['grade', '--workspace', 'no/such/dir'], "grader: workspace folder 'no/such/dir' does not exist\n"],
    [['grade', '--workspace', 'package.json'], "grader: workspace folder 'package.json' is not a folder\n"],
    [['grade', '--timeout', 'soon'], "grader: --timeout needs a positive number of seconds, got 'soon'\n"],
    [['grade', '--shuffle', '1.5'], "grader: --shuffle needs a whole number, got '1.5'\n"],
    [['regrade'], `grader: unknown command 'regrade' (commands: ${COMMANDS.map((command) => command.name).join(', ')})\n`],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await grader(...args);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('the human report in a pipe', () => {
  it('has no escape codes, and ends with the next step', async () => {
    const run = await grader('grade', 'pool', '--workspace', 'exercises');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stdout).toMatch(/✗ .* 0\/\d+ {2}— not implemented yet\n/);
    expect(run.stdout).toMatch(/Next step: Start pool: read lessons\/01-pool\.md/);
  });

  it('prints help for every command', async () => {
    for (const { name: command } of COMMANDS) {
      const run = await grader(command, '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: npm run grader -- ${command}`));
    }
  });
});
