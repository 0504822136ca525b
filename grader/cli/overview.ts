/** The course at a glance: every exercise with its status and points, and the one next step. */
import { isLearnerEdition, type Course, type Exercise } from '../course/manifest.ts';
import { exerciseStatus, firstUnfinished, type ExerciseStatus } from '../progress/status.ts';
import type { Progress } from '../progress/store.ts';
import type { Style } from './style.ts';

export interface ExerciseRow {
  exercise: Exercise;
  number: string;
  status: ExerciseStatus;
  /** `20/35`, or `–/35` when never graded against the current suite. */
  points: string;
}

/** `exercises/01-pool/pool.ts` → `01`. */
export function exerciseNumber(exercise: Exercise): string {
  return /^exercises\/(\d+)-/.exec(exercise.stub)?.[1] ?? '';
}

export function pointsText(exercise: Exercise, progress: Progress): string {
  const entry = progress.exercises[exercise.id];
  const graded = entry?.lastGradedAt !== undefined && entry.maxPoints === exercise.points;
  return `${graded ? entry.bestPoints : '–'}/${exercise.points}`;
}

export function exerciseRows(course: Course, progress: Progress, root?: string): ExerciseRow[] {
  return course.exercises.map((exercise) => ({
    exercise,
    number: exerciseNumber(exercise),
    status: exerciseStatus(exercise, progress, root),
    points: pointsText(exercise, progress),
  }));
}

const MARKS: Record<ExerciseStatus, string> = { done: '✓', 'in progress': '●', 'not started': '○' };

export function statusMark(status: ExerciseStatus, style: Style): string {
  const mark = MARKS[status];
  return status === 'done' ? style.green(mark) : status === 'in progress' ? style.yellow(mark) : style.dim(mark);
}

export function formatRows(rows: ExerciseRow[], style: Style): string {
  const idWidth = Math.max(...rows.map((row) => row.exercise.id.length));
  const pointsWidth = Math.max(...rows.map((row) => row.points.length));
  return rows
    .map((row) => {
      const status = row.status.padEnd('not started'.length);
      return `  ${statusMark(row.status, style)} ${row.number.padStart(2)}  ${row.exercise.id.padEnd(idWidth)}  ${status}  ${row.points.padStart(pointsWidth)}  ${style.dim(row.exercise.title)}`;
    })
    .join('\n');
}

const grade = (id: string) => `npm run grade -- ${id}`;
const grader = (command: string) => `npm run grader -- ${command}`;

/** One sentence: what to do now. */
export function nextStepText(course: Course, progress: Progress, rows: ExerciseRow[]): string {
  const next = firstUnfinished(course, progress);
  if (next === undefined) {
    return isLearnerEdition(course)
      ? 'You have finished the course: every exercise passes. Well done.'
      : `You have finished the course: every exercise passes. Compare your code with the reference solutions: ${grader(`solution ${course.exercises[0]!.id}`)}.`;
  }
  const row = rows.find((r) => r.exercise === next)!;
  const nothingYet = rows.every((r) => r.status === 'not started');
  if (nothingYet) {
    return `Start with the orientation (${grader('lesson')}), then the ${next.id} lesson (${grader(`lesson ${next.id}`)}); write your code in ${next.stub} and run ${grade(next.id)}.`;
  }
  if (row.status === 'not started') {
    return `Next: ${next.id}. Read the lesson (${grader(`lesson ${next.id}`)}), write your code in ${next.stub}, then run ${grade(next.id)}.`;
  }
  return `Carry on with ${next.id} (${row.points} points so far): edit ${next.stub} and run ${grade(next.id)}. Stuck? ${grader(`hint ${next.id}`)}.`;
}

export function formatOverview(course: Course, progress: Progress, style: Style, root?: string): string {
  const rows = exerciseRows(course, progress, root);
  const done = rows.filter((row) => row.status === 'done').length;
  return [
    `${style.bold(course.title)} — ${done} of ${rows.length} exercise${rows.length === 1 ? '' : 's'} done`,
    '',
    formatRows(rows, style),
    '',
    nextStepText(course, progress, rows),
    '',
  ].join('\n');
}
