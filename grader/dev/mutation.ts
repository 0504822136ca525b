/**
 * Mutation testing of one exercise's hidden suite (definition of done, item 7):
 *
 *   npm run mutation -- <id>                 every file: the solution, then each alternative
 *   npm run mutation -- <id> --file <name>   one file: `solution` or an alternative's name
 *
 * The reference solution's mutants are not the mistakes other designs make, so
 * StrykerJS mutates the reference solution AND every alternative in the zoo,
 * one Stryker run per file, each time running the exercise's hidden suite with
 * grader/dev/mutation.vitest.config.ts (which points the suite at that file).
 * Every survivor is killed or explained in grader/suites/<id>.mutation.md,
 * one section per file (`## <path>`) whose `Score:` line records the run it
 * explains: this command compares that line with the run it just made, so
 * notes that no longer match the suite (new survivors, or survivors since
 * killed) are reported as stale, and every file must reach 95% after
 * explanations (detected / (valid - explained)).
 *
 * Prints one line per file (raw score, counts, the notes' verdict) and writes
 * reports/mutation/<id>/<file>.html and .json. Exit status: 0 when every
 * file's notes match this run and reach 95%, 1 when one does not or Stryker
 * fails, 2 for a usage error. Too slow for `npm test` (20-60 s per file on 2 cores).
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { inCourse, besideSuite, loadCourse, workspacePath, type Exercise } from '../course/manifest.ts';
import { loadZoo } from '../course/zoo.ts';
import { judgeNotes, readNotes, REQUIRED_AFTER_EXPLANATIONS, type Verdict } from './mutation-notes.ts';

/** This tool measures the course it comes with. */
const COURSE_ROOT = resolve(import.meta.dirname, '../..');

/** Stryker's colours only: the verdict is the notes' score after explanations. */
const THRESHOLDS = { high: 95, low: 90, break: null };
const CONFIG_FILE = 'grader/dev/mutation.vitest.config.ts';

interface Target {
  /** `solution`, or the alternative's file name without `.ts`. */
  name: string;
  /** Path from the repository root. */
  file: string;
}

interface Score {
  target: Target;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  invalid: number;
  score: number;
  seconds: number;
}

function usage(ids: string[]): string {
  return [
    'usage: npm run mutation -- <id> [--file <solution|alternative name>]',
    '',
    "Mutation-tests an exercise's hidden suite: StrykerJS mutates the reference solution and every",
    'alternative correct implementation in the zoo, one file at a time, and runs the hidden suite',
    "against each mutant. Every survivor is killed or explained in grader/suites/<id>.mutation.md, whose",
    `Score: line per file must match this run and reach ${REQUIRED_AFTER_EXPLANATIONS}% after explanations.`,
    `Exercises: ${ids.join(', ')}`,
  ].join('\n');
}

function usageError(message: string): never {
  process.stderr.write(`mutation: ${message} (see npm run mutation -- --help)\n`);
  process.exit(2);
}

function parseArgs(argv: string[], exercises: Exercise[]): { exercise: Exercise; only: string | undefined } {
  const ids = exercises.map((e) => e.id);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage(ids)}\n`);
    process.exit(0);
  }
  const positional: string[] = [];
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--file') {
      only = argv[++i];
      if (only === undefined || only.startsWith('-')) usageError('--file needs a name: solution, or an alternative');
    } else if (arg.startsWith('--file=')) {
      only = arg.slice('--file='.length);
    } else if (arg.startsWith('-')) {
      usageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) usageError(`name one exercise id: ${ids.join(', ')}`);
  if (positional.length > 1) usageError(`one exercise id at a time, got ${positional.length}: ${positional.join(' ')}`);
  const exercise = exercises.find((e) => e.id === positional[0]);
  if (!exercise) usageError(`unknown exercise "${positional[0]}"; known: ${ids.join(', ')}`);
  return { exercise, only };
}

async function targetsOf(exercise: Exercise, only: string | undefined): Promise<Target[]> {
  const alternatives = (await loadZoo(exercise))
    .filter((entry) => entry.kind === 'alternative')
    .map((entry) => ({ name: entry.name, file: relative(COURSE_ROOT, entry.file) }));
  const all = [{ name: 'solution', file: exercise.solution }, ...alternatives];
  if (only === undefined) return all;
  const chosen = all.filter((t) => t.name === only);
  if (chosen.length === 0) usageError(`no file "${only}" for ${exercise.id}; known: ${all.map((t) => t.name).join(', ')}`);
  return chosen;
}

async function mutate(exercise: Exercise, target: Target): Promise<Score> {
  // Read by mutation.vitest.config.ts, in the sandbox, in every Stryker worker.
  process.env.MUTATION_EXERCISE = exercise.id;
  process.env.MUTATION_FILE = target.file;
  const report = `reports/mutation/${exercise.id}/${target.name}`;
  const startedAt = Date.now();
  const stryker = new Stryker({
    mutate: [target.file],
    testRunner: 'vitest',
    vitest: { configFile: CONFIG_FILE, related: false },
    // Only what the suite needs is copied into the sandbox (the zoo's alternatives are mutated, its bugs never run).
    ignorePatterns: ['/lessons', '/exercises', '/.lesson-blocks', '/.grader', '/.ci', '/grader/zoo/*/bugs', '/.stryker-tmp', '/reports'],
    // One temp folder per exercise, so that mutation runs of different exercises can run side by side.
    tempDirName: `.stryker-tmp/${exercise.id}`,
    cleanTempDir: true,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `${report}.html` },
    jsonReporter: { fileName: `${report}.json` },
    clearTextReporter: { allowColor: process.stdout.isTTY, logTests: false, reportScoreTable: false },
    thresholds: THRESHOLDS,
    coverageAnalysis: 'perTest',
    // Every suite runs on a fake clock: a mutant that does not finish in this time loops forever.
    timeoutMS: 10_000,
  });
  const results = await stryker.runMutationTest();
  const count = (status: string): number => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const invalid = results.length - killed - timeout - survived - noCoverage; // compile/runtime errors, ignored
  const valid = killed + timeout + survived + noCoverage;
  const score = valid === 0 ? 0 : (100 * (killed + timeout)) / valid;
  return { target, killed, timeout, survived, noCoverage, invalid, score, seconds: Math.round((Date.now() - startedAt) / 1000) };
}

function line(s: Score, judged: Verdict): string {
  const detected = s.killed + s.timeout;
  const valid = detected + s.survived + s.noCoverage;
  return (
    `  ${judged.ok ? 'PASS' : 'FAIL'} raw ${s.score.toFixed(2).padStart(6)}%  ${s.target.file}` +
    `  (${detected}/${valid} detected: killed ${s.killed}, timeout ${s.timeout}, survived ${s.survived}, no coverage ${s.noCoverage}` +
    `${s.invalid > 0 ? `; ${s.invalid} errors not counted` : ''}; ${s.seconds}s): ${judged.text}`
  );
}

const { exercise, only } = parseArgs(process.argv.slice(2), loadCourse(COURSE_ROOT).exercises);

// The suite imports `@impl/<workspace path>`; the config points that one specifier at the mutated file.
if (!exercise.solution.endsWith(`/${workspacePath(exercise)}`)) {
  process.stderr.write(`mutation: ${exercise.solution} is not laid out like ${exercise.stub}\n`);
  process.exit(2);
}
// Stryker works relative to the current directory (its sandbox is a copy of it).
process.chdir(COURSE_ROOT);

const scores: Score[] = [];
for (const target of await targetsOf(exercise, only)) {
  try {
    scores.push(await mutate(exercise, target));
  } catch (error) {
    process.stderr.write(`mutation: Stryker failed on ${target.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const notesFile = besideSuite(exercise, 'mutation.md');
const notes = existsSync(inCourse({ root: COURSE_ROOT }, notesFile)) ? readFileSync(inCourse({ root: COURSE_ROOT }, notesFile), 'utf8') : '';
const judged = scores.map((s) => ({ s, judged: judgeNotes(s.survived + s.noCoverage, readNotes(notes, s.target.file)) }));
const failed = judged.filter(({ judged: j }) => !j.ok);
process.stdout.write(
  [
    '',
    `Mutation scores for ${exercise.id} (suite ${exercise.suite}, notes ${notesFile}):`,
    ...judged.map(({ s, judged: j }) => line(s, j)),
    `  reports: reports/mutation/${exercise.id}/<file>.html and .json`,
    failed.length === 0
      ? `  every file's survivors are explained in ${notesFile}, and every file reaches ${REQUIRED_AFTER_EXPLANATIONS}% after explanations`
      : `  FAIL: ${failed.length} file(s) to look at: kill their survivors or explain them in ${notesFile} (and update its Score: line)`,
    '',
  ].join('\n'),
);
process.exit(failed.length === 0 ? 0 : 1);
