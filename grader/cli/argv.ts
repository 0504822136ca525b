/**
 * argv → a command and its options, with no side effects: every mistake is a
 * UsageError with a one-line message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandDefinition {
  name: string;
  summary: string;
  /** `grade [id ...] [--json] ...` */
  usage: string;
  /** Lines explaining options and arguments, for --help. */
  details: string[];
  options: OptionSpec;
  /** How many positionals: 'any', or a maximum. */
  positionals: 'any' | number;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface ParsedCommand {
  command: CommandDefinition;
  positionals: string[];
  options: OptionValues;
  help: boolean;
}

export type Parsed = ParsedCommand | { command: undefined; help: true };

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missingValue = /Option '([^']+)' argument missing/.exec(message);
  if (missingValue) return `option ${missingValue[1]!.replace(/^-\w, /, '').replace(/ <value>$/, '')} needs a value`;
  return message.split('\n')[0]!.replace(/\.$/, '');
}

export function parseArgv(argv: string[], commands: CommandDefinition[], defaultCommand?: string): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) return parseArgv([rest[0], '--help'], commands);
    if (first === undefined && defaultCommand) return parseArgv([defaultCommand], commands);
    return { command: undefined, help: true };
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command) {
    const names = commands.map((c) => c.name).join(', ');
    throw new UsageError(`unknown command '${first}' (commands: ${names})`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${command.name}: ${describeParseError(error)}`);
  }
  const { help, ...options } = parsed.values as OptionValues;
  if (command.positionals !== 'any' && parsed.positionals.length > command.positionals) {
    throw new UsageError(`${command.name}: unexpected argument '${parsed.positionals[command.positionals]}'`);
  }
  return { command, positionals: parsed.positionals, options, help: help === true };
}

/** A positive number of seconds, from a flag's text. */
export function parseSeconds(value: string | boolean | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} needs a positive number of seconds, got '${String(value)}'`);
  }
  return seconds;
}

/** A whole number, from a flag's text. */
export function parseInteger(value: string | boolean | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag} needs a whole number, got '${String(value)}'`);
  }
  return number;
}
