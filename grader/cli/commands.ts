/**
 * The grader's commands as data: names, usage and options, with the code of
 * each loaded only when that command runs (grading never pays for the rest).
 */
import type { CommandDefinition, ParsedCommand } from './argv.ts';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandModule {
  run(parsed: ParsedCommand, io: Io): Promise<number>;
}

export interface Command extends CommandDefinition {
  load(): Promise<CommandModule>;
}

export const COMMANDS: Command[] = [
  {
    name: 'grade',
    summary: 'grade your exercises with the hidden suites',
    usage: 'grade [id ...] [--json] [--workspace DIR] [--timeout SECONDS] [--shuffle SEED]',
    details: [
      'id ...             exercises to grade, in any order (default: all, in course order)',
      '--json             print one JSON document on stdout and nothing else',
      '--workspace DIR    grade DIR (laid out like exercises/) instead of exercises/',
      '--timeout SECONDS  time allowed per exercise before it counts as hung (default 10)',
      '--shuffle SEED     run the behaviours in an order shuffled with SEED (an integer); the report keeps suite order',
      'Exit status: 0 all pass, 1 any fails or errors, 2 usage error.',
    ],
    options: { json: { type: 'boolean' }, workspace: { type: 'string' }, timeout: { type: 'string' }, shuffle: { type: 'string' } },
    positionals: 'any',
    load: () => import('./commands/grade.ts'),
  },
  {
    name: 'verify',
    summary: 'check the course itself: stubs score 0, solutions 100%, every zoo bug is caught',
    usage: 'verify [id ...] [--timeout SECONDS]',
    details: [
      'id ...             exercises to verify (default: all)',
      '--timeout SECONDS  time allowed per exercise and implementation (default 10)',
      'Exit status: 0 every check passes, 1 otherwise, 2 usage error.',
    ],
    options: { timeout: { type: 'string' } },
    positionals: 'any',
    load: () => import('./commands/verify.ts'),
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
