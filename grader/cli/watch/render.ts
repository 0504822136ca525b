/**
 * What `watch` shows after each save, as text: one thing to fix at a time.
 * The first behaviour that does not pass, in full (expected, received, hint),
 * and how many more there are; or the error that stopped grading; or, when
 * everything passes, what comes next. Pure: no streams, no clock.
 */
import type { Exercise } from '../../course/manifest.ts';
import { printedExcerpt } from '../../report/printed.ts';
import type { ExerciseReport, ScoredTest } from '../../report/types.ts';
import type { Style } from '../style.ts';

/** Clear the screen and the scrollback, cursor home: only ever written to a terminal. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';
/** Between two results in a pipe or a log file, where the screen cannot be cleared. */
export const SEPARATOR = '─'.repeat(60);
const OUTPUT_LINES = 5;

export function watchCommand(id: string): string {
  return `npm run grader -- watch ${id}`;
}

export interface ResultView {
  exercise: Exercise;
  /** The watched file, as the learner knows it. */
  file: string;
  report: ExerciseReport;
  /** When it passes: the exercise to do next (undefined: the course is finished). */
  next?: Exercise;
  /** Local time of the grading, "14:03:27". */
  time: string;
  style: Style;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function printed(output: string | undefined, style: Style): string[] {
  const excerpt = printedExcerpt(output, { lines: OUTPUT_LINES, width: 160 });
  if (excerpt.length === 0) return [];
  return [style.dim('    your code printed:'), ...excerpt.map((line) => style.dim(`      | ${line}`))];
}

function failureBlock(test: ScoredTest, style: Style): string[] {
  const mark = test.status === 'error' ? style.yellow('!') : style.red('✗');
  const where = test.task ? `${style.cyan(test.task)}: ` : '';
  return [
    `${mark} ${where}${style.bold(test.name)}  ${style.dim(`0/${test.worth}`)}`,
    ...(test.message ? [indent(test.message, '    ')] : []),
    ...printed(test.output, style),
  ];
}

function heading({ exercise, file, time, style }: ResultView): string[] {
  return [style.bold(`${exercise.id} — ${exercise.title}`), style.dim(`${file} · graded at ${time}`), ''];
}

function passView(view: ResultView): string[] {
  const { report, next, style } = view;
  const lines = [
    `${style.green('✓')} ${style.green.bold(`${report.id} passes`)}: ${report.points}/${report.maxPoints} points, all ${plural(report.tests.length, 'behaviour')}.`,
    '',
  ];
  if (next) {
    lines.push(`${style.bold('Next:')} ${next.id} — ${next.title}.`);
    lines.push(`  Read ${next.lesson}, then watch it: ${style.bold(watchCommand(next.id))}`);
    lines.push(style.dim('  (Ctrl+C first to stop watching this one.)'));
  } else {
    lines.push('Every exercise passes: you have finished the course. The reference solutions in solutions/ are yours to compare with.');
  }
  return lines;
}

function errorView({ report, file, style }: ResultView): string[] {
  return [
    `${style.yellow('!')} ${style.yellow(`${file} could not be graded:`)}`,
    indent(report.message ?? 'unknown error', '    '),
    ...printed(report.output, style),
    '',
    `Fix it and save: the grader is still watching.`,
  ];
}

function failView({ report, style }: ResultView): string[] {
  const failing = report.tests.filter((test) => test.status !== 'pass');
  const first = failing[0];
  const passed = report.tests.length - failing.length;
  const rest = failing.length - 1;
  const lines = first ? failureBlock(first, style) : [];
  lines.push('');
  lines.push(
    `${style.bold(`${report.points}/${report.maxPoints} points`)} · ${passed} of ${plural(report.tests.length, 'behaviour')} pass` +
      (rest > 0 ? ` · ${plural(rest, 'more behaviour')} to fix after this one` : ' · this is the last one to fix'),
  );
  return lines;
}

/** The whole view for one result, ending with a newline. */
export function renderResult(view: ResultView): string {
  const body =
    view.report.status === 'pass' ? passView(view) : view.report.status === 'error' ? errorView(view) : failView(view);
  const footer = view.style.dim(`Watching ${view.file}: save it to grade again. Ctrl+C to stop.`);
  return [...heading(view), ...body, '', footer].join('\n') + '\n';
}

/** A result as written to the stream: the screen cleared first on a terminal, a separator line in a pipe. */
export function frame(text: string, terminal: boolean): string {
  return terminal ? CLEAR_SCREEN + text : `${SEPARATOR}\n${text}`;
}

/** A run has started (under the previous result on a terminal; a line of the log in a pipe). */
export function renderGrading(file: string, style: Style): string {
  return style.dim(`… ${file} changed, grading`) + '\n';
}
