/**
 * `watch [id]`: grade one exercise every time its file is saved, and show
 * the one thing to fix next. vitest starts once (engine/session.ts); each
 * save reruns only that exercise's hidden suite. Ctrl+C stops (exit 0).
 */
import { loadCourse, inCourse, type Course, type Exercise } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import { displayPath } from '../../common/shown-path.ts';
import { workspaceCandidate, type Candidate } from '../../engine/candidate.ts';
import { budgetFor, gradeCandidates } from '../../engine/grade.ts';
import { openSession, sessionRunner, type GradingSession } from '../../engine/session.ts';
import { firstUnfinished } from '../../progress/status.ts';
import type { ExerciseReport } from '../../report/types.ts';
import { parseSeconds, type ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { readProgress, recordGrading } from '../progress-io.ts';
import { createStyle, type Style } from '../style.ts';
import { watchChanges } from '../watch/changes.ts';
import { frame, renderGrading, renderResult, SEPARATOR, watchCommand } from '../watch/render.ts';
import { resolveWorkspace } from '../paths.ts';

/** Clearing the screen is for a person at a terminal; a pipe or a log gets plain separators. */
export function isTerminal(io: Pick<Io, 'stdout' | 'env'>): boolean {
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb';
}

function clockTime(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

/** The exercise after `exercise` in course order, for a workspace (which has no progress). */
function nextInCourse(course: Course, exercise: Exercise): Exercise | undefined {
  return course.exercises[course.exercises.indexOf(exercise) + 1];
}

/** Resolves on the first SIGINT or SIGTERM; `again` on the one after. */
function interruptions(): { first: Promise<void>; again: Promise<void>; dispose(): void } {
  let count = 0;
  let onFirst: () => void = () => {};
  let onAgain: () => void = () => {};
  const first = new Promise<void>((done) => (onFirst = done));
  const again = new Promise<void>((done) => (onAgain = done));
  const handler = (): void => {
    count += 1;
    if (count === 1) onFirst();
    else onAgain();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    first,
    again,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

interface Watching {
  course: Course;
  exercise: Exercise;
  candidate: Candidate;
  session: GradingSession;
  /** The learner's own exercises/: results are recorded in progress.json. */
  recordsProgress: boolean;
  file: string;
  io: Io;
  style: Style;
  terminal: boolean;
}

function nextAfterPass(w: Watching, report: ExerciseReport): Exercise | undefined {
  if (!w.recordsProgress) return nextInCourse(w.course, w.exercise);
  return firstUnfinished(w.course, recordGrading({ exercises: [report] }, w.io));
}

/** Grades on demand, one run at a time; a save during a run stops that run and is graded right after it. */
function grader(w: Watching): { request(changed: string[]): void } {
  let running: Promise<void> | undefined;
  let pending: Set<string> | undefined;

  const gradeOnce = async (changed: string[]): Promise<void> => {
    const reports = await gradeCandidates({ candidates: [w.candidate], exercises: [w.exercise] }, sessionRunner(w.session, changed));
    // A newer save is waiting: this result is already out of date.
    if (pending) return;
    const report = reports.get(w.candidate.id)!.exercises[0]!;
    let next: Exercise | undefined;
    if (report.status === 'pass') next = nextAfterPass(w, report);
    else if (w.recordsProgress) recordGrading({ exercises: [report] }, w.io);
    const view = renderResult({ exercise: w.exercise, file: w.file, report, next, time: clockTime(new Date()), style: w.style });
    w.io.stdout.write(frame(view, w.terminal));
  };

  const loop = async (changed: string[]): Promise<void> => {
    let paths = changed;
    for (;;) {
      try {
        await gradeOnce(paths);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        w.io.stderr.write(`grader: grading failed (${reason}); save again to retry\n`);
      }
      if (!pending) return;
      paths = [...pending];
      pending = undefined;
    }
  };

  return {
    request(changed) {
      if (running) {
        // The run under way grades an older version: stop it (a hang need not run out its time) and grade this one.
        pending = new Set([...(pending ?? []), ...changed]);
        w.session.interrupt();
        return;
      }
      w.io.stdout.write(renderGrading(w.file, w.style));
      running = loop(changed).finally(() => (running = undefined));
    },
  };
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const seconds = parseSeconds(parsed.options.timeout, '--timeout');
  const workspace = parsed.options.workspace;
  const recordsProgress = typeof workspace !== 'string';
  const folder = recordsProgress ? inCourse(course, 'exercises') : resolveWorkspace(workspace, io);
  const style = createStyle(io.stdout, io.env);

  let exercise: Exercise | undefined;
  if (parsed.positionals.length > 0) exercise = selectExercises(course, parsed.positionals)[0];
  else exercise = recordsProgress ? firstUnfinished(course, readProgress(io)) : course.exercises[0];
  if (!exercise) {
    io.stdout.write(
      `Every exercise passes: there is nothing left to watch. To watch one anyway: ${watchCommand(course.exercises[0]!.id)}\n`,
    );
    return EXIT.ok;
  }

  const candidate = workspaceCandidate('submission', folder, [exercise]);
  const path = candidate.files.get(exercise.id)!;
  const file = displayPath(path);
  const terminal = isTerminal(io);
  io.stdout.write(`${style.bold(`Watching ${file}`)} (${exercise.id}): grading it now, then on every save. Ctrl+C to stop.\n`);

  const signals = interruptions();
  const opening = openSession({ candidate, exercises: [exercise], budgetMs: budgetFor(seconds) });
  let changes: ReturnType<typeof watchChanges> | undefined;
  try {
    const session = await Promise.race([opening, signals.first.then(() => undefined)]);
    if (!session) return EXIT.ok;
    const grading = grader({ course, exercise, candidate, session, recordsProgress, file, io, style, terminal });
    changes = watchChanges(path, (paths) => grading.request(paths));
    await changes.ready;
    grading.request([]);
    await signals.first;
  } finally {
    // Leaving: stop watching, then stop vitest and its workers; a second Ctrl+C does not wait for them.
    const closing = (async () => {
      await changes?.close();
      await (await opening.catch(() => undefined))?.close();
    })();
    await Promise.race([closing, signals.again]);
    signals.dispose();
  }
  io.stdout.write(terminal ? '\nStopped watching.\n' : `${SEPARATOR}\nStopped watching.\n`);
  return EXIT.ok;
}
