/**
 * Mutation testing of one exercise's hidden suite (definition of done, item 7):
 *
 *   npm run mutation -- <id>       e.g. npm run mutation -- pool
 *
 * StrykerJS mutates the exercise's reference solution (and nothing else) and
 * runs the exercise's hidden suite against every mutant through its vitest
 * runner, with grader/dev/mutation.vitest.config.ts. At least 90% of the
 * mutants must be killed. Survivors are listed by the clear-text reporter and
 * in reports/mutation/<id>.html (and .json); each one is killed by a stronger check or
 * explained in grader/suites/<id>.mutation.md.
 *
 * Exit status: 0 when the score reaches the break threshold, 1 when it does
 * not or Stryker fails, 2 for a usage error. Too slow for `npm test` (pool: about
 * 25-40 s on 2 cores).
 */
import { Stryker } from '@stryker-mutator/core';
import { loadCourse, REPO_ROOT, workspacePath, type Exercise } from '../course/manifest.ts';

const THRESHOLDS = { high: 95, low: 90, break: 90 };
const CONFIG_FILE = 'grader/dev/mutation.vitest.config.ts';

function usage(ids: string[]): string {
  return [
    'usage: npm run mutation -- <id>',
    '',
    "Mutation-tests an exercise's hidden suite: StrykerJS mutates the reference solution",
    `and runs the hidden suite against each mutant; at least ${THRESHOLDS.break}% must be killed.`,
    `Exercises: ${ids.join(', ')}`,
  ].join('\n');
}

function usageError(message: string): never {
  process.stderr.write(`mutation: ${message} (see npm run mutation -- --help)\n`);
  process.exit(2);
}

function parseArgs(argv: string[], exercises: Exercise[]): Exercise {
  const ids = exercises.map((e) => e.id);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage(ids)}\n`);
    process.exit(0);
  }
  const flag = argv.find((arg) => arg.startsWith('-'));
  if (flag) usageError(`unknown option ${flag}`);
  if (argv.length === 0) usageError(`name one exercise id: ${ids.join(', ')}`);
  if (argv.length > 1) usageError(`one exercise id at a time, got ${argv.length}: ${argv.join(' ')}`);
  const exercise = exercises.find((e) => e.id === argv[0]);
  if (!exercise) usageError(`unknown exercise "${argv[0]}"; known: ${ids.join(', ')}`);
  return exercise;
}

const exercise = parseArgs(process.argv.slice(2), loadCourse().exercises);

// The suite imports `@impl/<workspace path>`; the config aliases `@impl` to the solutions folder.
if (!exercise.solution.endsWith(`/${workspacePath(exercise)}`)) {
  process.stderr.write(`mutation: ${exercise.solution} is not laid out like ${exercise.stub}\n`);
  process.exit(2);
}

// Stryker works relative to the current directory (its sandbox is a copy of it).
process.chdir(REPO_ROOT);
// Read by mutation.vitest.config.ts, in the sandbox, in every Stryker worker.
process.env.MUTATION_EXERCISE = exercise.id;

const startedAt = Date.now();
const stryker = new Stryker({
  mutate: [exercise.solution],
  testRunner: 'vitest',
  vitest: { configFile: CONFIG_FILE, related: false },
  // Only what the suite needs is copied into the sandbox.
  // One temp folder per exercise, so that mutation runs of different exercises can run side by side.
  ignorePatterns: ['/lessons', '/exercises', '/.lesson-blocks', '/.grader', '/.ci', '/grader/zoo', '/.stryker-tmp', '/reports'],
  tempDirName: `.stryker-tmp/${exercise.id}`,
  cleanTempDir: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${exercise.id}.html` },
  jsonReporter: { fileName: `reports/mutation/${exercise.id}.json` },
  clearTextReporter: { allowColor: process.stdout.isTTY, logTests: false, reportScoreTable: true },
  thresholds: THRESHOLDS,
  coverageAnalysis: 'perTest',
  // Every suite runs on a fake clock: a mutant that does not finish in this time loops forever.
  timeoutMS: 10_000,
});

let results;
try {
  results = await stryker.runMutationTest();
} catch (error) {
  process.stderr.write(`mutation: Stryker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const count = (status: string): number => results.filter((r) => r.status === status).length;
const killed = count('Killed');
const timeout = count('Timeout');
const survived = count('Survived');
const noCoverage = count('NoCoverage');
const invalid = results.length - killed - timeout - survived - noCoverage; // compile/runtime errors, ignored
const detected = killed + timeout;
const valid = detected + survived + noCoverage;
const score = valid === 0 ? 0 : (100 * detected) / valid;
const seconds = Math.round((Date.now() - startedAt) / 1000);
const passed = score >= THRESHOLDS.break;

const lines = [
  '',
  `Mutation score for ${exercise.id}: ${score.toFixed(2)}% (${detected} of ${valid} mutants detected)`,
  `  killed ${killed}, timeout ${timeout}, survived ${survived}, no coverage ${noCoverage}` +
    (invalid > 0 ? `, not counted (errors, ignored) ${invalid}` : ''),
  `  mutated ${exercise.solution}, suite ${exercise.suite}, ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`,
  `  reports: reports/mutation/${exercise.id}.html, reports/mutation/${exercise.id}.json`,
  passed
    ? `  PASS: at least ${THRESHOLDS.break}% killed`
    : `  FAIL: under the ${THRESHOLDS.break}% the course requires; kill or explain the survivors in ${exercise.suite.replace(/\.suite\.ts$/, '.mutation.md')}`,
  '',
];
process.stdout.write(lines.join('\n'));
process.exit(passed ? 0 : 1);
