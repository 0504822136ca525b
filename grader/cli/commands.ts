/**
 * The grader's commands as data: names, usage and options, with the code of
 * each loaded only when that command runs (grading never pays for the rest).
 */
import type { CommandDefinition, ParsedCommand } from './argv.ts';

export interface Io {
  /** Only commands that prompt read it; absent means no terminal to prompt on. */
  stdin?: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The course's root folder (where course.json is), absolute. */
  root: string;
}

export interface CommandModule {
  run(parsed: ParsedCommand, io: Io): Promise<number>;
}

export interface Command extends CommandDefinition {
  load(): Promise<CommandModule>;
}

export const COMMANDS: Command[] = [
  {
    name: 'start',
    summary: 'your home in the course: pick an exercise, read, get hints, grade (npm start)',
    usage: 'start [--no-interactive]',
    details: [
      '--no-interactive   print the list and the next step instead of the menu',
      'Without a terminal (a pipe, CI set, TERM=dumb) it always prints the list. Ctrl+C at a menu quits (exit 0).',
    ],
    options: { 'no-interactive': { type: 'boolean' } },
    positionals: 0,
    load: () => import('./commands/start.ts'),
  },
  {
    name: 'list',
    summary: 'every exercise in course order with its status and points, then the next step',
    usage: 'list',
    details: ['Status: not started, in progress (graded, hinted or edited), done (passed once). Points: best/max.'],
    options: {},
    positionals: 0,
    load: () => import('./commands/list.ts'),
  },
  {
    name: 'lesson',
    summary: "read an exercise's lesson in the terminal (no id: the orientation)",
    usage: 'lesson [id | orientation] [--no-pager]',
    details: [
      'id                 the exercise whose lesson to show (default: the orientation)',
      '--no-pager         do not page through less on a terminal',
      'Rendered with colours on a terminal; plain Markdown in a pipe, with NO_COLOR or TERM=dumb.',
    ],
    options: { 'no-pager': { type: 'boolean' } },
    positionals: 1,
    load: () => import('./commands/lesson.ts'),
  },
  {
    name: 'hint',
    summary: 'the next hint for an exercise (one more each time)',
    usage: 'hint [id] [--all]',
    details: [
      'id                 the exercise (default: your current one, the first not yet passed)',
      '--all              show every hint at once',
    ],
    options: { all: { type: 'boolean' } },
    positionals: 1,
    load: () => import('./commands/hint.ts'),
  },
  {
    name: 'grade',
    summary: 'grade your exercises with the hidden suites',
    usage: 'grade [id ...] [--json] [--junit FILE] [--workspace DIR] [--timeout SECONDS] [--shuffle SEED]',
    details: [
      'id ...             exercises to grade, in any order (default: all, in course order)',
      '--json             print one JSON document on stdout and nothing else',
      '--junit FILE       also write the report as JUnit XML to FILE (for CI); stdout is unchanged',
      '--workspace DIR    grade DIR (laid out like exercises/) instead of exercises/',
      '--timeout SECONDS  time allowed per exercise before it counts as hung (default 10)',
      '--shuffle SEED     run the behaviours in an order shuffled with SEED (an integer); the report keeps suite order',
      'Exit status: 0 all pass, 1 any fails or errors, 2 usage error.',
    ],
    options: { json: { type: 'boolean' }, junit: { type: 'string' }, workspace: { type: 'string' }, timeout: { type: 'string' }, shuffle: { type: 'string' } },
    positionals: 'any',
    load: () => import('./commands/grade.ts'),
  },
  {
    name: 'batch',
    summary: 'grade a whole class: a gradebook, feedback for each learner and a class report',
    usage: 'batch DIR --out OUT [--jobs N] [--timeout SECONDS] [--no-progress]',
    details: [
      "DIR                each subfolder is one learner, named by the learner's id, holding the exercises/ layout",
      '                   (01-pool/pool.ts, ...) or a copy of the course (then its exercises/ is graded);',
      '                   hidden folders and plain files are ignored',
      '--out OUT          where to write (outside DIR); an earlier gradebook there is moved to OUT/previous/<time>/',
      '--jobs N           how many grading processes run at once (default: one per core, plus one, so that a',
      '                   learner\'s hang does not hold the whole machine); with 1, every exercise gets a fresh process',
      '--timeout SECONDS  time allowed per exercise of a learner before it counts as hung (default 10)',
      '--no-progress      no progress bar on stderr (there is none off a terminal anyway)',
      'Writes OUT/gradebook.csv (learner, points per exercise, total, max), OUT/gradebook.json (each learner\'s',
      '--json report with "learner"), OUT/feedback/<learner>.md and OUT/report.html (the class at a glance: scores,',
      'pass rates, the most-missed behaviours with their hints); prints a summary. Progress is not recorded.',
      'Exit status: 0 the gradebook is written (whatever the learners scored), 2 usage error.',
    ],
    options: { out: { type: 'string' }, jobs: { type: 'string' }, timeout: { type: 'string' }, 'no-progress': { type: 'boolean' } },
    positionals: 1,
    load: () => import('./commands/batch.ts'),
  },
  {
    name: 'watch',
    summary: 'grade one exercise every time you save it, and show the next thing to fix',
    usage: 'watch [id] [--timeout SECONDS] [--workspace DIR]',
    details: [
      'id                 the exercise to watch (default: your current one, the first not yet passed)',
      '--timeout SECONDS  time allowed per grading before it counts as hung (default 10)',
      '--workspace DIR    watch DIR (laid out like exercises/) instead of exercises/; progress is not recorded',
      'Shows the first behaviour that does not pass, in full, and how many more there are; on a pass,',
      'what comes next. Each result clears the terminal (in a pipe: a separator line). Ctrl+C stops (exit 0).',
    ],
    options: { timeout: { type: 'string' }, workspace: { type: 'string' } },
    positionals: 1,
    load: () => import('./commands/watch.ts'),
  },
  {
    name: 'verify',
    summary: 'check the course itself: stubs score 0, solutions 100%, every zoo bug is caught',
    usage: 'verify [id ...] [--timeout SECONDS] [--shuffle SEED] [--reports FILE] [--reuse-workers]',
    details: [
      'id ...             exercises to verify (default: all)',
      '--timeout SECONDS  time allowed per exercise and implementation (default 10)',
      '--shuffle SEED     run every implementation\'s behaviours in an order shuffled with SEED (default: a seed of its own each)',
      '--reports FILE     also write every implementation\'s report (the --json shape of one exercise) to FILE',
      '--reuse-workers    grade as batch does: a process goes on to the next implementation while it is clean',
      'Exit status: 0 every check passes, 1 otherwise, 2 usage error.',
    ],
    options: { timeout: { type: 'string' }, shuffle: { type: 'string' }, reports: { type: 'string' }, 'reuse-workers': { type: 'boolean' } },
    positionals: 'any',
    load: () => import('./commands/verify.ts'),
  },
  {
    name: 'reset',
    summary: "put an exercise's original stub back (your file is backed up first)",
    usage: 'reset <id> [--yes] [--no-interactive]',
    details: [
      'id                 the exercise to reset',
      '--yes              do not ask; required without a terminal (else: exit 2, nothing changed)',
      '--no-interactive   never ask (then --yes is required)',
      'Your file is copied to .grader/backups/<id>-<time>.ts first; the original stub comes from git (in the learner',
      'edition, from the copy in grader/stubs/ when git has none).',
    ],
    options: { yes: { type: 'boolean', short: 'y' }, 'no-interactive': { type: 'boolean' } },
    positionals: 1,
    load: () => import('./commands/reset.ts'),
  },
  {
    name: 'solution',
    summary: 'the reference solution and a diff against your file, once the exercise passes',
    usage: 'solution <id> [--force]',
    details: [
      'id                 the exercise',
      '--force            show it even though the exercise has not passed yet',
      'Exit status: 0 shown, 1 refused (not passed yet), 2 usage error.',
    ],
    options: { force: { type: 'boolean' } },
    positionals: 1,
    load: () => import('./commands/solution.ts'),
  },
  {
    name: 'release',
    summary: 'write the learner edition of the course to OUT, for an instructor to hand out',
    usage: 'release OUT',
    details: [
      'OUT                a new or empty folder outside this repository (a release never overwrites)',
      'Writes the lessons, the original stubs (from git, even if exercises/ holds your work), the practice tests,',
      "the grader's runtime, and each hidden suite bundled and minified with esbuild. Leaves out solutions/, the",
      "bug zoo, the suites' TypeScript source, the grader's tests, fixtures and dev tools; in the edition,",
      "'solution' and 'verify' say so, and 'reset' works without git.",
      'Bundling keeps honest learners honest and is not security: anyone can read or run the bundle.',
      'Exit status: 0 written, 1 an original stub cannot be found, 2 usage error (OUT not empty, or inside the repository).',
    ],
    options: {},
    positionals: 1,
    load: () => import('./commands/release.ts'),
  },
];

export function formatHelp(commands: CommandDefinition[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Async Patterns in TypeScript — the grader',
    '',
    'Usage: npm run grader -- <command> [options]     (npm run grade -- [id ...] is short for grade)',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run 'npm run grader -- <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function formatCommandHelp(command: CommandDefinition): string {
  return [`Usage: npm run grader -- ${command.usage}`, '', command.summary, '', ...command.details.map((line) => `  ${line}`), ''].join(
    '\n',
  );
}
