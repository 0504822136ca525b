/**
 * `watch`: what it shows after a save (pure rendering), how it groups bursts
 * of file events, which files it reacts to, and its argv.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgv } from '../cli/argv.ts';
import { COMMANDS } from '../cli/commands.ts';
import { isTerminal } from '../cli/commands/watch.ts';
import { createStyle } from '../cli/style.ts';
import { burstCollector, isWatchedSource } from '../cli/watch/changes.ts';
import { CLEAR_SCREEN, frame, renderResult, SEPARATOR, type ResultView } from '../cli/watch/render.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { scoreExercise } from '../report/score.ts';
import { fixtureExercise } from './support/course.ts';

// The fixture course's exercises; the runs below are made up, four behaviours of a point each.
const delay = fixtureExercise('delay');
const once = fixtureExercise('once');

const passed = (name: string): RawTest => ({ name, task: 'delay', points: 1, state: 'passed' });
const failed = (name: string, message: string, kind: RawTest['kind'] = 'wrong'): RawTest => ({
  name,
  task: 'delay',
  points: 1,
  state: 'failed',
  kind,
  message,
});
const finished = (...tests: RawTest[]): ExerciseRun => ({ outcome: 'finished', tests, moduleErrors: [] });

const plain = createStyle({ isTTY: false }, {});
const coloured = createStyle({ isTTY: true }, { FORCE_COLOR: '1' });
const ESCAPE = /\x1b\[/;

function view(run: ExerciseRun, extra: Partial<ResultView> = {}): string {
  return renderResult({
    exercise: delay,
    file: 'exercises/01-delay/delay.ts',
    report: scoreExercise(delay, run),
    time: '14:03:27',
    style: plain,
    ...extra,
  });
}

describe('watch: a failing result', () => {
  const firstMessage =
    'expected: delay(30, value) still pending after 29 ms\nbut got:  it had fulfilled by 29 ms\nhint:     start one setTimeout of ms milliseconds';
  const run = finished(
    passed('passes the value through'),
    failed('resolves after exactly ms milliseconds', firstMessage),
    failed('throws a TypeError for a negative ms', 'expected: delay(-1, "x") to throw a TypeError\nbut got:  it returned a promise'),
    failed('delay(0) waits for a timer', 'expected: delay(0, 1) still pending\nbut got:  it had fulfilled'),
  );

  it('shows the first failing behaviour in full and only counts the rest', () => {
    const text = view(run);
    expect(text).toContain('✗ delay: resolves after exactly ms milliseconds  0/1');
    for (const line of firstMessage.split('\n')) expect(text).toContain(`    ${line}`);
    expect(text).not.toContain('throws a TypeError for a negative ms');
    expect(text).not.toContain('it returned a promise');
    expect(text).toContain('1/4 points · 1 of 4 behaviours pass · 2 more behaviours to fix after this one');
  });

  it('names the exercise, the file and the time, and says it keeps watching', () => {
    const text = view(run);
    expect(text.split('\n')[0]).toBe('delay — Delay: a promise that resolves later');
    expect(text).toContain('exercises/01-delay/delay.ts · graded at 14:03:27');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Watching exercises/01-delay/delay.ts: save it to grade again. Ctrl+C to stop.');
  });

  it('says when the failing behaviour is the last one', () => {
    const text = view(finished(passed('a'), passed('b'), passed('c'), failed('d', 'expected: x\nbut got:  y')));
    expect(text).toContain('3 of 4 behaviours pass · this is the last one to fix');
  });

  it('shows a little of what the code printed under the failing behaviour', () => {
    const noisy = { ...failed('resolves after exactly ms milliseconds', 'expected: a\nbut got:  b'), output: 'one\ntwo\nthree\nfour\nfive\nsix\nseven' };
    const text = view(finished(noisy));
    expect(text).toContain('your code printed:');
    expect(text).toContain('      | five');
    expect(text).not.toContain('| six');
    expect(text).toContain('... (2 more lines)');
  });

  it('a stub: the first behaviour reads "not implemented yet", with where', () => {
    const message = 'not implemented yet: exercises/01-delay/delay.ts:6:9 still throws "Not implemented yet: delay"';
    const text = view(finished(failed('a', message, 'not-implemented'), failed('b', message, 'not-implemented')));
    expect(text).toContain(`    ${message}`);
    expect(text).toContain('0/2 points · 0 of 2 behaviours pass · 1 more behaviour to fix after this one');
  });
});

describe('watch: a result that could not be graded', () => {
  it('a syntax error: the message in full, and watching goes on', () => {
    const message = 'exercises/01-delay/delay.ts:3:11: syntax error: Unexpected token\n    3 | const x = ;\n      |           ^';
    const text = view(finished(failed('a', message, 'not-loaded'), failed('b', message, 'not-loaded')));
    expect(text).toContain('! exercises/01-delay/delay.ts could not be graded:');
    expect(text).toContain('    exercises/01-delay/delay.ts:3:11: syntax error: Unexpected token');
    expect(text).toContain('Fix it and save: the grader is still watching.');
    expect(text).not.toContain('points ·');
  });

  it('a hang stopped by the watchdog', () => {
    const text = view({ outcome: 'timed-out', tests: [failed('a', 'x')], budgetMs: 2_000 });
    expect(text).toContain('did not finish in 2 s: is there an infinite loop?');
    expect(text).toContain('the grader is still watching');
  });

  it('a missing file', () => {
    expect(view({ outcome: 'missing', file: 'exercises/01-delay/delay.ts' })).toContain(
      'exercises/01-delay/delay.ts does not exist: there is nothing to grade',
    );
  });
});

describe('watch: a passing result', () => {
  const allPass = finished(passed('a'), passed('b'), passed('c'), passed('d'));

  it('says so, then names the next exercise and the command to watch it', () => {
    const text = view(allPass, { next: once });
    expect(text).toContain('✓ delay passes: 4/4 points, all 4 behaviours.');
    expect(text).toContain('Next: once — Once: one call, one shared result.');
    expect(text).toContain('Read lessons/02-once.md, then watch it: npm run grader -- watch once');
    expect(text).not.toContain('✗');
  });

  it('at the end of the course, says the course is finished', () => {
    const text = view(allPass, { next: undefined });
    expect(text).toContain('you have finished the course');
    expect(text).not.toContain('Next:');
  });
});

describe('watch: terminal or pipe', () => {
  const run = finished(failed('resolves after exactly ms milliseconds', 'expected: a\nbut got:  b'));

  it('in a pipe: a separator line, no escape codes at all', () => {
    const text = frame(view(run), false);
    expect(text.startsWith(`${SEPARATOR}\n`)).toBe(true);
    expect(text).not.toMatch(ESCAPE);
  });

  it('on a terminal: the screen is cleared first, and colours are used', () => {
    const text = frame(view(run, { style: coloured }), true);
    expect(text.startsWith(CLEAR_SCREEN)).toBe(true);
    expect(text.slice(CLEAR_SCREEN.length)).toMatch(ESCAPE);
  });

  it('clears the screen only on a terminal that is not dumb', () => {
    expect(isTerminal({ stdout: { isTTY: true } as never, env: {} })).toBe(true);
    expect(isTerminal({ stdout: { isTTY: true } as never, env: { TERM: 'dumb' } })).toBe(false);
    expect(isTerminal({ stdout: { isTTY: false } as never, env: {} })).toBe(false);
    expect(isTerminal({ stdout: {} as never, env: {} })).toBe(false);
  });
});

describe('watch: file events', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a burst of events (atomic save: temp file, rename; truncate then write) is one grading', () => {
    vi.useFakeTimers();
    const flushed: string[][] = [];
    const burst = burstCollector(20, (paths) => flushed.push(paths));
    burst.add('/w/01-delay/delay.ts');
    vi.advanceTimersByTime(10);
    burst.add('/w/01-delay/delay.ts');
    burst.add('/w/01-delay/helpers.ts');
    vi.advanceTimersByTime(19);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([['/w/01-delay/delay.ts', '/w/01-delay/helpers.ts']]);
    burst.add('/w/01-delay/delay.ts');
    vi.advanceTimersByTime(20);
    expect(flushed).toHaveLength(2);
  });

  it('cancel drops a pending burst', () => {
    vi.useFakeTimers();
    const flushed: string[][] = [];
    const burst = burstCollector(20, (paths) => flushed.push(paths));
    burst.add('/w/a.ts');
    burst.cancel();
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual([]);
  });

  it("reacts to the exercise's code, not to its practice tests or editors' leftovers", () => {
    for (const path of ['/w/01-delay/delay.ts', '/w/01-delay/helpers.mts', '/w/01-delay/data.json', '/w/01-delay/util.js']) {
      expect(isWatchedSource(path), path).toBe(true);
    }
    for (const path of ['/w/01-delay/delay.test.ts', '/w/01-delay/.delay.ts.swp', '/w/01-delay/delay.ts~', '/w/01-delay/4913', '/w/01-delay/notes.md']) {
      expect(isWatchedSource(path), path).toBe(false);
    }
  });
});

describe('watch: argv', () => {
  it('takes at most one exercise, --timeout and --workspace', () => {
    const parsed = parseArgv(['watch', 'delay', '--timeout', '3', '--workspace', 'w'], COMMANDS);
    expect(parsed).toMatchObject({ positionals: ['delay'], options: { timeout: '3', workspace: 'w' } });
    expect(() => parseArgv(['watch', 'delay', 'once'], COMMANDS)).toThrow(/unexpected argument 'once'/);
    expect(() => parseArgv(['watch', '--json'], COMMANDS)).toThrow(/unknown option --json/);
  });
});
