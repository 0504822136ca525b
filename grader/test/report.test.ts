import { describe, expect, it } from 'vitest';
import { createStyle, wantsColor } from '../cli/style.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { formatHuman } from '../report/human.ts';
import { formatJson, toJsonDocument } from '../report/json.ts';
import { nextStep } from '../report/next-step.ts';
import { buildReport, scoreExercise } from '../report/score.ts';
import { BEHAVIOURS, fixtureCourse, fixtureExercise } from './support/course.ts';

// The fixture course: delay and once, 4 points each (3 behaviours, the first worth 2).
const course = fixtureCourse();
const delay = fixtureExercise('delay');
const once = fixtureExercise('once');
const files = new Map([
  ['delay', 'exercises/01-delay/delay.ts'],
  ['once', 'exercises/02-once/once.ts'],
]);

// The fixture's behaviours.
const { RESOLVES, ZERO, THROWS, FIRST_CALL, REJECTION, SYNC_THROW } = BEHAVIOURS;

const passed = (name: string, points = 1, task = 'delay'): RawTest => ({ name, task, points, state: 'passed' });
const failed = (name: string, message: string, points = 1, kind: RawTest['kind'] = 'wrong', task = 'delay'): RawTest => ({
  name,
  task,
  points,
  state: 'failed',
  kind,
  message,
});
const finished = (...tests: RawTest[]) => ({ outcome: 'finished', tests, moduleErrors: [] }) satisfies ExerciseRun;
const delayPasses = () => finished(passed(RESOLVES, 2), passed(ZERO), passed(THROWS));
const oncePasses = (): ExerciseRun => finished(passed(FIRST_CALL, 2, 'once'), passed(REJECTION, 1, 'once'), passed(SYNC_THROW, 1, 'once'));

describe('scoreExercise', () => {
  it('passes when every behaviour passes, with points earned per behaviour', () => {
    const report = scoreExercise(delay, delayPasses());
    expect(report).toMatchObject({ id: 'delay', status: 'pass', points: 4, maxPoints: 4 });
    expect(report.tests.map((t) => [t.status, t.points])).toEqual([['pass', 2], ['pass', 1], ['pass', 1]]);
  });

  it('fails with partial points and keeps the learner-facing message', () => {
    const report = scoreExercise(delay, finished(passed(RESOLVES, 2), failed(ZERO, 'expected: x\nbut got:  y'), passed(THROWS)));
    expect(report).toMatchObject({ status: 'fail', points: 3, maxPoints: 4 });
    expect(report.tests[1]).toMatchObject({ name: ZERO, status: 'fail', points: 0, message: 'expected: x\nbut got:  y' });
  });

  it('is an error with a message when the file is missing', () => {
    const report = scoreExercise(delay, { outcome: 'missing', file: 'subs/ann/01-delay/delay.ts' });
    expect(report).toMatchObject({ status: 'error', points: 0, maxPoints: 4, tests: [] });
    expect(report.message).toBe('subs/ann/01-delay/delay.ts does not exist: there is nothing to grade');
  });

  it('is an error naming the infinite loop when the watchdog stopped it, and earns nothing', () => {
    const report = scoreExercise(delay, { outcome: 'timed-out', tests: [passed(RESOLVES, 2)], budgetMs: 2500 });
    expect(report).toMatchObject({ status: 'error', points: 0, maxPoints: 4, message: 'did not finish in 2.5 s: is there an infinite loop?' });
    expect(report.tests[0]!.points).toBe(0);
  });

  it('is an error with the load failure when the file cannot be loaded', () => {
    const why = 'exercises/01-delay/delay.ts:2:18: syntax error: Unexpected token';
    const report = scoreExercise(delay, finished(failed(RESOLVES, why, 2, 'not-loaded'), failed(ZERO, why, 1, 'not-loaded'), failed(THROWS, why, 1, 'not-loaded')));
    expect(report).toMatchObject({ status: 'error', message: why, points: 0, maxPoints: 4 });
    expect(report.tests.every((t) => t.status === 'error')).toBe(true);
  });

  it('never passes when something failed outside every behaviour', () => {
    const report = scoreExercise(delay, { ...delayPasses(), moduleErrors: ['unhandled rejection: boom'] });
    expect(report).toMatchObject({ status: 'error', points: 0, message: 'unhandled rejection: boom' });
    expect(report.tests.map((t) => t.points)).toEqual([0, 0, 0]);
  });

  it('is an error when the worker died', () => {
    const report = scoreExercise(delay, { outcome: 'crashed', tests: [], reason: 'the test process stopped' });
    expect(report).toMatchObject({ status: 'error', message: 'the test process stopped' });
  });
});

describe('buildReport', () => {
  it('adds points up and gives error precedence over fail', () => {
    const a = scoreExercise(delay, delayPasses());
    const b = scoreExercise(once, finished(failed(FIRST_CALL, 'm', 2, 'wrong', 'once'), failed(REJECTION, 'm', 1, 'wrong', 'once'), failed(SYNC_THROW, 'm', 1, 'wrong', 'once')));
    expect(buildReport([a, b])).toMatchObject({ version: 1, status: 'fail', points: 4, maxPoints: 8 });
    expect(buildReport([a]).status).toBe('pass');
    const broken = scoreExercise(once, { outcome: 'missing', file: 'f' });
    expect(buildReport([a, b, broken]).status).toBe('error');
  });
});

describe('the JSON document', () => {
  it('has exactly the fields of the spec, messages only where they belong', () => {
    const report = buildReport([
      scoreExercise(delay, finished(passed(RESOLVES, 2), failed(ZERO, 'why', 1, 'wrong', 'timers'))),
      scoreExercise(once, { outcome: 'missing', file: 'f.ts' }),
    ]);
    const doc = JSON.parse(formatJson(report));
    expect(Object.keys(doc)).toEqual(['version', 'status', 'points', 'maxPoints', 'exercises']);
    expect(Object.keys(doc.exercises[0])).toEqual(['id', 'status', 'points', 'maxPoints', 'tests']);
    expect(Object.keys(doc.exercises[1])).toEqual(['id', 'status', 'message', 'points', 'maxPoints', 'tests']);
    expect(doc.exercises[0].tests).toEqual([
      { name: RESOLVES, task: 'delay', status: 'pass', points: 2 },
      { name: ZERO, task: 'timers', status: 'fail', message: 'why', points: 0 },
    ]);
    expect(toJsonDocument(report)).toEqual(doc);
  });
});

describe('the human report', () => {
  const plain = createStyle({ isTTY: false }, {});
  // Two tasks in one exercise (the fixture's exercises have one each): the second is made up.
  const message = 'expected: delay(-1, "x") to throw a TypeError\nbut got:  it returned a promise';
  const report = buildReport([scoreExercise(delay, finished(passed(RESOLVES, 2), failed(THROWS, message, 1, 'wrong', 'validation')))]);

  it('shows one line per behaviour with its points, and the failure under it', () => {
    const text = formatHuman(report, { course, files, style: plain, source: 'exercises/' });
    expect(text.startsWith('A Fixture Course — grading exercises/\n\ndelay — Delay: a promise that resolves later\n  exercises/01-delay/delay.ts\n')).toBe(true);
    expect(text).toContain(`  delay\n    ✓ ${RESOLVES}  2/2\n`);
    expect(text).toContain(`  validation\n    ✗ ${THROWS}  0/1\n        expected: delay(-1, "x") to throw a TypeError\n        but got:  it returned a promise\n`);
    expect(text).toContain('2/3 points · 1 of 2 behaviours pass · not yet');
    expect(text).toContain(`Next step: Make “${THROWS}” pass: edit exercises/01-delay/delay.ts (lessons/01-delay.md explains it)`);
  });

  it('has no escape codes without a terminal, and colour with one', () => {
    expect(formatHuman(report, { course, files, style: plain, source: 'x' })).not.toMatch(/\x1b\[/);
    const colour = createStyle({ isTTY: true }, { TERM: 'xterm' });
    expect(formatHuman(report, { course, files, style: colour, source: 'x' })).toMatch(/\x1b\[/);
  });

  it('says "not implemented yet" on the line for a stub, without repeating a message block', () => {
    const stubbed = 'not implemented yet: delay.ts:6:9 still throws';
    const stub = buildReport([scoreExercise(delay, finished(failed(RESOLVES, stubbed, 2, 'not-implemented'), failed(ZERO, stubbed, 1, 'not-implemented'), failed(THROWS, stubbed, 1, 'not-implemented')))]);
    const text = formatHuman(stub, { course, files, style: plain, source: 'exercises/' });
    expect(text).toContain(`✗ ${RESOLVES}  0/2  — not implemented yet\n`);
    expect(text).toContain(`✗ ${THROWS}  0/1  — not implemented yet\n`);
    expect(text).not.toContain(stubbed);
    expect(text).toContain('0/4 points · 0 of 3 behaviours pass · not yet');
    expect(text).toContain('Next step: Start delay: read lessons/01-delay.md');
  });
});

describe('wantsColor', () => {
  it('follows the terminal, NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});

describe('nextStep', () => {
  it('points at the next exercise once the graded ones pass', () => {
    const report = buildReport([scoreExercise(delay, delayPasses())]);
    expect(nextStep(report, { course, files })).toBe(
      'All graded exercises pass. Next: once — read lessons/02-once.md, then run npm run grade -- once.',
    );
  });

  it('sends the learner to fix an error first', () => {
    const report = buildReport([scoreExercise(delay, { outcome: 'missing', file: 'x' })]);
    expect(nextStep(report, { course, files })).toMatch(/^Fix exercises\/01-delay\/delay.ts so it can be graded/);
  });

  it('congratulates when every exercise passes', () => {
    const report = buildReport([scoreExercise(delay, delayPasses()), scoreExercise(once, oncePasses())]);
    expect(nextStep(report, { course, files })).toMatch(/^Every exercise passes/);
  });
});
