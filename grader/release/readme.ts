/** The learner edition's README.md: how to start, how to grade, and what the bundled suites are (and are not). */
import type { Course } from '../course/manifest.ts';

export const HONEST_BUNDLES =
  'Bundling keeps honest learners honest and is not security: anyone can read or run the bundle.';

export function editionReadme(course: Course, nodeVersion: string | undefined): string {
  const first = course.exercises[0]!;
  const rows = course.exercises.map((exercise, i) => `| ${i + 1} | \`${exercise.id}\` | ${exercise.title} |`);
  const grading: Array<[string, string]> = [
    ['npm run grade', 'every exercise'],
    [`npm run grade -- ${first.id}`, 'one exercise'],
    ['npm run grader -- watch', 'grade your current exercise every time you save it'],
  ];
  const width = Math.max(...grading.map(([command]) => command.length)) + 2;
  return [
    `# ${course.title}`,
    '',
    'Lessons on the asynchronous patterns production code depends on, one exercise per lesson, and a grader that',
    'tells you, behaviour by behaviour, what your code gets right and what it gets wrong.',
    '',
    '| # | exercise | what you build |',
    '|---|---|---|',
    ...rows,
    '',
    '## Start',
    '',
    `You need Node.js ${nodeVersion ?? '20.19 or later'}.`,
    '',
    '```sh',
    'npm install',
    'npm start',
    '```',
    '',
    `\`npm start\` shows where you are and offers the next thing to do. The lessons are in \`lessons/\` (start with`,
    `\`${course.orientation}\`); you write your code in \`${first.stub}\` and the other stubs beside it.`,
    '',
    '## Grade your work',
    '',
    '```sh',
    ...grading.map(([command, what]) => `${command.padEnd(width)}# ${what}`),
    '```',
    '',
    `Also: \`npm test\` runs the practice tests next to each stub (\`npx vitest ${first.stub.replace(/\/[^/]+$/, '')}\` for one`,
    `exercise, again on every save; \`npm run test:ui\` in the browser); \`npm run grader -- hint ${first.id}\` gives the next`,
    `hint; \`npm run grader -- reset ${first.id}\` puts the original stub back after saving yours in \`.grader/backups/\`.`,
    'Every command has `--help`.',
    '',
    '## About the hidden suites',
    '',
    'The grader checks your code with hidden suites, shipped here as bundled, minified JavaScript',
    `(\`grader/suites/*.suite.js\`) so that you do not read the tests by accident. ${HONEST_BUNDLES}`,
    'Reading them would tell you what is checked, not how to write the pattern; the lessons, the hints and the',
    "grader's messages are there for that. This edition has no reference solutions: ask your instructor.",
    '',
  ].join('\n');
}
