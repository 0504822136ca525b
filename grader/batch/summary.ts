/** The few lines `batch` prints when it is done: how the class did and where the files are. */
import { join } from 'node:path';
import type { GradedLearner } from './gradebook.ts';

/** Learners named in the summary line about errors; the rest are counted. */
const NAMED = 10;

export interface SummaryFacts {
  learners: GradedLearner[];
  seconds: number;
  /** The output folder and an earlier gradebook's new place, as the instructor knows them. */
  out: string;
  movedTo?: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatSummary({ learners, seconds, out, movedTo }: SummaryFacts): string {
  const max = learners[0]?.report.maxPoints ?? 0;
  const average = learners.reduce((total, { report }) => total + report.points, 0) / Math.max(1, learners.length);
  const percent = max > 0 ? ` (${Math.round((average / max) * 100)}%)` : '';
  const lines = [
    `Graded ${plural(learners.length, 'learner')} in ${seconds.toFixed(1)} s. ` +
      `Class average: ${average.toFixed(1)}/${max} points${percent}.`,
  ];
  const errors = learners.filter(({ report }) => report.status === 'error').map(({ id }) => id);
  if (errors.length === 0) lines.push('No learner has an exercise that could not be graded.');
  else {
    const more = errors.length > NAMED ? ` and ${errors.length - NAMED} more` : '';
    lines.push(
      `${plural(errors.length, 'learner')} ${errors.length === 1 ? 'has' : 'have'} an exercise that could not be graded ` +
        `(error, 0 points): ${errors.slice(0, NAMED).join(', ')}${more}.`,
    );
  }
  if (movedTo !== undefined) lines.push(`The earlier results in ${out} were moved to ${movedTo}.`);
  lines.push(
    `Gradebook: ${join(out, 'gradebook.csv')} and ${join(out, 'gradebook.json')}; ` +
      `feedback for each learner: ${join(out, 'feedback', '<learner>.md')}`,
  );
  return lines.join('\n') + '\n';
}
