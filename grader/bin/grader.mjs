#!/usr/bin/env node
/**
 * Thin entry: hand the process to `main` and exit with what it returns.
 *
 * Plain JavaScript on purpose. vitest is loaded before TypeScript support is
 * registered, because tsx's module hooks make every later import cross a
 * thread: loading vitest under them takes about three times as long
 * (measured by `npm run bench`).
 */
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';

const command = process.argv[2];
// `start` grades from its menu, but only on a terminal: off one it just prints the list.
const grades = command === 'grade' || command === 'verify' || command === 'batch' || command === 'watch' || (command === 'start' && isatty(0) && isatty(1));
if (grades) await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');

const code = await main(process.argv.slice(2), {
  // A getter: only commands that prompt create the stdin stream.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // The course this grader came with; the grader's own tests point it at a fixture course.
  root: process.env.GRADER_COURSE_ROOT ? resolve(process.env.GRADER_COURSE_ROOT) : fileURLToPath(new URL('../..', import.meta.url)),
});
// Exit explicitly: a learner's leftover handle must not keep the grader alive.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
