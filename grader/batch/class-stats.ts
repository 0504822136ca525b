/**
 * How a class did, counted from its reports: each exercise's pass rate and score distribution, each
 * behaviour's pass rate and its most common hint. Pure; shared by the terminal summary and report.html.
 */
import type { GradedLearner } from './gradebook.ts';

export interface BehaviourStats {
  exercise: string;
  task: string;
  name: string;
  /** Learners who passed it. */
  passed: number;
  /** Learners who did not: a failure, or an exercise that could not be graded. */
  missed: number;
  /** The most common `hint:` line of its failure messages, or undefined when none has one. */
  hint: string | undefined;
}

export interface ScoreBin {
  /** What the bin holds, as a reader sees it: `3` (points) or `50–59%`. */
  label: string;
  count: number;
}

export interface ExerciseStats {
  id: string;
  maxPoints: number;
  /** Learners whose exercise passed (every behaviour), and whose could not be graded. */
  passed: number;
  errors: number;
  averagePoints: number;
  distribution: ScoreBin[];
  behaviours: BehaviourStats[];
}

export interface ClassStats {
  learners: number;
  maxPoints: number;
  averagePoints: number;
  /** Learners with at least one exercise that could not be graded. */
  withErrors: number;
  exercises: ExerciseStats[];
}

/** An exercise worth this many points or fewer gets one bin per number of points; more, bins of ten percent. */
export const POINT_BINS_UP_TO = 10;

/** `n` as a whole percent of `of` (0 when `of` is 0). */
export function percent(n: number, of: number): number {
  return of > 0 ? Math.round((n / of) * 100) : 0;
}

/** The bins of a score histogram for an exercise worth `max` points: their labels, in order. */
export function binLabels(max: number): string[] {
  if (max <= POINT_BINS_UP_TO) return Array.from({ length: max + 1 }, (_, points) => String(points));
  return [...Array.from({ length: 10 }, (_, band) => `${band * 10}–${band * 10 + 9}%`), '100%'];
}

/** Which bin of `binLabels(max)` a score of `points` falls in. */
export function binOf(points: number, max: number): number {
  if (max <= POINT_BINS_UP_TO) return Math.min(Math.max(0, points), max);
  if (points >= max) return 10;
  return Math.min(9, Math.max(0, Math.floor((points * 10) / max)));
}

export function distribution(scores: number[], max: number): ScoreBin[] {
  const bins = binLabels(max).map((label) => ({ label, count: 0 }));
  for (const points of scores) bins[binOf(points, max)]!.count++;
  return bins;
}

/** The `hint:` line of a failure message ("expected: …\nbut got: …\nhint: …"), trimmed; undefined without one. */
export function hintOf(message: string | undefined): string | undefined {
  for (const line of (message ?? '').split('\n')) {
    const match = /^hint:\s*(.*)$/.exec(line);
    if (match && match[1]!.trim() !== '') return match[1]!.trim();
  }
  return undefined;
}

/** The most common of `items`; a tie goes to the one seen first. */
export function mostCommon(items: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  let best: string | undefined;
  for (const [item, count] of counts) if (best === undefined || count > counts.get(best)!) best = item;
  return best;
}

/**
 * Every behaviour of one exercise that any learner's report names, in the order the reports list them
 * (a learner whose exercise could not be graded may name none).
 */
function behavioursOf(learners: GradedLearner[], exerciseId: string): BehaviourStats[] {
  const seen = new Map<string, { task: string; hints: string[]; passed: number }>();
  for (const { report } of learners) {
    const result = report.exercises.find((exercise) => exercise.id === exerciseId);
    for (const test of result?.tests ?? []) {
      const entry = seen.get(test.name) ?? { task: test.task, hints: [], passed: 0 };
      seen.set(test.name, entry);
      if (test.status === 'pass') entry.passed++;
      else {
        const hint = hintOf(test.message);
        if (hint !== undefined) entry.hints.push(hint);
      }
    }
  }
  return [...seen].map(([name, { task, hints, passed }]) => ({
    exercise: exerciseId,
    task,
    name,
    passed,
    missed: learners.length - passed,
    hint: mostCommon(hints),
  }));
}

function exerciseStats(learners: GradedLearner[], id: string, maxPoints: number): ExerciseStats {
  const results = learners.map(({ report }) => report.exercises.find((exercise) => exercise.id === id));
  const scores = results.map((result) => result?.points ?? 0);
  return {
    id,
    maxPoints,
    passed: results.filter((result) => result?.status === 'pass').length,
    errors: results.filter((result) => result === undefined || result.status === 'error').length,
    averagePoints: scores.reduce((total, points) => total + points, 0) / Math.max(1, learners.length),
    distribution: distribution(scores, maxPoints),
    behaviours: behavioursOf(learners, id),
  };
}

/** The class's numbers; the exercises are those of the first learner's report (every report has the whole course). */
export function classStats(learners: GradedLearner[]): ClassStats {
  const first = learners[0]?.report;
  return {
    learners: learners.length,
    maxPoints: first?.maxPoints ?? 0,
    averagePoints: learners.reduce((total, { report }) => total + report.points, 0) / Math.max(1, learners.length),
    withErrors: learners.filter(({ report }) => report.status === 'error').length,
    exercises: (first?.exercises ?? []).map((exercise) => exerciseStats(learners, exercise.id, exercise.maxPoints)),
  };
}

/** The behaviours most learners missed, most first; a tie keeps course order. Behaviours nobody missed are left out. */
export function mostMissed(stats: ClassStats, count: number): BehaviourStats[] {
  return stats.exercises
    .flatMap((exercise) => exercise.behaviours)
    .filter((behaviour) => behaviour.missed > 0)
    .sort((a, b) => b.missed - a.missed)
    .slice(0, count);
}
