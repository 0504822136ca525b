import { describe, expect, it } from 'vitest';
import { parseArgv, parseSeconds } from '../cli/argv.ts';
import { COMMANDS } from '../cli/commands.ts';
import { UsageError } from '../errors/usage-error.ts';

const parse = (...argv: string[]) => parseArgv(argv, COMMANDS);

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgv', () => {
  it('reads a command, its ids and its flags', () => {
    const parsed = parse('grade', 'delay', 'once', '--json', '--workspace', 'subs/ann', '--timeout', '4');
    expect(parsed.command?.name).toBe('grade');
    if (parsed.command === undefined) return;
    expect(parsed.positionals).toEqual(['delay', 'once']);
    expect(parsed.options).toEqual({ json: true, workspace: 'subs/ann', timeout: '4' });
    expect(parsed.help).toBe(false);
  });

  it('accepts flags before ids and --flag=value', () => {
    const parsed = parse('grade', '--workspace=dir', 'delay');
    expect(parsed.command && parsed.positionals).toEqual(['delay']);
    expect(parsed.command && parsed.options.workspace).toBe('dir');
  });

  it('shows general help with no arguments, --help, -h or help', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      expect(parse(...argv)).toEqual({ command: undefined, help: true });
    }
  });

  it('shows a command’s help with --help or `help <command>`', () => {
    expect(parse('grade', '--help')).toMatchObject({ help: true, command: { name: 'grade' } });
    expect(parse('help', 'verify')).toMatchObject({ help: true, command: { name: 'verify' } });
  });

  it('rejects an unknown command, naming the known ones', () => {
    expect(usageMessage(() => parse('grate'))).toBe(`unknown command 'grate' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  });

  it('rejects an unknown flag in one line', () => {
    expect(usageMessage(() => parse('grade', '--jsn'))).toBe('grade: unknown option --jsn');
  });

  it('rejects a flag without its value', () => {
    expect(usageMessage(() => parse('grade', '--workspace'))).toBe('grade: option --workspace needs a value');
  });

  it('rejects a value given to a boolean flag', () => {
    expect(usageMessage(() => parse('grade', '--json=yes'))).toMatch(/^grade: .*json/);
  });
});

describe('parseSeconds', () => {
  it('reads positive numbers of seconds', () => {
    expect(parseSeconds('2.5', '--timeout')).toBe(2.5);
    expect(parseSeconds(undefined, '--timeout')).toBeUndefined();
  });

  it.each(['0', '-1', 'soon', '', 'Infinity'])('rejects %j', (value) => {
    expect(usageMessage(() => parseSeconds(value, '--timeout'))).toMatch(/^--timeout needs a positive number of seconds/);
  });
});
