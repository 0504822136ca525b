/**
 * `solution <id> [--force]`: the reference solution and a unified diff
 * against the learner's file, once the exercise has passed. Before that it
 * refuses (exit 1) and says why; --force shows it anyway.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { inCourse, isLearnerEdition, loadCourse, type Exercise } from '../../course/manifest.ts';
import type { Progress } from '../../progress/store.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { requireExercise } from '../exercise-arg.ts';
import { page } from '../pager.ts';
import { readProgress } from '../progress-io.ts';
import { createStyle, type Style } from '../style.ts';

/** A unified diff, your file → the reference solution; empty when they are the same. */
export function solutionDiff(exercise: Exercise, mine: string | undefined, reference: string): string {
  if (mine === reference) return '';
  return createTwoFilesPatch(exercise.stub, exercise.solution, mine ?? '', reference, 'yours', 'reference', { context: 3 });
}

function colourDiff(diff: string, style: Style): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---') ? style.bold(line)
      : line.startsWith('+') ? style.green(line)
      : line.startsWith('-') ? style.red(line)
      : line.startsWith('@@') ? style.cyan(line)
      : line,
    )
    .join('\n');
}

/** Why the solution stays closed for now (undefined once the exercise has passed). */
export function refusal(exercise: Exercise, progress: Progress): string | undefined {
  const entry = progress.exercises[exercise.id];
  if (entry?.passed) return undefined;
  const sofar = entry?.lastGradedAt !== undefined ? `your best so far: ${entry.bestPoints}/${entry.maxPoints}` : 'it has not been graded yet';
  return `${exercise.id} has not passed yet (${sofar}), and the solution is more useful once it has`;
}

export async function showSolution(exercise: Exercise, io: Io, { force = false, progress }: { force?: boolean; progress: Progress }): Promise<number> {
  if (isLearnerEdition(loadCourse(io.root))) {
    io.stderr.write('grader: the learner edition has no reference solutions; ask your instructor.\n');
    return EXIT.usage;
  }
  const refused = refusal(exercise, progress);
  if (refused !== undefined && !force) {
    io.stderr.write(`grader: ${refused}. Try 'npm run grader -- hint ${exercise.id}', grade again with 'npm run grade -- ${exercise.id}', or add --force to see it anyway.\n`);
    return EXIT.failed;
  }
  const style = createStyle(io.stdout, io.env);
  const reference = readFileSync(inCourse(exercise, exercise.solution), 'utf8');
  const file = inCourse(exercise, exercise.stub);
  const mine = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const diff = solutionDiff(exercise, mine, reference);
  const text = [
    style.bold(`Reference solution for ${exercise.id}: ${exercise.solution}`),
    '',
    reference.trimEnd(),
    '',
    style.bold(`Your ${exercise.stub} → the reference solution (unified diff):`),
    '',
    diff === '' ? 'They are identical.' : colourDiff(diff.trimEnd(), style),
    '',
  ].join('\n');
  await page(text, io);
  return EXIT.ok;
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const exercise = requireExercise(course, parsed.positionals, 'solution');
  return showSolution(exercise, io, { force: parsed.options.force === true, progress: readProgress(io) });
}
