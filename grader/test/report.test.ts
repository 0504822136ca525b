import { describe, expect, it } from 'vitest';
import { createStyle, wantsColor } from '../cli/style.ts';
import type { Course, Exercise } from '../course/manifest.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { formatHuman } from '../report/human.ts';
import { formatJson, toJsonDocument } from '../report/json.ts';
import { nextStep } from '../report/next-step.ts';
import { buildReport, scoreExercise } from '../report/score.ts';
import { fakeExercise } from './support/fake-exercise.ts';

const exercise = (id: string, n: number): Exercise =>
  fakeExercise(id, n, { points: 3, hints: [`first hint for ${id}`, 'second hint'] });
const pool = exercise('pool', 1);
const debounce = exercise('debounce', 2);
const course: Course = { title: 'Async Patterns in TypeScript', orientation: '', exercises: [pool, debounce] };
const files = new Map([
  ['pool', 'exercises/01-pool/pool.ts'],
  ['debounce', 'exercises/02-debounce/debounce.ts'],
]);

const passed = (name: string, points = 1): RawTest => ({ name, task: 'createLimiter', points, state: 'passed' });
const failed = (name: string, message: string, points = 1, kind: RawTest['kind'] = 'wrong'): RawTest => ({
  name,
  task: 'mapLimit',
  points,
  state: 'failed',
  kind,
  message,
});
const finished = (...tests: RawTest[]): ExerciseRun => ({ outcome: 'finished', tests, moduleErrors: [] });

describe('scoreExercise', () => {
  it('passes when every behaviour passes, with points earned per behaviour', () => {
    const report = scoreExercise(pool, finished(passed('a', 2), passed('b')));
    expect(report).toMatchObject({ id: 'pool', status: 'pass', points: 3, maxPoints: 3 });
    expect(report.tests.map((t) => [t.status, t.points])).toEqual([['pass', 2], ['pass', 1]]);
  });

  it('fails with partial points and keeps the learner-facing message', () => {
    const report = scoreExercise(pool, finished(passed('a', 2), failed('b', 'expected: x\nbut got:  y')));
    expect(report).toMatchObject({ status: 'fail', points: 2, maxPoints: 3 });
    expect(report.tests[1]).toMatchObject({ status: 'fail', points: 0, message: 'expected: x\nbut got:  y' });
  });

  it('is an error with a message when the file is missing', () => {
    const report = scoreExercise(pool, { outcome: 'missing', file: 'subs/ann/01-pool/pool.ts' });
    expect(report).toMatchObject({ status: 'error', points: 0, maxPoints: 3, tests: [] });
    expect(report.message).toBe('subs/ann/01-pool/pool.ts does not exist: there is nothing to grade');
  });

  it('is an error naming the infinite loop when the watchdog stopped it, and earns nothing', () => {
    const report = scoreExercise(pool, { outcome: 'timed-out', tests: [passed('a', 2)], budgetMs: 2500 });
    expect(report).toMatchObject({ status: 'error', points: 0, message: 'did not finish in 2.5 s: is there an infinite loop?' });
    expect(report.tests[0]!.points).toBe(0);
  });

  it('is an error with the load failure when the file cannot be loaded', () => {
    const why = 'exercises/01-pool/pool.ts:2:18: syntax error: Unexpected token';
    const report = scoreExercise(pool, finished(failed('a', why, 1, 'not-loaded'), failed('b', why, 2, 'not-loaded')));
    expect(report).toMatchObject({ status: 'error', message: why, points: 0, maxPoints: 3 });
    expect(report.tests.every((t) => t.status === 'error')).toBe(true);
  });

  it('never passes when something failed outside every behaviour', () => {
    const report = scoreExercise(pool, { outcome: 'finished', tests: [passed('a', 3)], moduleErrors: ['unhandled rejection: boom'] });
    expect(report).toMatchObject({ status: 'error', points: 0, message: 'unhandled rejection: boom' });
  });

  it('is an error when the worker died', () => {
    const report = scoreExercise(pool, { outcome: 'crashed', tests: [], reason: 'the test process stopped' });
    expect(report).toMatchObject({ status: 'error', message: 'the test process stopped' });
  });
});

describe('buildReport', () => {
  it('adds points up and gives error precedence over fail', () => {
    const a = scoreExercise(pool, finished(passed('a', 3)));
    const b = scoreExercise(debounce, finished(failed('b', 'm', 3)));
    expect(buildReport([a, b])).toMatchObject({ version: 1, status: 'fail', points: 3, maxPoints: 6 });
    expect(buildReport([a]).status).toBe('pass');
    const broken = scoreExercise(debounce, { outcome: 'missing', file: 'f' });
    expect(buildReport([a, b, broken]).status).toBe('error');
  });
});

describe('the JSON document', () => {
  it('has exactly the fields of the spec, messages only where they belong', () => {
    const report = buildReport([
      scoreExercise(pool, finished(passed('a', 2), failed('b', 'why'))),
      scoreExercise(debounce, { outcome: 'missing', file: 'f.ts' }),
    ]);
    const doc = JSON.parse(formatJson(report));
    expect(Object.keys(doc)).toEqual(['version', 'status', 'points', 'maxPoints', 'exercises']);
    expect(Object.keys(doc.exercises[0])).toEqual(['id', 'status', 'points', 'maxPoints', 'tests']);
    expect(Object.keys(doc.exercises[1])).toEqual(['id', 'status', 'message', 'points', 'maxPoints', 'tests']);
    expect(doc.exercises[0].tests).toEqual([
      { name: 'a', task: 'createLimiter', status: 'pass', points: 2 },
      { name: 'b', task: 'mapLimit', status: 'fail', message: 'why', points: 0 },
    ]);
    expect(toJsonDocument(report)).toEqual(doc);
  });
});

describe('the human report', () => {
  const plain = createStyle({ isTTY: false }, {});
  const report = buildReport([scoreExercise(pool, finished(passed('limits calls', 2), failed('keeps order', 'expected: [1, 2]\nbut got:  [2, 1]')))]);

  it('shows one line per behaviour with its points, and the failure under it', () => {
    const text = formatHuman(report, { course, files, style: plain, source: 'exercises/' });
    expect(text).toContain('  createLimiter\n    ✓ limits calls  2/2\n');
    expect(text).toContain('  mapLimit\n    ✗ keeps order  0/1\n        expected: [1, 2]\n        but got:  [2, 1]\n');
    expect(text).toContain('2/3 points · 1 of 2 behaviours pass · not yet');
    expect(text).toMatch(/Next step: Make “keeps order” pass: edit exercises\/01-pool\/pool.ts/);
  });

  it('has no escape codes without a terminal, and colour with one', () => {
    expect(formatHuman(report, { course, files, style: plain, source: 'x' })).not.toMatch(/\x1b\[/);
    const colour = createStyle({ isTTY: true }, { TERM: 'xterm' });
    expect(formatHuman(report, { course, files, style: colour, source: 'x' })).toMatch(/\x1b\[/);
  });

  it('says "not implemented yet" on the line for a stub, without repeating a message block', () => {
    const stub = buildReport([scoreExercise(pool, finished(failed('limits calls', 'not implemented yet: pool.ts:3:9 still throws', 3, 'not-implemented')))]);
    const text = formatHuman(stub, { course, files, style: plain, source: 'exercises/' });
    expect(text).toContain('✗ limits calls  0/3  — not implemented yet\n');
    expect(text).toContain('Next step: Start pool: read lessons/01-pool.md');
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
    const report = buildReport([scoreExercise(pool, finished(passed('a', 3)))]);
    expect(nextStep(report, { course, files })).toBe(
      'All graded exercises pass. Next: debounce — read lessons/02-debounce.md, then run npm run grade -- debounce.',
    );
  });

  it('sends the learner to fix an error first', () => {
    const report = buildReport([scoreExercise(pool, { outcome: 'missing', file: 'x' })]);
    expect(nextStep(report, { course, files })).toMatch(/^Fix exercises\/01-pool\/pool.ts so it can be graded/);
  });

  it('congratulates when every exercise passes', () => {
    const report = buildReport([scoreExercise(pool, finished(passed('a', 3))), scoreExercise(debounce, finished(passed('b', 3)))]);
    expect(nextStep(report, { course, files })).toMatch(/^Every exercise passes/);
  });
});
