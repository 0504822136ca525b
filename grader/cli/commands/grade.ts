/** `grade [id ...]`: run the hidden suites against the learner's files and report. */
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromRoot, loadCourse } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import { displayPath, workspaceCandidate } from '../../engine/candidate.ts';
import { DEFAULT_BUDGET_MS, runGrading } from '../../engine/run.ts';
import { formatHuman } from '../../report/human.ts';
import { formatJson } from '../../report/json.ts';
import { buildReport, scoreExercise } from '../../report/score.ts';
import { parseInteger, parseSeconds, type ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT, UsageError } from '../errors.ts';
import { recordGrading } from '../progress-io.ts';
import { createStyle } from '../style.ts';

/** Paths on the command line are relative to where the person typed them (npm run moves to the repo root). */
export function userPath(path: string, io: Io): string {
  return resolve(io.env.INIT_CWD ?? io.cwd, path);
}

export function resolveWorkspace(path: string, io: Io): string {
  const folder = userPath(path, io);
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new UsageError(`workspace folder '${path}' does not exist`);
  }
  if (!isFolder) throw new UsageError(`workspace '${path}' is not a folder`);
  try {
    readdirSync(folder);
  } catch (error) {
    throw new UsageError(`cannot read workspace folder '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return folder;
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse();
  const exercises = selectExercises(course, parsed.positionals);
  const seconds = parseSeconds(parsed.options.timeout, '--timeout');
  const workspace = parsed.options.workspace;
  const folder = typeof workspace === 'string' ? resolveWorkspace(workspace, io) : fromRoot('exercises');

  const candidate = { ...workspaceCandidate('submission', folder, exercises), shuffleSeed: parseInteger(parsed.options.shuffle, '--shuffle') };
  const runs = await runGrading({
    candidates: [candidate],
    exercises,
    budgetMs: seconds === undefined ? DEFAULT_BUDGET_MS : seconds * 1000,
  });
  const graded = runs.get(candidate.id)!;
  const report = buildReport(exercises.map((exercise) => scoreExercise(exercise, graded.get(exercise.id))));
  if (typeof workspace !== 'string') recordGrading(report, io);

  if (parsed.options.json === true) {
    io.stdout.write(formatJson(report));
  } else {
    const files = new Map([...candidate.files].map(([id, file]) => [id, displayPath(file)]));
    const source = typeof workspace === 'string' ? `workspace ${displayPath(folder)}` : 'exercises/';
    io.stdout.write(formatHuman(report, { course, files, source, style: createStyle(io.stdout, io.env) }));
  }
  return report.status === 'pass' ? EXIT.ok : EXIT.failed;
}
