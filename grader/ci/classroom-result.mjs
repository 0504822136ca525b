#!/usr/bin/env node
/**
 * grade.json (the `grade --json` report) → the `result` output that GitHub
 * Classroom's reporter reads (classroom-resources/autograding-grading-reporter):
 * base64 of { version, status, max_score, tests: [{ name, status, score, message }] }.
 * Classroom's points are the sum of the tests' `score` out of `max_score`.
 *
 *   node grader/ci/classroom-result.mjs grade.json >> "$GITHUB_OUTPUT"
 *
 * prints one line, `result=<base64>`. Plain JavaScript, so it runs before and
 * without any build. See docs/autograding.md.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The reporter receives the result in an environment variable, and Linux
 * refuses one longer than 128 KiB: stay well below, with room for base64's 4/3.
 */
export const MAX_JSON_CHARS = 90_000;
const MAX_MESSAGE_CHARS = 600;

/** The reporter's result object for a grader report. */
export function classroomResult(report, { maxMessageChars = MAX_MESSAGE_CHARS } = {}) {
  const tests = report.exercises.flatMap((exercise) => {
    const run = `npm run grade -- ${exercise.id}`;
    if (exercise.status === 'error') {
      // One entry: the reason is the exercise's, not any behaviour's.
      return [entry(`${exercise.id} › could not be graded`, 'error', 0, exercise.message ?? 'error', run, maxMessageChars)];
    }
    return exercise.tests.map((test) =>
      entry(`${exercise.id} › ${test.task} › ${test.name}`, test.status, test.points, test.message, run, maxMessageChars),
    );
  });
  return { version: 1, status: report.status, max_score: report.maxPoints, tests };
}

function entry(name, status, score, message, run, maxMessageChars) {
  return {
    name,
    status,
    score,
    ...(status === 'pass' || message === undefined ? {} : { message: shorten(message, maxMessageChars) }),
    test_code: run,
  };
}

function shorten(text, max) {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** base64 of the result's JSON, with messages shortened (then dropped) until it fits. */
export function encodeResult(report) {
  let json = '';
  for (const maxMessageChars of [MAX_MESSAGE_CHARS, 200, 0]) {
    json = JSON.stringify(classroomResult(report, { maxMessageChars }));
    if (json.length <= MAX_JSON_CHARS) break;
  }
  return Buffer.from(json, 'utf8').toString('base64');
}

function isReport(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    value.version === 1 &&
    typeof value.status === 'string' &&
    typeof value.maxPoints === 'number' &&
    Array.isArray(value.exercises)
  );
}

function main(args) {
  const [file] = args;
  if (file === undefined || args.length > 1) {
    process.stderr.write('usage: node grader/ci/classroom-result.mjs grade.json\n');
    return 2;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`classroom-result: cannot read ${file} as JSON (${error.code ?? error.message})\n`);
    return 1;
  }
  if (!isReport(report)) {
    process.stderr.write(`classroom-result: ${file} is not a grader report (npm run --silent grade -- --json)\n`);
    return 1;
  }
  process.stdout.write(`result=${encodeResult(report)}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
