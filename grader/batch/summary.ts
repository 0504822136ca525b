/** The few lines `batch` prints when it is done: how the class did and where the files are. */
import { join } from 'node:path';
import { classStats, mostMissed, percent, type ClassStats } from './class-stats.ts';
import type { GradedLearner } from './gradebook.ts';

/** Learners named in the summary line about errors; the rest are counted. */
const NAMED = 10;
/** How many of the most-missed behaviours the summary lists (report.html lists more). */
export const MOST_MISSED_SHOWN = 5;

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

/** `Learners who passed each exercise: delay 2/5 (40%), once 3/5 (60%).` */
function passRates(stats: ClassStats): string {
  const rates = stats.exercises.map(({ id, passed }) => `${id} ${passed}/${stats.learners} (${percent(passed, stats.learners)}%)`);
  return `Learners who passed each exercise: ${rates.join(', ')}.`;
}

function mostMissedLines(stats: ClassStats): string[] {
  const missed = mostMissed(stats, MOST_MISSED_SHOWN);
  if (missed.length === 0) return ['Most-missed behaviours: none; every learner passed every behaviour.'];
  return [
    `The ${plural(missed.length, 'most-missed behaviour')}:`,
    ...missed.map(({ exercise, name, missed: count }) => `  ${exercise}: ${name} (missed by ${count} of ${stats.learners})`),
  ];
}

export function formatSummary({ learners, seconds, out, movedTo }: SummaryFacts): string {
  const stats = classStats(learners);
  const { averagePoints: average, maxPoints: max } = stats;
  const share = max > 0 ? ` (${percent(average, max)}%)` : '';
  const lines = [
    `Graded ${plural(learners.length, 'learner')} in ${seconds.toFixed(1)} s. ` +
      `Class average: ${average.toFixed(1)}/${max} points${share}.`,
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
  lines.push(passRates(stats), ...mostMissedLines(stats));
  if (movedTo !== undefined) lines.push(`The earlier results in ${out} were moved to ${movedTo}.`);
  lines.push(
    `Gradebook: ${join(out, 'gradebook.csv')} and ${join(out, 'gradebook.json')}; ` +
      `feedback for each learner: ${join(out, 'feedback', '<learner>.md')}; class report: ${join(out, 'report.html')}`,
  );
  return lines.join('\n') + '\n';
}
