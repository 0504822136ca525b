/**
 * One learner's feedback as a Markdown file: the human report (grader/report/human.ts) without a
 * terminal, for an instructor to hand back.
 */
import type { Course } from '../course/manifest.ts';
import { nextStep } from '../report/next-step.ts';
import { printedExcerpt } from '../report/printed.ts';
import type { ExerciseReport, GradeReport, ScoredTest } from '../report/types.ts';

/** Of what the learner's code printed, show this many lines, as the human report does. */
const OUTPUT_LINES = 8;

/** The Markdown that can act in the middle of a line, escaped, so a learner id such as `ann_*_b` reads as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, '\\$&');
}

/** A fenced block that no run of backticks inside `text` can close early. */
export function fenced(text: string, indent = ''): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...text.split('\n'), fence].map((line) => (line === '' ? line : indent + line));
}

function printed(output: string | undefined, indent: string): string[] {
  const excerpt = printedExcerpt(output, { lines: OUTPUT_LINES });
  if (excerpt.length === 0) return [];
  return ['', `${indent}Your code printed:`, '', ...fenced(excerpt.join('\n'), indent)];
}

function behaviour(test: ScoredTest, previous: ScoredTest | undefined): string[] {
  const score = `(${test.points}/${test.worth})`;
  if (test.status === 'pass') return [`- ✓ ${test.name} ${score}`];
  // As in the human report: a stub's behaviours say so on their line, without a block of repeated text each.
  if (test.kind === 'not-implemented') return [`- ✗ ${test.name} ${score} — not implemented yet`];
  // Likewise every behaviour a hung exercise never ran: the same words once, not thirty times.
  if (test.message && previous?.status !== 'pass' && previous?.kind !== 'not-implemented' && previous?.message === test.message) {
    return [`- ✗ ${test.name} ${score} — the same as above`];
  }
  const lines = [`- ✗ ${test.name} ${score}`];
  if (test.message) lines.push('', ...fenced(test.message, '  '));
  lines.push(...printed(test.output, '  '));
  return lines;
}

const VERDICT = { pass: 'passed', fail: 'not yet', error: 'could not be graded' } as const;

function exerciseSection(result: ExerciseReport, course: Course): string[] {
  const exercise = course.exercises.find((e) => e.id === result.id);
  const lines = [`## ${result.id}${exercise ? ` — ${exercise.title}` : ''}`, ''];
  const passed = result.tests.filter((test) => test.status === 'pass').length;
  const counted = result.tests.length > 0 ? ` · ${passed} of ${result.tests.length} behaviours pass` : '';
  lines.push(`**${VERDICT[result.status]}** · ${result.points}/${result.maxPoints} points${counted}`);
  if (result.status === 'error') lines.push('', 'Your file could not be graded:', '', ...fenced(result.message ?? 'error'));
  if (result.status !== 'pass') lines.push(...printed(result.output, ''));
  let task: string | undefined;
  result.tests.forEach((test, index) => {
    if (test.task !== task) {
      task = test.task;
      if (task) lines.push('', `### ${task}`);
      lines.push('');
    }
    lines.push(...behaviour(test, result.tests[index - 1]));
  });
  return [...lines, ''];
}

export function formatFeedback(learner: string, report: GradeReport, course: Course): string {
  const lines = [
    `# ${course.title} — feedback for ${escapeMarkdown(learner)}`,
    '',
    `**Total: ${report.points}/${report.maxPoints} points**`,
    '',
    ...report.exercises.flatMap((result) => exerciseSection(result, course)),
    // No files map: the next step names each file where the learner keeps it in the course, exercises/NN-id/id.ts.
    '## Next step',
    '',
    nextStep(report, { course, files: new Map() }),
  ];
  return lines.join('\n') + '\n';
}
