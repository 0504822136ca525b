/**
 * `lesson [id | orientation] [--no-pager]`: a lesson in the terminal.
 * Rendered (and paged through less -R) for a person at a colour terminal,
 * the plain Markdown everywhere else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inCourse, loadCourse, type Course } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { page } from '../pager.ts';
import { wantsColor } from '../style.ts';

export const ORIENTATION = 'orientation';

/** The lesson file for `lesson [id]`: no id or `orientation` → the orientation. */
export function lessonPath(course: Course, positionals: string[]): string {
  const [id] = positionals;
  if (id === undefined || id === ORIENTATION) return course.orientation;
  return selectExercises(course, [id])[0]!.lesson;
}

export async function showLesson(path: string, io: Io, { noPager = false }: { noPager?: boolean } = {}): Promise<void> {
  const markdown = readFileSync(inCourse(io, path), 'utf8');
  if (!wantsColor(io.stdout, io.env)) {
    await page(markdown.endsWith('\n') ? markdown : `${markdown}\n`, io, { noPager });
    return;
  }
  const columns = (io.stdout as { columns?: number }).columns ?? 100;
  // Loaded only to render: marked-terminal and its highlighter cost a pipe nothing.
  const { renderMarkdown } = await import('../markdown.ts');
  await page(renderMarkdown(markdown, { width: Math.max(40, Math.min(columns - 2, 110)) }), io, { noPager });
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const path = lessonPath(course, parsed.positionals);
  if (!existsSync(inCourse(course, path))) {
    io.stderr.write(`grader: the lesson ${path} is missing from the course (course.json names it)\n`);
    return EXIT.internal;
  }
  await showLesson(path, io, { noPager: parsed.options['no-pager'] === true });
  return EXIT.ok;
}
