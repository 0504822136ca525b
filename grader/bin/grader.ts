#!/usr/bin/env -S npx tsx
/** Thin entry: hand the process to `main` and exit with what it returns. */
import { main } from '../cli/main.ts';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Exit explicitly: a learner's leftover handle must not keep the grader alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
