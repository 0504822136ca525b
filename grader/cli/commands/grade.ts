/** `grade [id ...]`: run the hidden suites against the learner's files and report. */
import { fromRoot, loadCourse } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import { displayPath, workspaceCandidate } from '../../engine/candidate.ts';
import { DEFAULT_BUDGET_MS, runGrading } from '../../engine/run.ts';
import { formatHuman } from '../../report/human.ts';
import { formatJson } from '../../report/json.ts';
import { buildReport, scoreExercise } from '../../report/score.ts';
import { parseInteger, parseSeconds, type ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { EXIT } from '../errors.ts';
import { resolveWorkspace } from '../paths.ts';
import { recordGrading } from '../progress-io.ts';
import { createStyle } from '../style.ts';

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
