#!/usr/bin/env node
/**
 * Thin entry: hand the process to `main` and exit with what it returns.
 *
 * Plain JavaScript on purpose. vitest is loaded before TypeScript support is
 * registered, because tsx's module hooks make every later import cross a
 * thread: loading vitest under them takes about three times as long
 * (measured by `npm run bench`).
 */
const command = process.argv[2];
if (command === 'grade' || command === 'verify') await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Exit explicitly: a learner's leftover handle must not keep the grader alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
