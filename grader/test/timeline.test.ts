import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstDifference, renderTimeline, type Span, type Timeline } from '../report/timeline.ts';

const ok = (row: string, start: number, end: number): Span => ({ row, start, end, outcome: 'fulfilled' });
const failed = (row: string, start: number, end: number): Span => ({ row, start, end, outcome: 'rejected' });
const pending = (row: string, start: number): Span => ({ row, start });

/** Four calls, limit 2: the expected starts are [0, 0, 10, 20], your code's [0, 0, 50, 50]. */
const pool: Timeline = {
  expected: [ok('call 1', 0, 10), ok('call 2', 0, 20), ok('call 3', 10, 40), ok('call 4', 20, 50)],
  actual: [ok('call 1', 0, 10), ok('call 2', 0, 20), ok('call 3', 50, 80), ok('call 4', 50, 80)],
};
/** Attempts that fail at once, then one that succeeds: backoff 1, 2, 4 s expected, 1, 1, 1 s actual. */
const retry: Timeline = {
  expected: [failed('attempt 1', 0, 0), failed('attempt 2', 1000, 1000), failed('attempt 3', 3000, 3000), ok('attempt 4', 7000, 7100)],
  actual: [failed('attempt 1', 0, 0), failed('attempt 2', 1000, 1000), failed('attempt 3', 2000, 2000), ok('attempt 4', 3000, 3100)],
};
/** One trailing call expected after the burst; your code calls once more. */
const debounce: Timeline = {
  expected: [ok('fn #1', 250, 270)],
  actual: [ok('fn #1', 250, 270), ok('fn #2', 350, 370)],
};
/** 16 requests over 8 s; page 7 starts 50 ms late, page 9 never settles, page 10 rejects early. */
const page = (i: number): Span => ok(`request page ${i + 1}`, i * 500, i * 500 + 250);
const long: Timeline = {
  expected: Array.from({ length: 16 }, (_, i) => page(i)),
  actual: Array.from({ length: 16 }, (_, i) =>
    i === 6 ? ok('request page 7', 3050, 3300) : i === 8 ? pending('request page 9', 4000) : i === 9 ? failed('request page 10', 4500, 4600) : page(i)),
};
const agree: Timeline = { expected: pool.expected, actual: pool.expected.map((span) => ({ ...span })) };
/** A label longer than the label column (16), and a step given by the caller. */
const longLabels: Timeline = {
  stepMs: 5,
  expected: [ok('request page 1 of the archive', 0, 40), ok('request page 2 of the archive', 40, 80)],
  actual: [ok('request page 1 of the archive', 0, 40), failed('request page 2 of the archive', 40, 60)],
};

describe('renderTimeline', () => {
  it('draws a pool-like case: call 3 and 4 start late', () => {
    expect(renderTimeline(pool)).toBe(POOL);
    expect(firstDifference(pool)).toEqual({ at: 10, row: 'call 3' });
  });

  it('draws a retry-like case at a coarser step (200 ms), the whole run in 80 columns', () => {
    expect(renderTimeline(retry)).toBe(RETRY);
    expect(firstDifference(retry)).toEqual({ at: 2000, row: 'attempt 3' });
  });

  it('draws a debounce-like case where your code made an extra call', () => {
    expect(renderTimeline(debounce)).toBe(DEBOUNCE);
    expect(firstDifference(debounce)).toEqual({ at: 350, row: 'fn #2' });
  });

  it('windows a long run around the first difference at width 80', () => {
    const text = renderTimeline(long, { width: 80 });
    expect(text).toBe(LONG);
    expect(firstDifference(long)).toEqual({ at: 3000, row: 'request page 7' });
    // The difference is inside the window: 2000 <= 3000 < 5100, and the marker is on the grid.
    const lines = text.split('\n');
    const marker = lines.find((line) => line.trim() === '^')!;
    const scale = lines[0]!;
    expect(marker.indexOf('^')).toBe(scale.indexOf('3000'));
  });

  it('draws agreeing timelines without a marker', () => {
    const text = renderTimeline(agree);
    expect(firstDifference(agree)).toBeUndefined();
    expect(text).toBe(AGREE);
    expect(text).not.toContain('^');
    expect(text).not.toContain('first difference');
  });

  it('cuts long labels, and uses a given step', () => {
    expect(renderTimeline(longLabels)).toBe(LONG_LABELS);
  });

  it('keeps every line within the width (60, 80, 120), with no trailing spaces', () => {
    for (const timeline of [pool, retry, debounce, long, agree, longLabels]) {
      for (const width of [60, 80, 120]) {
        const lines = renderTimeline(timeline, { width }).split('\n');
        for (const line of lines) {
          expect([...line].length, `${width}: ${line}`).toBeLessThanOrEqual(width);
          expect(line).toBe(line.trimEnd());
        }
        expect(lines.some((line) => line.includes('one character = '))).toBe(true);
      }
    }
  });

  it('says the window and its cuts only when the run is windowed', () => {
    expect(renderTimeline(long, { width: 120 })).toContain('showing 1500 to 6600 ms of a run from 0 to 7850 ms');
    expect(renderTimeline(long, { width: 60 })).toContain('showing 2500 to 4600 ms');
    expect(renderTimeline(pool)).not.toContain('«');
    expect(renderTimeline(pool)).not.toContain('»');
    expect(renderTimeline(pool)).not.toContain('showing');
  });

  it('states the legend once', () => {
    for (const timeline of [pool, long, agree]) {
      expect(renderTimeline(timeline).split('one character = ').length).toBe(2);
      expect(renderTimeline(timeline).split('= running').length).toBe(2);
    }
  });

  it('is deterministic and does not change its input', () => {
    const before = JSON.stringify(long);
    expect(renderTimeline(long)).toBe(renderTimeline(long));
    expect(JSON.stringify(long)).toBe(before);
  });
});

describe('firstDifference', () => {
  const one = (expected: Span[], actual: Span[], stepMs?: number) =>
    firstDifference({ expected, actual, ...(stepMs === undefined ? {} : { stepMs }) });

  it('compares at the step\'s resolution', () => {
    expect(one([ok('a', 10, 20)], [ok('a', 12, 20)])).toEqual({ at: 10, row: 'a' });
    expect(one([ok('a', 10, 20)], [ok('a', 12, 20)], 10)).toBeUndefined();
    expect(one([ok('a', 10, 20)], [ok('a', 10, 31)], 10)).toEqual({ at: 20, row: 'a' });
  });

  it('finds a missing row, a different outcome, a pending call', () => {
    expect(one([ok('a', 0, 5), ok('b', 7, 9)], [ok('a', 0, 5)])).toEqual({ at: 7, row: 'b' });
    expect(one([ok('a', 0, 5)], [failed('a', 0, 5)])).toEqual({ at: 5, row: 'a' });
    expect(one([ok('a', 0, 5)], [pending('a', 0)])).toEqual({ at: 5, row: 'a' });
    expect(one([pending('a', 0)], [ok('a', 0, 8)])).toEqual({ at: 8, row: 'a' });
    expect(one([pending('a', 0)], [pending('a', 0)])).toBeUndefined();
  });

  it('takes the earliest difference, ties to the row drawn first', () => {
    expect(one([ok('a', 0, 50), ok('b', 0, 10)], [ok('a', 0, 40), ok('b', 0, 11)])).toEqual({ at: 10, row: 'b' });
    expect(one([ok('a', 0, 10), ok('b', 0, 10)], [ok('a', 0, 12), ok('b', 0, 12)])).toEqual({ at: 10, row: 'a' });
  });

  it('compares a row\'s calls in order of start', () => {
    const expected = [ok('tick', 0, 1), ok('tick', 100, 101)];
    expect(one(expected, [ok('tick', 100, 101), ok('tick', 0, 1)])).toBeUndefined();
    expect(one(expected, [ok('tick', 0, 1)])).toEqual({ at: 100, row: 'tick' });
  });
});

describe('the module', () => {
  it('imports nothing but types, and touches no clock, randomness or I/O', () => {
    const source = readFileSync(new URL('../report/timeline.ts', import.meta.url), 'utf8');
    const imports = source.match(/^\s*(import|export)\b[^;]*\bfrom\s+['"][^'"]+['"]/gm) ?? [];
    for (const statement of imports) expect(statement).toMatch(/^\s*(import|export)\s+type\b/);
    expect(source).not.toMatch(/\bimport\s*\(|\brequire\s*\(/);
    expect(source).not.toMatch(/\b(Date|Math\.random|process|console|performance)\b/);
  });
});

const POOL = `expected   0         20        40        60        80
           |         |         |         |         |
call 1     =====✓
call 2     ==========✓
call 3     .....===============✓
call 4     ..........===============✓

your code  0         20        40        60        80
           |         |         |         |         |
call 1     =====✓
call 2     ==========✓
call 3     .........................===============✓
call 4     .........................===============✓
                ^
first difference: call 3 at 10 ms (expected to start at 10 ms, started at 50 ms)

one character = 2 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending`;

const RETRY = `expected   0         2000      4000      6000
           |         |         |         |
attempt 1  ✗
attempt 2  .....✗
attempt 3  ...............✗
attempt 4  ...................................✓

your code  0         2000      4000      6000
           |         |         |         |
attempt 1  ✗
attempt 2  .....✗
attempt 3  ..........✗
attempt 4  ...............✓
                     ^
first difference: attempt 3 at 2000 ms (expected to start at 3000 ms, started at
  2000 ms)

one character = 200 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending`;

const DEBOUNCE = `expected   0         100       200       300
           |         |         |         |
fn #1      .........................==✓
fn #2      (not called)

your code  0         100       200       300
           |         |         |         |
fn #1      .........................==✓
fn #2      ...................................==✓
                                              ^
first difference: fn #2 at 350 ms (started at 350 ms, not expected)

one character = 10 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending`;

const LONG = `expected         2000      2500      3000      3500      4000      4500
                 |         |         |         |         |         |         |
request page 1  «
request page 2  «
request page 3  «
request page 4  «
request page 5   =====✓
request page 6   ..........=====✓
request page 7   ....................=====✓
request page 8   ..............................=====✓
request page 9   ........................................=====✓
request page 10  ..................................................=====✓
request page 11  ............................................................==»
request page 12  ..............................................................»
request page 13  ..............................................................»
request page 14  ..............................................................»
request page 15  ..............................................................»
request page 16  ..............................................................»

your code        2000      2500      3000      3500      4000      4500
                 |         |         |         |         |         |         |
request page 1  «
request page 2  «
request page 3  «
request page 4  «
request page 5   =====✓
request page 6   ..........=====✓
request page 7   .....................=====✓
request page 8   ..............................=====✓
request page 9   ........................................======================»
request page 10  ..................................................==✗
request page 11  ............................................................==»
request page 12  ..............................................................»
request page 13  ..............................................................»
request page 14  ..............................................................»
request page 15  ..............................................................»
request page 16  ..............................................................»
                                     ^
first difference: request page 7 at 3000 ms (expected to start at 3000 ms,
  started at 3050 ms)

one character = 50 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending
showing 2000 to 5100 ms of a run from 0 to 7850 ms; « more before, » more after`;

const AGREE = `expected   0         10        20        30        40        50
           |         |         |         |         |         |
call 1     ==========✓
call 2     ====================✓
call 3     ..........==============================✓
call 4     ....................==============================✓

your code  0         10        20        30        40        50
           |         |         |         |         |         |
call 1     ==========✓
call 2     ====================✓
call 3     ..........==============================✓
call 4     ....................==============================✓
the two timelines agree

one character = 1 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending`;

const LONG_LABELS = `expected          0         50
                  |         |
request page 1…   ========✓
request page 2…   ........========✓

your code         0         50
                  |         |
request page 1…   ========✓
request page 2…   ........====✗
                              ^
first difference: request page 2 of the archive at 60 ms (expected to settle at
  80 ms, settled at 60 ms)

one character = 5 ms; the scale is in ms
. not started, = running, ✓ fulfilled, ✗ rejected, … still pending`;
