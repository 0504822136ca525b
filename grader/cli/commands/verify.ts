/**
 * `verify` (rustlings' `dev check`): the course checks itself. For every
 * exercise: the stub scores 0, the reference solution and every alternative
 * score 100%, every bug in the zoo fails the behaviours it names, and the
 * manifest agrees with the suite. All of it in one grading run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { besideSuite, inCourse, isLearnerEdition, loadCourse, type Exercise } from '../../course/manifest.ts';
import { selectExercises } from '../../course/select.ts';
import { contractBullets, parseTrace, traceProblems } from '../../course/trace.ts';
import { loadZoo, materialiseSmallBugs, SMALL_BUGS_FILE, type ZooEntry } from '../../course/zoo.ts';
import type { Candidate } from '../../engine/candidate.ts';
import { budgetFor, gradeCandidates } from '../../engine/grade.ts';
import type { ExerciseReport } from '../../report/types.ts';
import { toJsonExercise } from '../../report/json.ts';
import type { JsonExercise } from '../../report/types.ts';
import { parseInteger, parseSeconds, type ParsedCommand } from '../argv.ts';
import { userPath } from '../paths.ts';
import type { Io } from '../commands.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { EXIT } from '../errors.ts';
import { createStyle } from '../style.ts';

/** The definition of done asks for at least this many of each. */
export const MIN_ALTERNATIVES = 2;
export const MIN_BUGS = 8;

/** The course's contracts, where a developer's checkout has them beside the repository. */
const contractsOf = (exercise: Exercise): string => inCourse(exercise, '../shared/spec');

type Expectation = 'scores zero' | 'scores full' | 'is caught';

interface Check {
  exercise: Exercise;
  label: string;
  candidate: Candidate;
  expectation: Expectation;
  breaks: string[];
}

export interface Verdict {
  ok: boolean;
  label: string;
  detail: string;
}

/**
 * Every implementation is graded once, its behaviours in an order of its own: a correct one must pass in
 * any order, and a bug must fail what it names in any order. The seed follows from the implementation's id,
 * so a run is the same every time (and `--shuffle SEED` gives every implementation the same order).
 */
export function shuffleSeedOf(id: string): number {
  let hash = 2166136261;
  for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

function checksFor(exercise: Exercise, zoo: ZooEntry[], unwritten: Map<string, string>, baseSeed?: number): Check[] {
  const single = (id: string, file: string): Candidate => ({
    id,
    files: new Map([[exercise.id, file]]),
    shuffleSeed: baseSeed ?? shuffleSeedOf(id),
  });
  const correct: Array<{ label: string; id: string; file: string }> = [
    { label: 'solution', id: `${exercise.id}/solution`, file: inCourse(exercise, exercise.solution) },
    ...zoo
      .filter((entry) => entry.kind === 'alternative')
      .map((entry) => ({ label: `alternative ${entry.name}`, id: `${exercise.id}/alternative/${entry.name}`, file: entry.file })),
  ];
  return [
    { exercise, label: 'stub', candidate: single(`${exercise.id}/stub`, inCourse(exercise, exercise.stub)), expectation: 'scores zero', breaks: [] },
    ...correct.map(({ label, id, file }): Check => ({ exercise, label, candidate: single(id, file), expectation: 'scores full', breaks: [] })),
    ...zoo
      .filter((entry) => entry.kind === 'bug' && !unwritten.has(entry.name))
      .map((entry): Check => ({
        exercise,
        label: `bug ${entry.name}`,
        candidate: single(`${exercise.id}/bug/${entry.name}`, entry.file),
        expectation: 'is caught',
        breaks: entry.breaks,
      })),
  ];
}

export function judge(check: Pick<Check, 'expectation' | 'breaks' | 'label'>, report: ExerciseReport): Verdict {
  const score = `${report.points}/${report.maxPoints}`;
  const label = check.label;
  switch (check.expectation) {
    case 'scores zero':
      return report.status === 'fail' && report.points === 0
        ? { ok: true, label, detail: `scores 0 (${score})` }
        : { ok: false, label, detail: `should fail with 0 points, got ${report.status} ${score}${report.message ? `: ${report.message}` : ''}` };
    case 'scores full': {
      const failing = report.tests.filter((test) => test.status !== 'pass');
      return report.status === 'pass'
        ? { ok: true, label, detail: `scores 100% (${score})` }
        : {
            ok: false,
            label,
            detail: `should score 100%, got ${report.status} ${score}: ${report.message ?? failing.map((test) => `“${test.name}”: ${test.message}`).join('; ')}`,
          };
    }
    case 'is caught': {
      if (report.status === 'pass') return { ok: false, label, detail: 'the hidden suite does not catch this bug (100%)' };
      if (check.breaks.length === 0) return { ok: false, label, detail: 'names no @breaks behaviour in its header' };
      const failed = new Set(report.tests.filter((test) => test.status !== 'pass').map((test) => test.name));
      const missed = check.breaks.filter((name) => !failed.has(name));
      return missed.length === 0
        ? { ok: true, label, detail: `caught (${score}): ${check.breaks.map((name) => `“${name}”`).join(', ')}` }
        : { ok: false, label, detail: `should fail “${missed.join('”, “')}”, which passed or does not exist` };
    }
  }
}

function structureVerdicts(exercise: Exercise, zoo: ZooEntry[], solution: ExerciseReport | undefined): Verdict[] {
  const verdicts: Verdict[] = [];
  const alternatives = zoo.filter((entry) => entry.kind === 'alternative').length;
  const bugs = zoo.filter((entry) => entry.kind === 'bug').length;
  verdicts.push({
    ok: alternatives >= MIN_ALTERNATIVES && bugs >= MIN_BUGS,
    label: 'zoo',
    detail: `${alternatives} alternatives (at least ${MIN_ALTERNATIVES}), ${bugs} bugs (at least ${MIN_BUGS})`,
  });
  const missing = [exercise.lesson, exercise.stub, exercise.practice, exercise.solution, exercise.suite].filter(
    (path) => !existsSync(inCourse(exercise, path)),
  );
  verdicts.push({ ok: missing.length === 0, label: 'files', detail: missing.length === 0 ? 'lesson, stub, practice tests, solution, suite' : `missing: ${missing.join(', ')}` });
  if (solution) verdicts.push(traceVerdict(exercise, solution));
  if (solution?.status === 'pass') {
    verdicts.push({
      ok: solution.maxPoints === exercise.points,
      label: 'points',
      detail: `the suite's source declares ${exercise.points}, its behaviours add up to ${solution.maxPoints}`,
    });
  }
  return verdicts;
}

/** The contract trace beside the suite names every behaviour, and covers every sentence of the contract. */
function traceVerdict(exercise: Exercise, solution: ExerciseReport): Verdict {
  const tracePath = besideSuite(exercise, 'contract.md');
  if (!existsSync(inCourse(exercise, tracePath))) return { ok: false, label: 'trace', detail: `missing ${tracePath}` };
  const rows = parseTrace(readFileSync(inCourse(exercise, tracePath), 'utf8'));
  const contract = resolve(contractsOf(exercise), `${exercise.id}.md`);
  const bullets = existsSync(contract) ? contractBullets(readFileSync(contract, 'utf8')) : undefined;
  const problems = traceProblems({ rows, behaviours: solution.tests.map((test) => test.name), bullets });
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    return { ok: false, label: 'trace', detail: `${tracePath}: ${shown}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}` };
  }
  const compared = bullets ? `every sentence of ${exercise.id}.md traced` : `contract not found at ${contract}: sentences not compared`;
  return { ok: true, label: 'trace', detail: `${rows.length} rows, every behaviour named; ${compared}` };
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const course = loadCourse(io.root);
  if (isLearnerEdition(course)) {
    throw new UsageError("verify checks the course against its reference solutions and bug zoo, which the learner edition does not have; to grade your work: 'npm run grade'");
  }
  const exercises = selectExercises(course, parsed.positionals);
  const seconds = parseSeconds(parsed.options.timeout, '--timeout');
  const seed = parseInteger(parsed.options.shuffle, '--shuffle');
  const reportsFile = typeof parsed.options.reports === 'string' ? userPath(parsed.options.reports, io) : undefined;
  return verify(exercises, { seconds, seed, reportsFile, reuseWorkers: parsed.options['reuse-workers'] === true }, io);
}

interface VerifyOptions {
  seconds: number | undefined;
  seed: number | undefined;
  reportsFile: string | undefined;
  reuseWorkers: boolean;
}

async function verify(exercises: Exercise[], options: VerifyOptions, io: Io): Promise<number> {
  const { seconds, seed, reportsFile } = options;
  const zoos = new Map<string, ZooEntry[]>();
  const unwritten = new Map<string, Map<string, string>>();
  for (const exercise of exercises) {
    const zoo = await loadZoo(exercise);
    zoos.set(exercise.id, zoo);
    unwritten.set(exercise.id, materialiseSmallBugs(zoo));
  }
  const checks = exercises.flatMap((exercise) => checksFor(exercise, zoos.get(exercise.id)!, unwritten.get(exercise.id)!, seed));

  const started = performance.now();
  const graded = await gradeCandidates({
    candidates: checks.map((check) => check.candidate),
    exercises,
    budgetMs: budgetFor(seconds),
    reuseWorkers: options.reuseWorkers,
  });
  const style = createStyle(io.stdout, io.env);
  let passed = 0;
  let failed = 0;
  const reports: Record<string, JsonExercise> = {};
  for (const exercise of exercises) {
    io.stdout.write(style.bold(`${exercise.id}\n`));
    const verdicts: Verdict[] = [];
    let solution: ExerciseReport | undefined;
    for (const check of checks.filter((c) => c.exercise === exercise)) {
      // A check's candidate hands in this one exercise's file: its report has this one exercise.
      const report = graded.get(check.candidate.id)!.exercises[0]!;
      reports[check.candidate.id] = toJsonExercise(report);
      if (check.label === 'solution') solution = report;
      verdicts.push(judge(check, report));
    }
    for (const [name, problem] of unwritten.get(exercise.id)!) {
      verdicts.push({ ok: false, label: `bug ${name}`, detail: `${exercise.zoo}/${SMALL_BUGS_FILE}: ${problem}` });
    }
    verdicts.push(...structureVerdicts(exercise, zoos.get(exercise.id)!, solution));
    for (const verdict of verdicts) {
      if (verdict.ok) passed++;
      else failed++;
      const mark = verdict.ok ? style.green('✓') : style.red('✗');
      io.stdout.write(`  ${mark} ${verdict.label}: ${verdict.ok ? style.dim(verdict.detail) : verdict.detail}\n`);
    }
  }
  if (reportsFile !== undefined) writeFileSync(reportsFile, JSON.stringify(reports, null, 2) + '\n');
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(`\n${checks.length} implementations graded in ${elapsed} s\n`);
  // The plain closing line CI reads.
  io.stdout.write(`verify: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}
