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
import type { Exercise } from '../course/manifest.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { scoreExercise } from '../report/score.ts';
import { fakeExercise } from './support/fake-exercise.ts';

const exercise = (id: string, n: number): Exercise => fakeExercise(id, n, { points: 4, hints: ['a hint'] });
const pool = exercise('pool', 1);
const debounce = exercise('debounce', 2);

const passed = (name: string): RawTest => ({ name, task: 'createLimiter', points: 1, state: 'passed' });
const failed = (name: string, message: string, kind: RawTest['kind'] = 'wrong'): RawTest => ({
  name,
  task: 'mapLimit',
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
    exercise: pool,
    file: 'exercises/01-pool/pool.ts',
    report: scoreExercise(pool, run),
    time: '14:03:27',
    style: plain,
    ...extra,
  });
}

describe('watch: a failing result', () => {
  const firstMessage = 'expected: [1, 2]\nbut got:  [2, 1]\nhint:     keep each result at its index';
  const run = finished(
    passed('limits concurrency'),
    failed('keeps input order', firstMessage),
    failed('rejects on the first error', 'expected: a rejection\nbut got:  a fulfilment'),
    failed('stops taking items', 'expected: 2 items taken\nbut got:  5'),
  );

  it('shows the first failing behaviour in full and only counts the rest', () => {
    const text = view(run);
    expect(text).toContain('✗ mapLimit: keeps input order  0/1');
    for (const line of firstMessage.split('\n')) expect(text).toContain(`    ${line}`);
    expect(text).not.toContain('rejects on the first error');
    expect(text).not.toContain('a fulfilment');
    expect(text).toContain('1/4 points · 1 of 4 behaviours pass · 2 more behaviours to fix after this one');
  });

  it('names the exercise, the file and the time, and says it keeps watching', () => {
    const text = view(run);
    expect(text.split('\n')[0]).toBe('pool — The pool exercise');
    expect(text).toContain('exercises/01-pool/pool.ts · graded at 14:03:27');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Watching exercises/01-pool/pool.ts: save it to grade again. Ctrl+C to stop.');
  });

  it('says when the failing behaviour is the last one', () => {
    const text = view(finished(passed('a'), passed('b'), passed('c'), failed('d', 'expected: x\nbut got:  y')));
    expect(text).toContain('3 of 4 behaviours pass · this is the last one to fix');
  });

  it('shows a little of what the code printed under the failing behaviour', () => {
    const noisy = { ...failed('keeps input order', 'expected: a\nbut got:  b'), output: 'one\ntwo\nthree\nfour\nfive\nsix\nseven' };
    const text = view(finished(noisy));
    expect(text).toContain('your code printed:');
    expect(text).toContain('      | five');
    expect(text).not.toContain('| six');
    expect(text).toContain('... (2 more lines)');
  });

  it('a stub: the first behaviour reads "not implemented yet", with where', () => {
    const message = 'not implemented yet: exercises/01-pool/pool.ts:22:9 still throws "Not implemented yet: createLimiter"';
    const text = view(finished(failed('a', message, 'not-implemented'), failed('b', message, 'not-implemented')));
    expect(text).toContain(`    ${message}`);
    expect(text).toContain('0/2 points · 0 of 2 behaviours pass · 1 more behaviour to fix after this one');
  });
});

describe('watch: a result that could not be graded', () => {
  it('a syntax error: the message in full, and watching goes on', () => {
    const message = 'exercises/01-pool/pool.ts:3:11: syntax error: Unexpected token\n    3 | const x = ;\n      |           ^';
    const text = view(finished(failed('a', message, 'not-loaded'), failed('b', message, 'not-loaded')));
    expect(text).toContain('! exercises/01-pool/pool.ts could not be graded:');
    expect(text).toContain('    exercises/01-pool/pool.ts:3:11: syntax error: Unexpected token');
    expect(text).toContain('Fix it and save: the grader is still watching.');
    expect(text).not.toContain('points ·');
  });

  it('a hang stopped by the watchdog', () => {
    const text = view({ outcome: 'timed-out', tests: [failed('a', 'x')], budgetMs: 2_000 });
    expect(text).toContain('did not finish in 2 s: is there an infinite loop?');
    expect(text).toContain('the grader is still watching');
  });

  it('a missing file', () => {
    expect(view({ outcome: 'missing', file: 'exercises/01-pool/pool.ts' })).toContain(
      'exercises/01-pool/pool.ts does not exist: there is nothing to grade',
    );
  });
});

describe('watch: a passing result', () => {
  const allPass = finished(passed('a'), passed('b'), passed('c'), passed('d'));

  it('says so, then names the next exercise and the command to watch it', () => {
    const text = view(allPass, { next: debounce });
    expect(text).toContain('✓ pool passes: 4/4 points, all 4 behaviours.');
    expect(text).toContain('Next: debounce — The debounce exercise.');
    expect(text).toContain('Read lessons/02-debounce.md, then watch it: npm run grader -- watch debounce');
    expect(text).not.toContain('✗');
  });

  it('at the end of the course, says the course is finished', () => {
    const text = view(allPass, { next: undefined });
    expect(text).toContain('you have finished the course');
    expect(text).not.toContain('Next:');
  });
});

describe('watch: terminal or pipe', () => {
  const run = finished(failed('keeps input order', 'expected: a\nbut got:  b'));

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
    burst.add('/w/01-pool/pool.ts');
    vi.advanceTimersByTime(10);
    burst.add('/w/01-pool/pool.ts');
    burst.add('/w/01-pool/helpers.ts');
    vi.advanceTimersByTime(19);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([['/w/01-pool/pool.ts', '/w/01-pool/helpers.ts']]);
    burst.add('/w/01-pool/pool.ts');
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
    for (const path of ['/w/01-pool/pool.ts', '/w/01-pool/helpers.mts', '/w/01-pool/data.json', '/w/01-pool/util.js']) {
      expect(isWatchedSource(path), path).toBe(true);
    }
    for (const path of ['/w/01-pool/pool.test.ts', '/w/01-pool/.pool.ts.swp', '/w/01-pool/pool.ts~', '/w/01-pool/4913', '/w/01-pool/notes.md']) {
      expect(isWatchedSource(path), path).toBe(false);
    }
  });
});

describe('watch: argv', () => {
  it('takes at most one exercise, --timeout and --workspace', () => {
    const parsed = parseArgv(['watch', 'pool', '--timeout', '3', '--workspace', 'w'], COMMANDS);
    expect(parsed).toMatchObject({ positionals: ['pool'], options: { timeout: '3', workspace: 'w' } });
    expect(() => parseArgv(['watch', 'pool', 'retry'], COMMANDS)).toThrow(/unexpected argument 'retry'/);
    expect(() => parseArgv(['watch', '--json'], COMMANDS)).toThrow(/unknown option --json/);
  });
});
