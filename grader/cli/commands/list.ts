/** `list`: every exercise in course order, its status and points, then the next step. */
import { loadCourse } from '../../course/manifest.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { formatOverview } from '../overview.ts';
import { readProgress } from '../progress-io.ts';
import { createStyle } from '../style.ts';

export async function run(_parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const progress = readProgress(io);
  io.stdout.write(formatOverview(course, progress, createStyle(io.stdout, io.env)));
  return EXIT.ok;
}
