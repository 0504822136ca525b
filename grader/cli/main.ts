/** The grader CLI without the process: argv and streams in, an exit code out. */
import { parseArgv } from './argv.ts';
import { COMMANDS, formatCommandHelp, formatHelp, type Io } from './commands.ts';
import { exitCodeFor, EXIT } from './errors.ts';

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const parsed = parseArgv(argv, COMMANDS);
    if (parsed.command === undefined) {
      io.stdout.write(formatHelp(COMMANDS));
      return EXIT.ok;
    }
    if (parsed.help) {
      io.stdout.write(formatCommandHelp(parsed.command));
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === parsed.command.name)!;
    const module = await command.load();
    return await module.run(parsed, io);
  } catch (error) {
    return exitCodeFor(error, io.stderr);
  }
}
