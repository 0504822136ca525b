/**
 * `start` (npm start): the learner's home. On a terminal, an enquirer menu:
 * every exercise with its status, "continue" (the first unfinished one)
 * preselected, then for the chosen exercise: lesson, hint, grade, watch,
 * reset, solution, back, quit. Anywhere else (a pipe, CI, TERM=dumb,
 * --no-interactive) it prints the list and the next step and exits 0.
 *
 * Ctrl+C at a menu is "quit": enquirer restores the terminal and rejects
 * with '', and start exits 0 (npm would print a wall of error text for 130).
 * Ctrl+C while an action runs (grading, watching) interrupts the process like
 * any command; no prompt is open then, so the terminal is already restored.
 */
import { loadCourse, type Course, type Exercise } from '../../course/manifest.ts';
import { firstUnfinished } from '../../progress/status.ts';
import type { Progress } from '../../progress/store.ts';
import { parseArgv, type ParsedCommand } from '../argv.ts';
import { COMMANDS, type Io } from '../commands.ts';
import { EXIT, exitCodeFor } from '../errors.ts';
import { isInteractive } from '../interactive.ts';
import { exerciseRows, formatOverview, statusMark, type ExerciseRow } from '../overview.ts';
import { readProgress } from '../progress-io.ts';
import { confirm, select, type Choice } from '../prompt.ts';
import { createStyle, type Style } from '../style.ts';
import { showHint } from './hint.ts';
import { showLesson } from './lesson.ts';
import { resetExercise } from './reset.ts';
import { refusal, showSolution } from './solution.ts';

export const QUIT = '(quit)';
export const ORIENTATION = '(orientation)';
export const CONTINUE = '(continue)';

export interface Menu<T extends string = string> {
  choices: Array<Choice<T>>;
  initial: number;
}

/** The home menu: continue (preselected) when something is unfinished, every exercise, the orientation, quit. */
export function homeMenu(course: Course, progress: Progress, rows: ExerciseRow[], style: Style): Menu {
  const next = firstUnfinished(course, progress);
  const idWidth = Math.max(...rows.map((row) => row.exercise.id.length));
  const choices: Choice[] = [];
  if (next !== undefined) {
    const row = rows.find((r) => r.exercise === next)!;
    choices.push({ name: `Continue with ${next.id}`, hint: style.dim(`(${row.status}, ${row.points})`), value: CONTINUE });
  }
  for (const row of rows) {
    choices.push({
      name: row.exercise.id,
      message: `${statusMark(row.status, style)} ${row.number} ${row.exercise.id.padEnd(idWidth)}  ${row.status.padEnd(11)}  ${row.points}`,
      value: row.exercise.id,
    });
  }
  choices.push({ name: 'Read the orientation lesson', value: ORIENTATION }, { name: 'Quit', value: QUIT });
  return { choices, initial: 0 };
}

export type Action = 'lesson' | 'hint' | 'grade' | 'watch' | 'reset' | 'solution' | 'back' | 'quit';

/**
 * Preselected: the lesson for an exercise not started, else grading (also
 * right after reading the lesson or a hint: the next thing is to try again).
 */
export function exerciseMenu(exercise: Exercise, row: ExerciseRow, progress: Progress, watchAvailable: boolean, style: Style, after?: Action): Menu<Action> {
  const entry = progress.exercises[exercise.id];
  const hintsSeen = Math.min(entry?.hintsShown ?? 0, exercise.hints.length);
  const passed = entry?.passed === true;
  const note = (text: string) => style.dim(`(${text})`);
  const choices: Array<Choice<Action>> = [
    { name: 'Read the lesson', hint: note(exercise.lesson), value: 'lesson' },
    { name: 'Show a hint', hint: note(`${hintsSeen} of ${exercise.hints.length} seen`), value: 'hint' },
    { name: 'Grade my work', hint: note(`best so far ${row.points}`), value: 'grade' },
    { name: 'Watch: grade on every save', value: 'watch', ...(watchAvailable ? {} : { disabled: note('not available') }) },
    { name: 'Reset to the original stub', hint: note('keeps a backup of your file'), value: 'reset' },
    { name: 'See the reference solution', hint: note(passed ? 'with a diff against yours' : 'once it passes'), value: 'solution' },
    { name: 'Back to the exercises', value: 'back' },
    { name: 'Quit', value: 'quit' },
  ];
  return { choices, initial: row.status === 'not started' && after === undefined ? 0 : 2 };
}

async function runCommand(argv: string[], io: Io): Promise<number | undefined> {
  const parsed = parseArgv(argv, COMMANDS);
  const command = COMMANDS.find((c) => c.name === argv[0]);
  if (parsed.command === undefined || command === undefined) return undefined;
  return (await command.load()).run(parsed, io);
}

async function act(action: Action, exercise: Exercise, io: Io, progress: Progress): Promise<void> {
  switch (action) {
    case 'lesson':
      return showLesson(exercise.lesson, io);
    case 'hint':
      // The "more hints" line talks about the menu, not the command line.
      showHint(exercise, io, { more: (n) => `Choose “Show a hint” again for hint ${n}.` });
      return;
    case 'grade':
    case 'watch':
      await runCommand([action, exercise.id], io);
      return;
    case 'reset':
      await resetExercise(exercise, io, { yes: false, interactive: true });
      return;
    case 'solution': {
      const refused = refusal(exercise, progress);
      if (refused !== undefined) {
        io.stdout.write(`${refused}.\n`);
        if ((await confirm(io, 'Show it anyway?')) !== true) return;
      }
      await showSolution(exercise, io, { progress, force: true });
      return;
    }
    case 'back':
    case 'quit':
      return;
  }
}

/** One exercise's menu, until back or quit. */
async function exerciseLoop(id: string, io: Io, style: Style): Promise<'back' | 'quit'> {
  const watchAvailable = COMMANDS.some((command) => command.name === 'watch');
  let after: Action | undefined;
  for (;;) {
    const course = loadCourse(io.root);
    const progress = readProgress(io);
    const row = exerciseRows(course, progress).find((r) => r.exercise.id === id)!;
    const menu = exerciseMenu(row.exercise, row, progress, watchAvailable, style, after);
    const action = await select(io, `${row.exercise.id}: ${row.exercise.title} (${row.status}, ${row.points})`, menu.choices, menu.initial);
    if (action === undefined || action === 'quit') return 'quit';
    if (action === 'back') return 'back';
    try {
      await act(action, row.exercise, io, progress);
    } catch (error) {
      // Reported like any command's error; the menu carries on.
      exitCodeFor(error, io.stderr);
    }
    after = action;
    io.stdout.write('\n');
  }
}

async function home(io: Io): Promise<number> {
  const style = createStyle(io.stdout, io.env);
  for (;;) {
    const course = loadCourse(io.root);
    const progress = readProgress(io);
    const rows = exerciseRows(course, progress);
    const menu = homeMenu(course, progress, rows, style);
    const done = rows.filter((row) => row.status === 'done').length;
    const choice = await select(io, `${course.title}: ${done} of ${rows.length} done. What next?`, menu.choices, menu.initial);
    if (choice === undefined || choice === QUIT) break;
    if (choice === ORIENTATION) {
      await showLesson(course.orientation, io);
      continue;
    }
    const id = choice === CONTINUE ? firstUnfinished(course, progress)!.id : choice;
    if ((await exerciseLoop(id, io, style)) === 'quit') break;
  }
  io.stdout.write('Bye for now: your progress is in progress.json. Come back with npm start.\n');
  return EXIT.ok;
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  if (!isInteractive(io, { noInteractive: parsed.options['no-interactive'] === true })) {
    const course = loadCourse(io.root);
    io.stdout.write(formatOverview(course, readProgress(io), createStyle(io.stdout, io.env)));
    io.stdout.write('(Run npm start in a terminal for the interactive menu; npm run grader -- --help lists every command.)\n');
    return EXIT.ok;
  }
  return home(io);
}
