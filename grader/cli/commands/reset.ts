/**
 * `reset <id> [--yes]`: put the original stub back in the learner's file.
 * The original comes from the course's git history, or in the learner edition
 * from the copy it ships (grader/progress/pristine.ts explains which version).
 * Asks first on a terminal; elsewhere it needs --yes (without it: exit 2,
 * nothing changed). The learner's file is always backed up to
 * .grader/backups/ first.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { inCourse, loadCourse, type Exercise } from '../../course/manifest.ts';
import { pristineStub } from '../../progress/pristine.ts';
import { BACKUP_DIR, fileStamp } from '../../progress/store.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { EXIT } from '../errors.ts';
import { requireExercise } from '../exercise-arg.ts';
import { isInteractive } from '../interactive.ts';
import { confirm } from '../prompt.ts';

export function backupName(exercise: Exercise, when: Date): string {
  return join(BACKUP_DIR, `${exercise.id}-${fileStamp(when)}${extname(exercise.stub)}`);
}

function writeAtomically(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, content);
  renameSync(temp, file);
}

export interface ResetOptions {
  yes: boolean;
  /** Prompt on a terminal (false: refuse without --yes). */
  interactive: boolean;
  when?: Date;
}

/** The whole of reset, for the command and for the start menu. */
export async function resetExercise(exercise: Exercise, io: Io, options: ResetOptions): Promise<number> {
  const original = pristineStub(exercise, exercise.root);
  if (!original.ok) {
    io.stderr.write(`grader: cannot reset ${exercise.id}: ${original.reason}.\n`);
    return EXIT.failed;
  }
  const file = inCourse(exercise, exercise.stub);
  const present = existsSync(file);
  const current = present ? readFileSync(file, 'utf8') : undefined;
  if (current === original.content) {
    io.stdout.write(`${exercise.stub} is already the original stub; nothing to do.\n`);
    return EXIT.ok;
  }
  if (present && !options.yes) {
    if (!options.interactive) {
      throw new UsageError(`reset replaces your ${exercise.stub} with the original stub; add --yes to confirm (your file is backed up first)`);
    }
    const answer = await confirm(io, `Replace your ${exercise.stub} with the original stub? (a backup is kept)`);
    if (answer !== true) {
      io.stdout.write(`Nothing changed: ${exercise.stub} is as you left it.\n`);
      return EXIT.ok;
    }
  }
  if (present) {
    const backup = backupName(exercise, options.when ?? new Date());
    mkdirSync(inCourse(exercise, dirname(backup)), { recursive: true });
    copyFileSync(file, inCourse(exercise, backup));
    io.stdout.write(`Backed up your file to ${backup}\n`);
  } else {
    mkdirSync(dirname(file), { recursive: true });
  }
  writeAtomically(file, original.content);
  io.stdout.write(`Restored ${exercise.stub} to the original stub (from ${original.origin}).\n`);
  return EXIT.ok;
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const exercise = requireExercise(course, parsed.positionals, 'reset');
  return resetExercise(exercise, io, {
    yes: parsed.options.yes === true,
    interactive: isInteractive(io, { noInteractive: parsed.options['no-interactive'] === true }),
  });
}
