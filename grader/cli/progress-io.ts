/** Progress for a command: loaded with its warning on stderr, saved without ever failing the command. */
import { loadProgress, recordGrade, saveProgress, type Progress } from '../progress/store.ts';
import type { JsonExercise } from '../report/types.ts';
import type { Io } from './commands.ts';

export function readProgress(io: Pick<Io, 'stderr' | 'root'>): Progress {
  const { progress, warning } = loadProgress(io.root);
  if (warning !== undefined) io.stderr.write(`grader: ${warning}\n`);
  return progress;
}

/** Progress is a convenience: failing to save it is a warning, never a failed command. */
export function writeProgress(progress: Progress, io: Pick<Io, 'stderr' | 'root'>): void {
  try {
    saveProgress(progress, io.root);
  } catch (error) {
    io.stderr.write(`grader: could not save your progress to progress.json (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
  }
}

/** After grading the learner's own exercises: every graded exercise, passed or not. Returns the progress written. */
export function recordGrading(
  report: { exercises: Array<Pick<JsonExercise, 'id' | 'status' | 'points' | 'maxPoints'>> },
  io: Pick<Io, 'stderr' | 'root'>,
  when = new Date(),
): Progress {
  let progress = readProgress(io);
  for (const exercise of report.exercises) progress = recordGrade(progress, exercise, when);
  writeProgress(progress, io);
  return progress;
}
