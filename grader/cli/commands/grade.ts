/** `grade [id ...]`: run the hidden suites against the learner's files and report. */
import { statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inCourse, loadCourse } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import { displayPath } from '../../common/shown-path.ts';
import { workspaceCandidate } from '../../engine/candidate.ts';
import { budgetFor, gradeCandidates } from '../../engine/grade.ts';
import { formatHuman } from '../../report/human.ts';
import { formatJson } from '../../report/json.ts';
import { formatJunit } from '../../report/junit.ts';
import { parseInteger, parseSeconds, type ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { EXIT } from '../errors.ts';
import { resolveWorkspace, userPath } from '../paths.ts';
import { recordGrading } from '../progress-io.ts';
import { createStyle } from '../style.ts';

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  const exercises = selectExercises(course, parsed.positionals);
  const seconds = parseSeconds(parsed.options.timeout, '--timeout');
  const workspace = parsed.options.workspace;
  const folder = typeof workspace === 'string' ? resolveWorkspace(workspace, io) : inCourse(course, 'exercises');
  const junit = typeof parsed.options.junit === 'string' ? junitPath(parsed.options.junit, io) : undefined;

  const candidate = { ...workspaceCandidate('submission', folder, exercises), shuffleSeed: parseInteger(parsed.options.shuffle, '--shuffle') };
  const reports = await gradeCandidates({ candidates: [candidate], exercises, budgetMs: budgetFor(seconds) });
  const report = reports.get(candidate.id)!;
  if (typeof workspace !== 'string') recordGrading(report, io);
  // Before stdout: if the file cannot be written, the run is a usage error with nothing printed.
  if (junit !== undefined) writeJunit(junit, formatJunit(report, { name: course.title }));

  if (parsed.options.json === true) {
    io.stdout.write(formatJson(report));
  } else {
    const files = new Map([...candidate.files].map(([id, file]) => [id, displayPath(file)]));
    const source = typeof workspace === 'string' ? `workspace ${displayPath(folder)}` : 'exercises/';
    io.stdout.write(formatHuman(report, { course, files, source, style: createStyle(io.stdout, io.env) }));
  }
  return report.status === 'pass' ? EXIT.ok : EXIT.failed;
}

/** Checked before grading, so a typo in the path costs no grading time. */
function junitPath(path: string, io: Io): { path: string; shown: string } {
  const file = userPath(path, io);
  if (!isFolder(dirname(file))) throw new UsageError(`--junit: folder '${dirname(path)}' does not exist`);
  if (isFolder(file)) throw new UsageError(`--junit: '${path}' is a folder, not a file`);
  return { path: file, shown: path };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function writeJunit(file: { path: string; shown: string }, xml: string): void {
  try {
    writeFileSync(file.path, xml);
  } catch (error) {
    throw new UsageError(`--junit: cannot write '${file.shown}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
