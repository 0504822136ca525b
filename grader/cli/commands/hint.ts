/**
 * `hint [id] [--all]`: the exercise's hints from course.json, one more each
 * time ("hint 2 of 3"); after the last, it says so, repeats the last one and
 * points to the lesson. Without an id: the learner's current exercise.
 */
import { loadCourse, type Exercise } from '../../course/manifest.ts';
import { firstUnfinished } from '../../progress/status.ts';
import { allHintsShown, nextHint } from '../../progress/store.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { exerciseOrCurrent } from '../exercise-arg.ts';
import { readProgress, writeProgress } from '../progress-io.ts';
import { createStyle, type Style } from '../style.ts';

/** Word-wrap to `width` columns, every line indented. */
export function wrap(text: string, width: number, indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function hintBlock(exercise: Exercise, index: number, style: Style, width: number): string {
  return `${style.bold(`Hint ${index + 1} of ${exercise.hints.length}`)} for ${exercise.id}:\n\n${wrap(exercise.hints[index]!, width)}\n`;
}

export interface HintOptions {
  all?: boolean;
  /** How to ask for hint n (the start menu words it for its menu). */
  more?: (n: number) => string;
}

const moreOnTheCommandLine = (n: number) => `Run the same command again for hint ${n}, or add --all to see every hint.`;

/** Show the next hint (or every hint) for an exercise and remember it in progress. */
export function showHint(exercise: Exercise, io: Io, { all = false, more = moreOnTheCommandLine }: HintOptions = {}): void {
  let progress = readProgress(io);
  const style = createStyle(io.stdout, io.env);
  const width = Math.min((io.stdout as { columns?: number }).columns ?? 88, 88);
  const count = exercise.hints.length;
  const lesson = `npm run grader -- lesson ${exercise.id}`;
  const out: string[] = [];

  if (all) {
    for (let index = 0; index < count; index++) out.push(hintBlock(exercise, index, style, width));
    out.push(`The lesson explains it in full: ${lesson}\n`);
    progress = allHintsShown(progress, exercise.id, count);
  } else {
    const step = nextHint(progress, exercise.id, count);
    progress = step.progress;
    if (step.repeated) out.push(`You have seen all ${count} hint${count === 1 ? '' : 's'} for ${exercise.id}; here is the last one again.\n`);
    out.push(hintBlock(exercise, step.index, style, width));
    if (step.index + 1 < count) out.push(style.dim(`${more(step.index + 2)}\n`));
    else out.push(`${step.repeated ? 'That is every hint.' : 'That was the last hint.'} The lesson explains it in full: ${lesson}\n`);
  }
  io.stdout.write(out.join('\n'));
  writeProgress(progress, io);
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const exercise = exerciseOrCurrent(course, parsed.positionals, firstUnfinished(course, readProgress(io)));
  if (exercise === undefined) {
    io.stdout.write('Every exercise passes, so there is nothing left to hint at. For a given one: npm run grader -- hint <id>\n');
    return EXIT.ok;
  }
  if (parsed.positionals.length === 0) io.stdout.write(`(for your current exercise, ${exercise.id}; pass an id for another)\n\n`);
  showHint(exercise, io, { all: parsed.options.all === true });
  return EXIT.ok;
}
