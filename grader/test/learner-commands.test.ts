/** The learner's commands without a process: argv, the interactivity check, menus, messages. */
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../cli/argv.ts';
import { COMMANDS, type Io } from '../cli/commands.ts';
import { exerciseMenu, homeMenu, CONTINUE, ORIENTATION, QUIT } from '../cli/commands/start.ts';
import { wrap } from '../cli/commands/hint.ts';
import { lessonPath } from '../cli/commands/lesson.ts';
import { refusal, solutionDiff } from '../cli/commands/solution.ts';
import { UsageError } from '../cli/errors.ts';
import { requireExercise } from '../cli/exercise-arg.ts';
import { isInteractive } from '../cli/interactive.ts';
import { exerciseNumber, nextStepText, pointsText, type ExerciseRow } from '../cli/overview.ts';
import { ask } from '../cli/prompt.ts';
import { createStyle } from '../cli/style.ts';
import type { Course, Exercise } from '../course/manifest.ts';
import { emptyProgress, recordGrade } from '../progress/store.ts';
import { fakeExercise } from './support/fake-exercise.ts';

const parse = (...argv: string[]) => parseArgv(argv, COMMANDS);

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

function exercise(id: string, n: number): Exercise {
  return fakeExercise(id, n, { title: `${id} title`, points: 35, hints: ['one', 'two', 'three'] });
}
const pool = exercise('pool', 1);
const retry = exercise('retry', 2);
const course: Course = { title: 'T', orientation: 'lessons/00-orientation.md', exercises: [pool, retry] };
const plain = createStyle({ isTTY: false }, {});

describe('argv of the learner commands', () => {
  it('reads each command, its id and its flags', () => {
    expect(parse('start', '--no-interactive')).toMatchObject({ command: { name: 'start' }, positionals: [], options: { 'no-interactive': true } });
    expect(parse('list')).toMatchObject({ command: { name: 'list' }, positionals: [], options: {} });
    expect(parse('lesson')).toMatchObject({ command: { name: 'lesson' }, positionals: [] });
    expect(parse('lesson', 'pool', '--no-pager')).toMatchObject({ positionals: ['pool'], options: { 'no-pager': true } });
    expect(parse('hint', 'pool', '--all')).toMatchObject({ command: { name: 'hint' }, positionals: ['pool'], options: { all: true } });
    expect(parse('reset', 'pool', '--yes')).toMatchObject({ command: { name: 'reset' }, positionals: ['pool'], options: { yes: true } });
    expect(parse('reset', '-y', 'pool')).toMatchObject({ positionals: ['pool'], options: { yes: true } });
    expect(parse('solution', 'pool', '--force')).toMatchObject({ command: { name: 'solution' }, positionals: ['pool'], options: { force: true } });
  });

  it('refuses extra ids and unknown flags with a one-line message', () => {
    expect(usageMessage(() => parse('list', 'pool'))).toBe("list: unexpected argument 'pool'");
    expect(usageMessage(() => parse('start', 'pool'))).toBe("start: unexpected argument 'pool'");
    expect(usageMessage(() => parse('reset', 'pool', 'retry'))).toBe("reset: unexpected argument 'retry'");
    expect(usageMessage(() => parse('hint', '--next'))).toBe('hint: unknown option --next');
    expect(usageMessage(() => parse('solution', 'pool', '--yes'))).toBe('solution: unknown option --yes');
  });

  it('every learner command has --help', () => {
    for (const name of ['start', 'list', 'lesson', 'hint', 'reset', 'solution']) {
      expect(parse(name, '--help')).toMatchObject({ command: { name }, help: true });
    }
  });

  it('a command that needs an exercise says so, with an example; an unknown one gets "did you mean"', () => {
    expect(usageMessage(() => requireExercise(course, [], 'reset'))).toBe("reset needs an exercise id, e.g. 'npm run grader -- reset pool' (exercises: pool, retry)");
    expect(usageMessage(() => requireExercise(course, ['pol'], 'reset'))).toBe("unknown exercise 'pol'. Did you mean 'pool'?");
    expect(requireExercise(course, ['retry'], 'reset')).toBe(retry);
  });

  it('lesson: no id or "orientation" is the orientation', () => {
    expect(lessonPath(course, [])).toBe('lessons/00-orientation.md');
    expect(lessonPath(course, ['orientation'])).toBe('lessons/00-orientation.md');
    expect(lessonPath(course, ['retry'])).toBe('lessons/02-retry.md');
    expect(usageMessage(() => lessonPath(course, ['retyr']))).toMatch(/Did you mean 'retry'/);
  });
});

describe('isInteractive', () => {
  const tty = { isTTY: true } as NodeJS.ReadStream;
  const ttyOut = { isTTY: true, write: () => true } as unknown as Io['stdout'];
  const pipeOut = { isTTY: false, write: () => true } as unknown as Io['stdout'];
  const io = (overrides: Partial<Io> = {}): Io => ({ stdin: tty, stdout: pipeOut, stderr: pipeOut, env: {}, cwd: '/', ...overrides });

  it('only with stdin and stdout at a terminal, outside CI, not on TERM=dumb, not turned off', () => {
    expect(isInteractive(io({ stdout: ttyOut }))).toBe(true);
    expect(isInteractive(io({ stdout: pipeOut }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut, stdin: undefined }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut, stdin: { isTTY: false } as NodeJS.ReadStream }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut, env: { CI: 'true' } }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut, env: { CI: '1' } }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut, env: { CI: '' } }))).toBe(true);
    expect(isInteractive(io({ stdout: ttyOut, env: { CI: 'false' } }))).toBe(true);
    expect(isInteractive(io({ stdout: ttyOut, env: { TERM: 'dumb' } }))).toBe(false);
    expect(isInteractive(io({ stdout: ttyOut }), { noInteractive: true })).toBe(false);
  });
});

describe('the overview and the start menus', () => {
  const row = (e: Exercise, status: ExerciseRow['status'], points = '–/35'): ExerciseRow => ({ exercise: e, number: exerciseNumber(e), status, points });

  it('points are best/max, – before any grading', () => {
    expect(pointsText(pool, emptyProgress())).toBe('–/35');
    const progress = recordGrade(emptyProgress(), { id: 'pool', status: 'fail', points: 20, maxPoints: 35 }, new Date());
    expect(pointsText(pool, progress)).toBe('20/35');
  });

  it('the next step: start, carry on, next, or finished', () => {
    let progress = emptyProgress();
    expect(nextStepText(course, progress, [row(pool, 'not started'), row(retry, 'not started')])).toMatch(/^Start with the orientation \(npm run grader -- lesson\), then the pool lesson/);
    progress = recordGrade(progress, { id: 'pool', status: 'fail', points: 20, maxPoints: 35 }, new Date());
    expect(nextStepText(course, progress, [row(pool, 'in progress', '20/35'), row(retry, 'not started')])).toBe(
      'Carry on with pool (20/35 points so far): edit exercises/01-pool/pool.ts and run npm run grade -- pool. Stuck? npm run grader -- hint pool.',
    );
    progress = recordGrade(progress, { id: 'pool', status: 'pass', points: 35, maxPoints: 35 }, new Date());
    expect(nextStepText(course, progress, [row(pool, 'done', '35/35'), row(retry, 'not started')])).toMatch(/^Next: retry\. Read the lesson \(npm run grader -- lesson retry\)/);
    progress = recordGrade(progress, { id: 'retry', status: 'pass', points: 35, maxPoints: 35 }, new Date());
    expect(nextStepText(course, progress, [row(pool, 'done'), row(retry, 'done')])).toMatch(/^You have finished the course/);
  });

  it('home: "continue" with the first unfinished exercise comes first and is preselected', () => {
    const progress = recordGrade(emptyProgress(), { id: 'pool', status: 'pass', points: 35, maxPoints: 35 }, new Date());
    const menu = homeMenu(course, progress, [row(pool, 'done', '35/35'), row(retry, 'not started')], plain);
    expect(menu.initial).toBe(0);
    expect(menu.choices.map((c) => c.value)).toEqual([CONTINUE, 'pool', 'retry', ORIENTATION, QUIT]);
    expect(menu.choices[0]).toMatchObject({ name: 'Continue with retry', hint: '(not started, –/35)' });
    expect(menu.choices[1]!.message).toBe('✓ 01 pool   done         35/35');
  });

  it('home when everything passes: no "continue"', () => {
    let progress = recordGrade(emptyProgress(), { id: 'pool', status: 'pass', points: 35, maxPoints: 35 }, new Date());
    progress = recordGrade(progress, { id: 'retry', status: 'pass', points: 35, maxPoints: 35 }, new Date());
    const menu = homeMenu(course, progress, [row(pool, 'done'), row(retry, 'done')], plain);
    expect(menu.choices.map((c) => c.value)).toEqual(['pool', 'retry', ORIENTATION, QUIT]);
  });

  it('an exercise’s menu: every action, the lesson first for a new exercise, grading for one in progress', () => {
    const fresh = exerciseMenu(pool, row(pool, 'not started'), emptyProgress(), true, plain);
    expect(fresh.choices.map((c) => c.value)).toEqual(['lesson', 'hint', 'grade', 'watch', 'reset', 'solution', 'back', 'quit']);
    expect(fresh.initial).toBe(0);
    expect(exerciseMenu(pool, row(pool, 'in progress'), emptyProgress(), true, plain).initial).toBe(2);
    expect(exerciseMenu(pool, row(pool, 'not started'), emptyProgress(), true, plain, 'lesson').initial).toBe(2);
    expect(exerciseMenu(pool, row(pool, 'in progress'), emptyProgress(), false, plain).choices[3]!.disabled).toBeTruthy();
  });
});

describe('messages', () => {
  it('a rendered lesson keeps no Markdown markup, in list items too (marked-terminal#304)', async () => {
    const { renderMarkdown } = await import('../cli/markdown.ts');
    const text = renderMarkdown('# Title\n\nSome **bold** text.\n\n- a **strong** item with `code`\n\n```ts\nconst x = 1;\n```\n');
    expect(text).toContain('Title');
    expect(text).toContain('strong');
    expect(text).toContain('const x = 1;');
    expect(text).not.toContain('**');
    expect(text).not.toContain('`');
  });

  it('hints are wrapped and indented', () => {
    expect(wrap('aaa bbb ccc ddd', 11)).toBe('  aaa bbb\n  ccc ddd');
  });

  it('solution refuses until the exercise has passed, and says how far the learner is', () => {
    expect(refusal(pool, emptyProgress())).toBe('pool has not passed yet (it has not been graded yet), and the solution is more useful once it has');
    const failing = recordGrade(emptyProgress(), { id: 'pool', status: 'fail', points: 20, maxPoints: 35 }, new Date());
    expect(refusal(pool, failing)).toMatch(/^pool has not passed yet \(your best so far: 20\/35\)/);
    expect(refusal(pool, recordGrade(failing, { id: 'pool', status: 'pass', points: 35, maxPoints: 35 }, new Date()))).toBeUndefined();
  });

  it('the diff goes from the learner’s file to the reference', () => {
    const diff = solutionDiff(pool, 'a\nb\n', 'a\nc\n');
    expect(diff).toContain('--- exercises/01-pool/pool.ts\tyours');
    expect(diff).toContain('+++ solutions/01-pool/pool.ts\treference');
    expect(diff).toMatch(/^-b$/m);
    expect(diff).toMatch(/^\+c$/m);
    expect(solutionDiff(pool, 'same', 'same')).toBe('');
  });

  it('Ctrl+C at a prompt (enquirer rejects with "") is an answer: cancelled', async () => {
    expect(await ask({ run: () => Promise.reject('') })).toBeUndefined();
    expect(await ask({ run: () => Promise.resolve('pool') })).toBe('pool');
    await expect(ask({ run: () => Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
  });
});
