/**
 * Timelines for the learner's feedback: the suite's expected timeline and the
 * learner's actual one, drawn one above the other in the lessons' notation
 * (lessons/01-pool.md, lessons/03-retry.md), with the first difference marked.
 * Pure: no I/O, no clock, no randomness, no imports. The data (for --json) is
 * the `Timeline` itself; this module only draws it.
 *
 * The picture, top to bottom:
 *
 *     expected   0         10        20          <- the scale: time (ms) above a tick
 *                |         |         |           <- a tick every 10 columns
 *     call 1     =====✓                          <- one row per call, one column per step
 *     call 2     ..........=====✓
 *     call 3     (not called)
 *
 *     your code  0         10        20
 *                |         |         |
 *     call 1     =====✓
 *     call 2     ...............=====✗
 *     call 3     ..................===…
 *                          ^                     <- under the first difference's column
 *     first difference: call 2 at 10 ms (expected to start at 10 ms, started at 15 ms)
 *
 *     one character = 1 ms; the scale is in ms
 *     . not started, = running, ✓ fulfilled, ✗ rejected, … still pending
 *
 * Rules:
 * - Columns. Column c covers [c·step, (c+1)·step) ms; a time t is in column floor(t / step).
 *   The run spans columns 0 to the column of the latest start or end in either timeline,
 *   plus one more column when any call is still pending.
 * - Rows. Both blocks have the same rows in the same order: the rows of `expected` by first
 *   start (ties: their order in the array), then the rows only in `actual`, by first start.
 *   The label column is as wide as the longest label, at least 9 ("your code") and at most
 *   16 characters; a longer label is cut to 15 (less its trailing spaces) and ends with "…". Every block line starts
 *   with that column, a space, then a one-character gutter, then the grid.
 * - Cells. `.` before the row's first start; each span is `=` from its start column up to
 *   its end column and `✓` (fulfilled, also when the outcome is missing) or `✗` (rejected)
 *   at its end column; a pending span is `=` up to the run's last column, which holds `…`.
 *   A later span of the same row overwrites an earlier one. Nothing after the row settles.
 *   A row with no span in a block reads "(not called)".
 * - Scale. A tick `|` at every column that is a multiple of 10 (absolute, so a window's
 *   ticks are round times), the tick's time in ms above it when it fits in the width.
 * - Step. `timeline.stepMs` when given (and a positive finite number). Otherwise the
 *   smallest of 1, 2, 5, 10, 20, 50, 100, … ms at which the whole run fits the width; but
 *   if at that step the first difference would not show (its expected and actual times fall
 *   in the same column), the largest smaller step of the series at which it shows.
 * - Window. When the run has more columns than fit, only a window of it is drawn: the
 *   window starts at a tick, about a quarter of its width before the first difference (at 0
 *   when the timelines agree), moved left if it would pass the run's end. A row with a span
 *   starting before the window gets `«` in its left gutter; a row with something after it
 *   gets `»` after its last column. The window is as wide as the width allows; a line under
 *   the legend says its range in ms.
 * - Difference. `firstDifference` compares the two timelines row by row, span by span
 *   (by start), each time t read as floor(t / r) with r = `stepMs` or 1 ms: a span in one
 *   and not the other differs at its start; otherwise its start, then its end (or pending),
 *   then its outcome. The difference is the one at the earliest time (the earlier of the two
 *   times that differ); ties go to the row drawn first. The renderer puts `^` under its
 *   column, under the "your code" block, and says it in words on the line(s) below; when
 *   the timelines agree there is no marker, a line says they agree.
 * - Legend. Once, under the picture: "one character = N ms; the scale is in ms", then
 *   ". not started, = running, ✓ fulfilled, ✗ rejected, … still pending".
 * - Width. Every line is at most `options.width` (default 80, at least 40) characters,
 *   counted in code points (each character used here is one terminal column wide; labels
 *   with wide characters are the caller's concern). Sentences wrap at spaces, continuation
 *   lines indented by two. No trailing spaces, no trailing newline, no colour.
 */

/** One call over time, on the fake clock (ms since the behaviour started). */
export interface Span {
  /** Which row: the call's label as the learner knows it, e.g. "call 3", "fn #2", "request page 2". */
  row: string;
  start: number;
  /** When it settled; undefined: still pending when the behaviour ended. */
  end?: number;
  /** How it settled (absent while pending). */
  outcome?: 'fulfilled' | 'rejected';
}

export interface Timeline {
  /** Ms per column; when absent, chosen so the whole picture (or the window) fits: 1, 2, 5, 10, 20, 50, 100, ... */
  stepMs?: number;
  expected: Span[];
  actual: Span[];
}

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;
const MIN_LABEL = 9; // "your code", "expected"
const MAX_LABEL = 16;
const TICK_EVERY = 10; // columns

const RUNNING = '=';
const FULFILLED = '✓';
const REJECTED = '✗';
const PENDING = '…';
const NOT_STARTED = '.';
const CUT_BEFORE = '«';
const CUT_AFTER = '»';
const NOT_CALLED = '(not called)';

interface Difference {
  at: number;
  row: string;
  /** In words, after "first difference: ROW at AT ms". */
  detail: string;
  /** The two times that differ, when both exist: the step must put them in different columns. */
  pair?: [number, number];
}

/** Length in code points (every character drawn here is one column wide). */
const len = (text: string): number => [...text].length;

/** A number of ms as written in the picture: at most three decimals, no exponent noise. */
const ms = (n: number): string => String(Math.round(n * 1000) / 1000);

const validStep = (stepMs: number | undefined): number | undefined =>
  stepMs !== undefined && Number.isFinite(stepMs) && stepMs > 0 ? stepMs : undefined;

/** Each row's spans, sorted by start (stable), rows in order of first appearance. */
function byRow(spans: readonly Span[]): Map<string, Span[]> {
  const rows = new Map<string, Span[]>();
  for (const span of spans) {
    const list = rows.get(span.row);
    if (list) list.push(span);
    else rows.set(span.row, [span]);
  }
  for (const list of rows.values()) list.sort((a, b) => a.start - b.start);
  return rows;
}

/** Rows by first start (ties: order of appearance), as a list. */
function orderedRows(rows: Map<string, Span[]>): string[] {
  return [...rows.entries()]
    .map(([row, spans], index) => ({ row, first: spans[0]?.start ?? 0, index }))
    .sort((a, b) => a.first - b.first || a.index - b.index)
    .map((entry) => entry.row);
}

/** The rows of both timelines: expected's by first start, then actual-only ones by first start. */
function rowOrder(expected: Map<string, Span[]>, actual: Map<string, Span[]>): string[] {
  const rows = orderedRows(expected);
  for (const row of orderedRows(actual)) if (!expected.has(row)) rows.push(row);
  return rows;
}

const outcomeOf = (span: Span): 'fulfilled' | 'rejected' => span.outcome ?? 'fulfilled';

/** How one pair of spans (same row, same index) differs, if it does, at resolution r. */
function spanDifference(row: string, e: Span | undefined, a: Span | undefined, r: number): Difference | undefined {
  const q = (t: number): number => Math.floor(t / r);
  if (e === undefined && a === undefined) return undefined;
  if (a === undefined) {
    return { at: e!.start, row, detail: `expected to start at ${ms(e!.start)} ms, never started` };
  }
  if (e === undefined) {
    return { at: a.start, row, detail: `started at ${ms(a.start)} ms, not expected` };
  }
  if (q(e.start) !== q(a.start)) {
    return {
      at: Math.min(e.start, a.start),
      row,
      detail: `expected to start at ${ms(e.start)} ms, started at ${ms(a.start)} ms`,
      pair: [e.start, a.start],
    };
  }
  if (e.end !== undefined && a.end === undefined) {
    return { at: e.end, row, detail: `expected to settle at ${ms(e.end)} ms, still pending` };
  }
  if (e.end === undefined && a.end !== undefined) {
    return { at: a.end, row, detail: `expected to stay pending, settled at ${ms(a.end)} ms` };
  }
  if (e.end !== undefined && a.end !== undefined) {
    if (q(e.end) !== q(a.end)) {
      return {
        at: Math.min(e.end, a.end),
        row,
        detail: `expected to settle at ${ms(e.end)} ms, settled at ${ms(a.end)} ms`,
        pair: [e.end, a.end],
      };
    }
    if (outcomeOf(e) !== outcomeOf(a)) {
      return { at: Math.min(e.end, a.end), row, detail: `expected to be ${outcomeOf(e)}, was ${outcomeOf(a)}` };
    }
  }
  return undefined;
}

function findDifference(timeline: Timeline, resolution: number): Difference | undefined {
  const expected = byRow(timeline.expected);
  const actual = byRow(timeline.actual);
  let first: Difference | undefined;
  for (const row of rowOrder(expected, actual)) {
    const e = expected.get(row) ?? [];
    const a = actual.get(row) ?? [];
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      const difference = spanDifference(row, e[i], a[i], resolution);
      if (difference && (first === undefined || difference.at < first.at)) first = difference;
    }
  }
  return first;
}

/** The first moment (ms) where expected and actual differ (a row present in one and not the other, or a start/end/outcome that differs, compared at the step's resolution), or undefined when they agree. */
export function firstDifference(timeline: Timeline): { at: number; row: string } | undefined {
  const difference = findDifference(timeline, validStep(timeline.stepMs) ?? 1);
  return difference && { at: difference.at, row: difference.row };
}

/** 1, 2, 5, 10, 20, 50, … up to 5e15 ms. */
const STEPS: readonly number[] = Array.from({ length: 48 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3));

/** Greedy wrap of units joined by spaces; continuation lines indented by two; an overlong unit is cut. */
function wrap(units: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const unit of units) {
    const candidate = line === '' ? unit : `${line} ${unit}`;
    if (len(candidate) <= width || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = `  ${unit}`;
    }
    while (len(line) > width) {
      const chars = [...line];
      lines.push(chars.slice(0, width).join(''));
      line = `  ${chars.slice(width).join('')}`;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

const words = (sentence: string): string[] => sentence.split(' ');

function fitLabel(label: string, width: number): string {
  const chars = [...label];
  const cut = chars.length > width ? [...chars.slice(0, width - 1).join('').trimEnd(), '…'] : chars;
  return cut.join('') + ' '.repeat(width - cut.length);
}

/** This draws it. */
export function renderTimeline(timeline: Timeline, options?: { width?: number }): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options?.width ?? DEFAULT_WIDTH));
  const expected = byRow(timeline.expected);
  const actual = byRow(timeline.actual);
  const rows = rowOrder(expected, actual);
  const labelWidth = Math.min(MAX_LABEL, rows.reduce((widest, row) => Math.max(widest, len(row)), MIN_LABEL));
  // label, space, gutter, grid, gutter
  const gridRoom = width - labelWidth - 3;

  const given = validStep(timeline.stepMs);
  const difference = findDifference(timeline, given ?? 1);
  const all = [...timeline.expected, ...timeline.actual];
  const lastTime = all.reduce((last, span) => Math.max(last, span.start, span.end ?? span.start), 0);
  const anyPending = all.some((span) => span.end === undefined);
  const columnsAt = (step: number): number => Math.floor(lastTime / step) + 1 + (anyPending ? 1 : 0);

  let step = given ?? STEPS.find((s) => columnsAt(s) <= gridRoom) ?? STEPS[STEPS.length - 1]!;
  if (given === undefined && difference?.pair) {
    const [x, y] = difference.pair;
    const shows = (s: number): boolean => Math.floor(x / s) !== Math.floor(y / s);
    if (!shows(step)) step = [...STEPS.filter((s) => s < step)].reverse().find(shows) ?? 1;
  }
  const col = (t: number): number => Math.floor(Math.max(0, t) / step);
  const total = columnsAt(step);

  // The window: [from, from + columns) of the run's columns.
  let from = 0;
  let columns = total;
  if (total > gridRoom) {
    columns = gridRoom;
    if (difference) {
      const target = col(difference.at) - Math.floor(columns / 4);
      from = Math.max(0, Math.floor(target / TICK_EVERY) * TICK_EVERY);
      if (from + columns > total) {
        from = Math.max(0, Math.ceil((total - columns) / TICK_EVERY) * TICK_EVERY);
        columns = Math.min(columns, total - from);
      }
    }
  }
  const to = from + columns;
  const cutLeft = from > 0;
  const cutRight = to < total;

  const pad = ' '.repeat(labelWidth + 1);

  function scale(heading: string): string[] {
    const labels: string[] = [...fitLabel(heading, labelWidth) + '  '];
    const ticks: string[] = [...pad, ' '];
    let free = labels.length; // first position a time label may use
    for (let c = from; c < to; c++) {
      const tick = c % TICK_EVERY === 0;
      ticks.push(tick ? '|' : ' ');
      if (!tick) continue;
      const at = labelWidth + 2 + (c - from);
      const text = ms(c * step);
      if (at < free || at + len(text) > width) continue;
      while (labels.length < at) labels.push(' ');
      labels.push(...text);
      free = at + len(text) + 1;
    }
    return [labels.join('').trimEnd(), ticks.join('').trimEnd()];
  }

  function rowLine(row: string, spans: readonly Span[] | undefined): string {
    const label = fitLabel(row, labelWidth);
    if (spans === undefined || spans.length === 0) {
      return `${label}  ${[...NOT_CALLED].slice(0, gridRoom).join('')}`;
    }
    const cells: string[] = Array.from({ length: columns }, () => ' ');
    const put = (c: number, char: string): void => {
      if (c >= from && c < to) cells[c - from] = char;
    };
    for (let c = from; c < Math.min(to, col(spans[0]!.start)); c++) put(c, NOT_STARTED);
    let before = false;
    let after = false;
    for (const span of spans) {
      const start = col(span.start);
      const end = span.end === undefined ? total - 1 : col(span.end);
      const last = span.end === undefined ? PENDING : outcomeOf(span) === 'rejected' ? REJECTED : FULFILLED;
      for (let c = Math.max(start, from); c < Math.min(end, to); c++) put(c, RUNNING);
      put(end, last);
      if (start < from) before = true;
      if (end >= to) after = true;
    }
    const left = cutLeft && before ? CUT_BEFORE : ' ';
    const right = cutRight && after ? CUT_AFTER : '';
    return `${label} ${left}${cells.join('')}${right}`.trimEnd();
  }

  function block(heading: string, spans: Map<string, Span[]>): string[] {
    return [...scale(heading), ...rows.map((row) => rowLine(row, spans.get(row)))];
  }

  const lines = [...block('expected', expected), '', ...block('your code', actual)];
  if (difference) {
    lines.push(`${pad} ${' '.repeat(col(difference.at) - from)}^`);
    lines.push(...wrap(words(`first difference: ${difference.row} at ${ms(difference.at)} ms (${difference.detail})`), width));
  } else {
    lines.push(...wrap(words('the two timelines agree'), width));
  }
  lines.push('');
  lines.push(...wrap(words(`one character = ${ms(step)} ms; the scale is in ms`), width));
  lines.push(
    ...wrap(
      [
        `${NOT_STARTED} not started,`,
        `${RUNNING} running,`,
        `${FULFILLED} fulfilled,`,
        `${REJECTED} rejected,`,
        `${PENDING} still pending`,
      ],
      width,
    ),
  );
  if (cutLeft || cutRight) {
    const marks = [cutLeft ? `${CUT_BEFORE} more before` : '', cutRight ? `${CUT_AFTER} more after` : ''].filter(Boolean).join(', ');
    lines.push(
      ...wrap(words(`showing ${ms(from * step)} to ${ms(to * step)} ms of a run from 0 to ${ms(total * step)} ms; ${marks}`), width),
    );
  }
  return lines.join('\n');
}
