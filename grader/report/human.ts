/**
 * The report for a person, in the spirit of check50: one line per behaviour
 * with ✓ or ✗ and its points, what was expected and what happened under each
 * failure, then the points and one next step.
 */
import type { Course } from '../course/manifest.ts';
import type { Style } from '../cli/style.ts';
import { nextStep } from './next-step.ts';
import { printedExcerpt } from './printed.ts';
import type { ExerciseReport, GradeReport, ScoredTest } from './types.ts';

export interface HumanContext {
  course: Course;
  files: Map<string, string>;
  style: Style;
  /** What was graded, for the heading: "exercises/", "workspace submissions/ann". */
  source: string;
}

const INDENT = '    ';
/** Of what the learner's code printed, the human report shows this many lines. */
const OUTPUT_LINES = 8;

/** What the learner's code printed, as a few dim lines under the behaviour it belongs to. */
function printedLines(output: string | undefined, style: Style, prefix: string): string[] {
  const excerpt = printedExcerpt(output, { lines: OUTPUT_LINES, width: 160 });
  if (excerpt.length === 0) return [];
  return [style.dim(`${prefix}your code printed:`), ...excerpt.map((line) => style.dim(`${prefix}  | ${line}`))];
}

function indentBlock(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function testLine(test: ScoredTest, style: Style): string[] {
  const score = style.dim(`${test.points}/${test.worth}`);
  if (test.status === 'pass') return [`${INDENT}${style.green('✓')} ${test.name}  ${score}`];
  const mark = test.status === 'error' ? style.yellow('!') : style.red('✗');
  const message = test.message ?? '';
  // "not implemented yet" is said on the line itself: no block of repeated text for a stub.
  if (test.kind === 'not-implemented') {
    return [`${INDENT}${mark} ${test.name}  ${score}  ${style.dim('— not implemented yet')}`];
  }
  const lines = [`${INDENT}${mark} ${test.name}  ${score}`];
  if (message) lines.push(style.dim(indentBlock(message, INDENT + '    ')));
  lines.push(...printedLines(test.output, style, INDENT + '    '));
  return lines;
}

function exerciseBlock(result: ExerciseReport, context: HumanContext): string[] {
  const { style } = context;
  const exercise = context.course.exercises.find((e) => e.id === result.id);
  const title = exercise ? ` — ${exercise.title}` : '';
  const lines = [style.bold(`${result.id}${title}`)];
  const file = context.files.get(result.id);
  if (file) lines.push(style.dim(`  ${file}`));
  if (result.status === 'error') {
    lines.push(`  ${style.yellow('!')} ${style.yellow('could not be graded:')} ${indentBlock(result.message ?? '', '    ').trimStart()}`);
  }
  if (result.status !== 'pass') lines.push(...printedLines(result.output, style, '    '));
  let task: string | undefined;
  for (const test of result.tests) {
    if (test.task !== task) {
      task = test.task;
      if (task) lines.push(`  ${style.cyan(task)}`);
    }
    lines.push(...testLine(test, style));
  }
  const passed = result.tests.filter((test) => test.status === 'pass').length;
  const verdict =
    result.status === 'pass' ? style.green('passed') : result.status === 'fail' ? style.red('not yet') : style.yellow('error');
  const counted = result.tests.length > 0 ? ` · ${passed} of ${result.tests.length} behaviours pass` : '';
  lines.push(`  ${style.bold(`${result.points}/${result.maxPoints} points`)}${counted} · ${verdict}`);
  return lines;
}

export function formatHuman(report: GradeReport, context: HumanContext): string {
  const { style } = context;
  const lines = [style.bold(`${context.course.title} — grading ${context.source}`), ''];
  for (const result of report.exercises) {
    lines.push(...exerciseBlock(result, context), '');
  }
  if (report.exercises.length > 1) {
    lines.push(style.bold(`Total: ${report.points}/${report.maxPoints} points`));
  }
  lines.push(`${style.bold('Next step:')} ${nextStep(report, context)}`);
  return lines.join('\n') + '\n';
}
