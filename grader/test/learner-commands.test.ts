/** The learner's commands without a process: argv, the interactivity check, menus, messages. */
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../cli/argv.ts';
import { COMMANDS, type Io } from '../cli/commands.ts';
import { exerciseMenu, homeMenu, CONTINUE, ORIENTATION, QUIT } from '../cli/commands/start.ts';
import { wrap } from '../cli/commands/hint.ts';
import { lessonPath } from '../cli/commands/lesson.ts';
import { refusal, solutionDiff } from '../cli/commands/solution.ts';
import { UsageError } from '../errors/usage-error.ts';
import { requireExercise } from '../cli/exercise-arg.ts';
import { isInteractive } from '../cli/interactive.ts';
import { exerciseNumber, nextStepText, pointsText, type ExerciseRow } from '../cli/overview.ts';
import { ask } from '../cli/prompt.ts';
import { createStyle } from '../cli/style.ts';
import type { Exercise } from '../course/manifest.ts';
import { emptyProgress, recordGrade } from '../progress/store.ts';
import { FIXTURE_COURSE, fixtureCourse } from './support/course.ts';

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

// The fixture course: delay (01) and once (02), 4 points each.
const course = fixtureCourse();
const [delay, once] = course.exercises as [Exercise, Exercise];
const POINTS = delay.points;
const plain = createStyle({ isTTY: false }, {});

describe('argv of the learner commands', () => {
  it('reads each command, its id and its flags', () => {
    expect(parse('start', '--no-interactive')).toMatchObject({ command: { name: 'start' }, positionals: [], options: { 'no-interactive': true } });
    expect(parse('list')).toMatchObject({ command: { name: 'list' }, positionals: [], options: {} });
    expect(parse('lesson')).toMatchObject({ command: { name: 'lesson' }, positionals: [] });
    expect(parse('lesson', 'delay', '--no-pager')).toMatchObject({ positionals: ['delay'], options: { 'no-pager': true } });
    expect(parse('hint', 'delay', '--all')).toMatchObject({ command: { name: 'hint' }, positionals: ['delay'], options: { all: true } });
    expect(parse('reset', 'delay', '--yes')).toMatchObject({ command: { name: 'reset' }, positionals: ['delay'], options: { yes: true } });
    expect(parse('reset', '-y', 'delay')).toMatchObject({ positionals: ['delay'], options: { yes: true } });
    expect(parse('solution', 'delay', '--force')).toMatchObject({ command: { name: 'solution' }, positionals: ['delay'], options: { force: true } });
  });

  it('refuses extra ids and unknown flags with a one-line message', () => {
    expect(usageMessage(() => parse('list', 'delay'))).toBe("list: unexpected argument 'delay'");
    expect(usageMessage(() => parse('start', 'delay'))).toBe("start: unexpected argument 'delay'");
    expect(usageMessage(() => parse('reset', 'delay', 'once'))).toBe("reset: unexpected argument 'once'");
    expect(usageMessage(() => parse('hint', '--next'))).toBe('hint: unknown option --next');
    expect(usageMessage(() => parse('solution', 'delay', '--yes'))).toBe('solution: unknown option --yes');
  });

  it('every learner command has --help', () => {
    for (const name of ['start', 'list', 'lesson', 'hint', 'reset', 'solution']) {
      expect(parse(name, '--help')).toMatchObject({ command: { name }, help: true });
    }
  });

  it('a command that needs an exercise says so, with an example; an unknown one gets "did you mean"', () => {
    expect(usageMessage(() => requireExercise(course, [], 'reset'))).toBe("reset needs an exercise id, e.g. 'npm run grader -- reset delay' (exercises: delay, once)");
    expect(usageMessage(() => requireExercise(course, ['dela'], 'reset'))).toBe("unknown exercise 'dela'. Did you mean 'delay'?");
    expect(requireExercise(course, ['once'], 'reset')).toBe(once);
  });

  it('lesson: no id or "orientation" is the orientation', () => {
    expect(lessonPath(course, [])).toBe('lessons/00-orientation.md');
    expect(lessonPath(course, ['orientation'])).toBe('lessons/00-orientation.md');
    expect(lessonPath(course, ['once'])).toBe('lessons/02-once.md');
    expect(usageMessage(() => lessonPath(course, ['onec']))).toMatch(/Did you mean 'once'/);
  });
});

describe('isInteractive', () => {
  const tty = { isTTY: true } as NodeJS.ReadStream;
  const ttyOut = { isTTY: true, write: () => true } as unknown as Io['stdout'];
  const pipeOut = { isTTY: false, write: () => true } as unknown as Io['stdout'];
  const io = (overrides: Partial<Io> = {}): Io => ({ stdin: tty, stdout: pipeOut, stderr: pipeOut, env: {}, cwd: '/', root: FIXTURE_COURSE, ...overrides });

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
  const row = (e: Exercise, status: ExerciseRow['status'], points = '–/4'): ExerciseRow => ({ exercise: e, number: exerciseNumber(e), status, points });
  const pass = (id: string) => ({ id, status: 'pass' as const, points: POINTS, maxPoints: POINTS });

  it('the fixture exercises are worth 4 points each', () => {
    expect(course.exercises.map((e) => [e.id, e.points])).toEqual([['delay', 4], ['once', 4]]);
  });

  it('points are best/max, – before any grading', () => {
    expect(pointsText(delay, emptyProgress())).toBe('–/4');
    const progress = recordGrade(emptyProgress(), { id: 'delay', status: 'fail', points: 3, maxPoints: POINTS }, new Date());
    expect(pointsText(delay, progress)).toBe('3/4');
  });

  it('the next step: start, carry on, next, or finished', () => {
    let progress = emptyProgress();
    expect(nextStepText(course, progress, [row(delay, 'not started'), row(once, 'not started')])).toMatch(/^Start with the orientation \(npm run grader -- lesson\), then the delay lesson/);
    progress = recordGrade(progress, { id: 'delay', status: 'fail', points: 3, maxPoints: POINTS }, new Date());
    expect(nextStepText(course, progress, [row(delay, 'in progress', '3/4'), row(once, 'not started')])).toBe(
      'Carry on with delay (3/4 points so far): edit exercises/01-delay/delay.ts and run npm run grade -- delay. Stuck? npm run grader -- hint delay.',
    );
    progress = recordGrade(progress, pass('delay'), new Date());
    expect(nextStepText(course, progress, [row(delay, 'done', '4/4'), row(once, 'not started')])).toMatch(/^Next: once\. Read the lesson \(npm run grader -- lesson once\)/);
    progress = recordGrade(progress, pass('once'), new Date());
    expect(nextStepText(course, progress, [row(delay, 'done'), row(once, 'done')])).toMatch(/^You have finished the course/);
  });

  it('home: "continue" with the first unfinished exercise comes first and is preselected', () => {
    const progress = recordGrade(emptyProgress(), pass('delay'), new Date());
    const menu = homeMenu(course, progress, [row(delay, 'done', '4/4'), row(once, 'not started')], plain);
    expect(menu.initial).toBe(0);
    expect(menu.choices.map((c) => c.value)).toEqual([CONTINUE, 'delay', 'once', ORIENTATION, QUIT]);
    expect(menu.choices[0]).toMatchObject({ name: 'Continue with once', hint: '(not started, –/4)' });
    expect(menu.choices[1]!.message).toBe('✓ 01 delay  done         4/4');
    expect(menu.choices[2]!.message).toBe('○ 02 once   not started  –/4');
  });

  it('home when everything passes: no "continue"', () => {
    let progress = recordGrade(emptyProgress(), pass('delay'), new Date());
    progress = recordGrade(progress, pass('once'), new Date());
    const menu = homeMenu(course, progress, [row(delay, 'done'), row(once, 'done')], plain);
    expect(menu.choices.map((c) => c.value)).toEqual(['delay', 'once', ORIENTATION, QUIT]);
  });

  it('an exercise’s menu: every action, the lesson first for a new exercise, grading for one in progress', () => {
    const fresh = exerciseMenu(delay, row(delay, 'not started'), emptyProgress(), true, plain);
    expect(fresh.choices.map((c) => c.value)).toEqual(['lesson', 'hint', 'grade', 'watch', 'reset', 'solution', 'back', 'quit']);
    expect(fresh.initial).toBe(0);
    expect(fresh.choices[0]!.hint).toBe('(lessons/01-delay.md)');
    expect(fresh.choices[1]!.hint).toBe(`(0 of ${delay.hints.length} seen)`);
    expect(exerciseMenu(delay, row(delay, 'in progress'), emptyProgress(), true, plain).initial).toBe(2);
    expect(exerciseMenu(delay, row(delay, 'not started'), emptyProgress(), true, plain, 'lesson').initial).toBe(2);
    expect(exerciseMenu(delay, row(delay, 'in progress'), emptyProgress(), false, plain).choices[3]!.disabled).toBeTruthy();
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
    expect(refusal(delay, emptyProgress())).toBe('delay has not passed yet (it has not been graded yet), and the solution is more useful once it has');
    const failing = recordGrade(emptyProgress(), { id: 'delay', status: 'fail', points: 3, maxPoints: POINTS }, new Date());
    expect(refusal(delay, failing)).toMatch(/^delay has not passed yet \(your best so far: 3\/4\)/);
    expect(refusal(delay, recordGrade(failing, { id: 'delay', status: 'pass', points: POINTS, maxPoints: POINTS }, new Date()))).toBeUndefined();
  });

  it('the diff goes from the learner’s file to the reference', () => {
    const diff = solutionDiff(once, 'a\nb\n', 'a\nc\n');
    expect(diff).toContain('--- exercises/02-once/once.ts\tyours');
    expect(diff).toContain('+++ solutions/02-once/once.ts\treference');
    expect(diff).toMatch(/^-b$/m);
    expect(diff).toMatch(/^\+c$/m);
    expect(solutionDiff(once, 'same', 'same')).toBe('');
  });

  it('Ctrl+C at a prompt (enquirer rejects with "") is an answer: cancelled', async () => {
    expect(await ask({ run: () => Promise.reject('') })).toBeUndefined();
    expect(await ask({ run: () => Promise.resolve('delay') })).toBe('delay');
    await expect(ask({ run: () => Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
  });
});
