/**
 * `batch`: grading a class into a gradebook. The pure parts one by one, the usage errors in process, then
 * the real CLI on a small class built from the fixture course's stubs, solutions and bug zoo (delay and
 * once, 4 points each: 3 behaviours, the first worth 2).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFeedback } from '../batch/feedback.ts';
import { learnerCounter } from '../batch/grade-class.ts';
import { csvField, formatGradebookCsv, gradebookEntries, guardFormula, type GradebookEntry, type GradedLearner } from '../batch/gradebook.ts';
import { byteOrder, discoverLearners } from '../batch/learners.ts';
import { movePrevious, prepareOutput, timestampName, writeResults } from '../batch/output.ts';
import { createProgressBar, formatProgress, showsProgress } from '../batch/progress-bar.ts';
import { formatSummary } from '../batch/summary.ts';
import { parseArgv } from '../cli/argv.ts';
import { COMMANDS, type Io } from '../cli/commands.ts';
import { main } from '../cli/main.ts';
import { isInside, realPath } from '../common/inside.ts';
import { inCourse, type Exercise } from '../course/manifest.ts';
import { loadZoo } from '../course/zoo.ts';
import { workspaceCandidate } from '../engine/candidate.ts';
import { scoreCandidates } from '../engine/grade.ts';
import type { CandidateRuns, ExerciseRun, RawTest } from '../engine/run-result.ts';
import { UsageError } from '../errors/usage-error.ts';
import { toJsonDocument } from '../report/json.ts';
import { buildReport, scoreExercise } from '../report/score.ts';
import type { GradeReport } from '../report/types.ts';
import { FIXTURE_COURSE, fixtureCourse } from './support/course.ts';
import { runGrader } from './support/run-grader.ts';

const tmp = mkdtempSync(join(tmpdir(), 'grader-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let folders = 0;
/** A fresh empty folder under this file's temporary folder. */
function freshFolder(name: string): string {
  const folder = join(tmp, `${++folders}-${name}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

const course = fixtureCourse();
const exercises = course.exercises;
const byId = (id: string): Exercise => exercises.find((exercise) => exercise.id === id)!;
const MAX = exercises.reduce((total, exercise) => total + exercise.points, 0);

// The fixture's behaviours: delay's, then once's.
const RESOLVES = 'resolves with the value after exactly ms milliseconds';
const ZERO = 'delay(0) resolves only once a timer fires, never at once';
const THROWS = 'throws a TypeError at once for an ms that is negative, not finite or not a number';
const FIRST_CALL = "calls fn the first time only, with the first call's arguments";
const REJECTION = "every call gets the first call's rejection, the same error object";
const SYNC_THROW = 'a synchronous throw of fn becomes a rejection, never a throw';

const passed = (name: string, task: string, points = 1): RawTest => ({ name, task, points, state: 'passed' });
const failed = (name: string, task: string, message: string, kind: RawTest['kind'] = 'wrong', points = 1): RawTest => ({
  name,
  task,
  points,
  state: 'failed',
  kind,
  message,
});

/** A report of the whole course from a few runs; exercises without a run are what a lost result becomes. */
function reportOf(runs: Record<string, ExerciseRun>): GradeReport {
  return buildReport(exercises.map((exercise) => scoreExercise(exercise, runs[exercise.id])));
}

/** Every exercise's points (a report that says what each behaviour is worth, with one behaviour). */
function scoredReport(points: Record<string, number>): GradeReport {
  return reportOf(
    Object.fromEntries(
      exercises.map((exercise) => {
        const earned = points[exercise.id] ?? 0;
        const tests = [passed('earned', 't', earned), failed('missed', 't', 'expected: more', 'wrong', exercise.points - earned)];
        return [exercise.id, { outcome: 'finished', moduleErrors: [], tests: tests.filter((test) => test.points > 0) }];
      }),
    ),
  );
}

describe('discoverLearners', () => {
  it('finds one learner per folder, in either layout, sorted by byte order; hidden entries and files are not learners', () => {
    const dir = freshFolder('class');
    mkdirSync(join(dir, 'ann', '01-delay'), { recursive: true });
    mkdirSync(join(dir, 'bob', 'exercises', '01-delay'), { recursive: true });
    mkdirSync(join(dir, 'Zed'));
    mkdirSync(join(dir, 'émile'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.DS_Store'), '');
    writeFileSync(join(dir, 'notes.txt'), 'not a learner');
    writeFileSync(join(dir, 'carol'), 'a file named like a learner');

    expect(discoverLearners(dir)).toEqual([
      { id: 'Zed', folder: join(dir, 'Zed') },
      { id: 'ann', folder: join(dir, 'ann') },
      { id: 'bob', folder: join(dir, 'bob', 'exercises') },
      { id: 'émile', folder: join(dir, 'émile') },
    ]);
  });

  it('a course copy whose exercises/ is a file is graded as the exercises/ layout', () => {
    const dir = freshFolder('class');
    mkdirSync(join(dir, 'dan'));
    writeFileSync(join(dir, 'dan', 'exercises'), '');
    expect(discoverLearners(dir)).toEqual([{ id: 'dan', folder: join(dir, 'dan') }]);
  });

  it('orders by UTF-8 bytes, not by locale', () => {
    expect(['b', 'é', 'B', 'a', '_'].sort(byteOrder)).toEqual(['B', '_', 'a', 'b', 'é']);
  });
});

describe('the gradebook', () => {
  it('quotes fields as RFC 4180 asks', () => {
    expect(csvField('ann')).toBe('ann');
    expect(csvField('smith, ann')).toBe('"smith, ann"');
    expect(csvField('ann "the ace"')).toBe('"ann ""the ace"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('turns what a spreadsheet would run as a formula into text', () => {
    for (const id of ['=SUM(A1:A9)', '+1', '-1', '@cmd', '\tx', '\rx']) expect(guardFormula(id)).toBe(`'${id}`);
    for (const id of ['ann', '1-a', 'a=b', "'quoted"]) expect(guardFormula(id)).toBe(id);
  });

  it('has a header, then one row of points per learner, with total and max; ids guarded, then quoted', () => {
    const learners: GradedLearner[] = [
      { id: 'ann', report: scoredReport({ delay: 3, once: 1 }) },
      { id: 'smith, "bo"', report: scoredReport({ once: 2 }) },
      { id: '=HYPERLINK("http://x","y")', report: scoredReport({}) },
    ];
    const ids = exercises.map((exercise) => exercise.id).join(',');
    expect(ids).toBe('delay,once');
    expect(MAX).toBe(8);
    expect(formatGradebookCsv(learners, exercises)).toBe(
      `learner,${ids},total,max\r\n` +
        `ann,3,1,4,${MAX}\r\n` +
        `"smith, ""bo""",0,2,2,${MAX}\r\n` +
        `"'=HYPERLINK(""http://x"",""y"")",0,0,0,${MAX}\r\n`,
    );
  });

  it('the JSON list holds each learner’s --json document, with the learner’s id as it is', () => {
    const report = scoredReport({ delay: 3 });
    const [entry] = gradebookEntries([{ id: '=ann', report }]);
    expect(entry).toEqual({ learner: '=ann', ...toJsonDocument(report) });
  });
});

describe('scoring a class', () => {
  const learners = [
    { id: 'ann', folder: '/class/ann' },
    { id: 'lost', folder: '/class/lost' },
  ];
  const annRuns: CandidateRuns = new Map(
    exercises.map((exercise): [string, ExerciseRun] => [
      exercise.id,
      { outcome: 'finished', moduleErrors: [], tests: [passed('all of it', 't', exercise.points)] },
    ]),
  );

  it('a learner the engine lost entirely still gets a report: every exercise an error, 0 points', () => {
    // As gradeClass scores the engine's runs: one candidate per learner, its report in the learners' order.
    const reports = scoreCandidates(
      learners.map((learner) => workspaceCandidate(learner.id, learner.folder, exercises)),
      exercises,
      new Map([['ann', annRuns]]),
    );
    const graded: GradedLearner[] = learners.map((learner) => ({ id: learner.id, report: reports.get(learner.id)! }));
    expect(graded.map(({ id, report }) => [id, report.status, report.points, report.maxPoints])).toEqual([
      ['ann', 'pass', MAX, MAX],
      ['lost', 'error', 0, MAX],
    ]);
    for (const result of graded[1]!.report.exercises) {
      expect(result).toMatchObject({ status: 'error', points: 0, message: 'the grader could not run this exercise (the grading run stopped early)' });
    }
    const csv = formatGradebookCsv(graded, exercises);
    expect(csv.split('\r\n')[2]).toBe(`lost,0,0,0,${MAX}`);
    const feedback = formatFeedback('lost', graded[1]!.report, course);
    expect(feedback).toContain('the grader could not run this exercise (the grading run stopped early)');
  });

  it('counts a learner done once all its exercises are graded, in any order, each once', () => {
    const done: number[] = [];
    const graded = learnerCounter(2, (count) => done.push(count));
    graded('ann', 'delay');
    graded('bob', 'once');
    graded('ann', 'delay');
    expect(done).toEqual([]);
    graded('bob', 'delay');
    graded('bob', 'delay');
    graded('ann', 'once');
    expect(done).toEqual([1, 2]);
  });
});

describe('formatFeedback', () => {
  const delay = byId('delay');
  const once = byId('once');
  // delay: one behaviour passes, one fails with a hint and printed output, one is a stub's (in a second task,
  // made up: the fixture's exercises have one task each); once: stopped by the watchdog.
  const report = reportOf({
    delay: {
      outcome: 'finished',
      moduleErrors: [],
      tests: [
        passed(RESOLVES, 'delay', 2),
        { ...failed(ZERO, 'delay', 'expected: delay(0, 1) still pending before any timer fires\nbut got:  it had fulfilled\nhint:     even 0 ms goes through setTimeout'), output: 'debug: here' },
        failed(THROWS, 'validation', 'not implemented yet: delay.ts:6:9 still throws', 'not-implemented'),
      ],
    },
    once: { outcome: 'timed-out', budgetMs: 10_000, tests: [passed(FIRST_CALL, 'once', 2), passed(REJECTION, 'once', 1)] },
  });
  const text = formatFeedback('ann_*x*', report, course);
  // delay passes; once's file is missing.
  const other = formatFeedback(
    'bo',
    reportOf({
      delay: { outcome: 'finished', moduleErrors: [], tests: [passed(RESOLVES, 'delay', 2), passed(ZERO, 'delay'), passed(THROWS, 'delay')] },
      once: { outcome: 'missing', file: 'bo/02-once/once.ts' },
    }),
    course,
  );
  // delay's file is missing; once's run was lost.
  const lost = formatFeedback('cy', reportOf({ delay: { outcome: 'missing', file: 'cy/01-delay/delay.ts' } }), course);

  it('starts with a title and the total', () => {
    const start = `# ${course.title} — feedback for ann\\_\\*x\\*\n\n**Total: 2/${report.maxPoints} points**\n`;
    expect(report.maxPoints).toBe(8);
    expect(text.slice(0, start.length)).toBe(start);
  });

  it('lists every behaviour with ✓ or ✗, its points, and the message of each failure in a code block', () => {
    expect(text).toContain(`## delay — ${delay.title}\n\n**not yet** · 2/4 points · 1 of 3 behaviours pass\n`);
    expect(text).toContain(`### delay\n\n- ✓ ${RESOLVES} (2/2)\n`);
    expect(text).toContain(
      `- ✗ ${ZERO} (0/1)\n\n  \`\`\`text\n  expected: delay(0, 1) still pending before any timer fires\n  but got:  it had fulfilled\n  hint:     even 0 ms goes through setTimeout\n  \`\`\`\n\n` +
        '  Your code printed:\n\n  ```text\n  debug: here\n  ```\n',
    );
    expect(text).toContain(`### validation\n\n- ✗ ${THROWS} (0/1) — not implemented yet\n`);
    expect(other).toContain(`## delay — ${delay.title}\n\n**passed** · 4/4 points · 3 of 3 behaviours pass\n`);
    expect(other).not.toContain('- ✗ ');
  });

  it('says why an exercise could not be graded, and a repeated message only once', () => {
    expect(text).toContain(
      `## once — ${once.title}\n\n**could not be graded** · 0/${once.points} points · 0 of 2 behaviours pass\n\nYour file could not be graded:\n\n` +
        '```text\ndid not finish in 10 s: is there an infinite loop?\n```\n',
    );
    expect(text).toContain(`- ✗ ${FIRST_CALL} (0/2)\n\n  \`\`\`text\n  not counted: grading of this exercise was stopped\n  \`\`\`\n- ✗ ${REJECTION} (0/1) — the same as above\n`);
    expect(other).toContain('```text\nbo/02-once/once.ts does not exist: there is nothing to grade\n```');
    expect(lost).toContain('```text\ncy/01-delay/delay.ts does not exist: there is nothing to grade\n```');
    expect(lost).toContain(
      `## once — ${once.title}\n\n**could not be graded** · 0/4 points\n\nYour file could not be graded:\n\n` +
        '```text\nthe grader could not run this exercise (the grading run stopped early)\n```',
    );
  });

  it('ends with the next step, naming the file where the learner keeps it', () => {
    expect(delay.stub).toBe('exercises/01-delay/delay.ts');
    expect(delay.hints).toHaveLength(2);
    expect(
      text.endsWith(
        `## Next step\n\nMake “${ZERO}” pass: edit ${delay.stub} (${delay.lesson} explains it), then run npm run grade -- delay. ` +
          `Stuck? npm run grader -- hint delay gives the next hint (${delay.hints.length} in all).\n`,
      ),
    ).toBe(true);
    expect(other.endsWith(`## Next step\n\nFix ${once.stub} so it can be graded (see the error above), then run npm run grade -- once.\n`)).toBe(true);
  });

  it('is plain Markdown: no terminal colours, and a message with backticks cannot close its block', () => {
    expect(text).not.toMatch(/\x1b\[/);
    const tricky = reportOf({ delay: { outcome: 'crashed', reason: 'it printed ```\n# not a heading', tests: [] } });
    expect(formatFeedback('ann', tricky, course)).toContain('````text\nit printed ```\n# not a heading\n````');
  });
});

describe('the progress bar', () => {
  it('shows how many learners are graded', () => {
    expect(formatProgress(0, 100)).toBe(`grading ${'░'.repeat(24)} 0/100 learners`);
    expect(formatProgress(37, 100)).toBe(`grading ${'█'.repeat(8)}${'░'.repeat(16)} 37/100 learners`);
    expect(formatProgress(100, 100)).toBe(`grading ${'█'.repeat(24)} 100/100 learners`);
    expect(formatProgress(1, 1, 4)).toBe('grading ████ 1/1 learner');
  });

  it('redraws in place with \\r and is wiped at the end', () => {
    const writes: string[] = [];
    const bar = createProgressBar({ write: (text: string) => writes.push(text) }, 9);
    bar.update(0);
    bar.update(9);
    bar.clear();
    bar.clear();
    const line = formatProgress(9, 9);
    expect(writes).toEqual([`\r${formatProgress(0, 9)}`, `\r${line}`, `\r${' '.repeat(line.length)}\r`]);
  });

  it('is drawn only when stderr is a terminal, not in CI, not on TERM=dumb, and not with --no-progress', () => {
    const io = (isTTY: boolean, env: NodeJS.ProcessEnv = {}) => ({ stderr: { write: () => true, isTTY }, env }) as unknown as Pick<Io, 'stderr' | 'env'>;
    expect(showsProgress(io(true), false)).toBe(true);
    expect(showsProgress(io(true, { CI: 'false' }), false)).toBe(true);
    expect(showsProgress(io(false), false)).toBe(false);
    expect(showsProgress(io(true), true)).toBe(false);
    expect(showsProgress(io(true, { CI: '1' }), false)).toBe(false);
    expect(showsProgress(io(true, { TERM: 'dumb' }), false)).toBe(false);
  });
});

describe('the output folder', () => {
  it('knows when a folder is inside another, through links and before it exists', () => {
    const dir = freshFolder('class');
    expect(isInside(dir, dir)).toBe(true);
    expect(isInside(join(dir, 'out', 'deeper'), dir)).toBe(true);
    expect(isInside(join(dir, '..', 'out'), dir)).toBe(false);
    expect(isInside(`${dir}-out`, dir)).toBe(false);
    expect(isInside(dir, join(dir, 'out'))).toBe(false);
    expect(isInside(join(dir, '..notes'), dir)).toBe(true);
    // A link elsewhere that leads into the class: inside once links are followed, even below it where nothing exists yet.
    const link = join(freshFolder('links'), 'to-class');
    symlinkSync(dir, link);
    expect(isInside(join(link, 'out'), dir)).toBe(false);
    expect(isInside(realPath(join(link, 'out', 'deeper')), realPath(dir))).toBe(true);
    expect(isInside(realPath(`${dir}-out`), realPath(dir))).toBe(false);
  });

  it('refuses an output folder inside the class, or a file; makes a new one', () => {
    const dir = freshFolder('class');
    const shown = { out: 'OUT', dir: 'DIR' };
    expect(() => prepareOutput(join(dir, 'results'), dir, shown)).toThrow(UsageError);
    expect(existsSync(join(dir, 'results'))).toBe(false);
    // Through a link that leads into the class.
    const link = join(freshFolder('links'), 'to-class');
    symlinkSync(dir, link);
    expect(() => prepareOutput(join(link, 'results'), dir, shown)).toThrow(
      "--out 'OUT' is inside the class folder 'DIR': it would be graded as a learner next time; choose a folder outside it",
    );
    expect(existsSync(join(dir, 'results'))).toBe(false);
    const file = join(freshFolder('file'), 'results');
    writeFileSync(file, '');
    expect(() => prepareOutput(file, dir, shown)).toThrow("--out 'OUT' is a file, not a folder");
    const out = join(freshFolder('out'), 'a', 'b');
    prepareOutput(out, dir, shown);
    expect(existsSync(out)).toBe(true);
  });

  it('moves an earlier gradebook to previous/<time>/, never over an earlier move', () => {
    const out = freshFolder('out');
    const now = new Date('2026-05-01T09:30:00.250Z');
    expect(timestampName(now)).toBe('2026-05-01T09-30-00Z');
    expect(movePrevious(out, now)).toBeUndefined();
    writeFileSync(join(out, 'notes.md'), 'the instructor’s own file');

    const write = (csv: string) =>
      writeResults(out, { csv, json: `["${csv}"]\n`, feedback: new Map([[csv, `# ${csv}\n`]]), html: `<p>${csv}</p>\n` });
    write('first');
    expect(movePrevious(out, now)).toBe(join(out, 'previous', '2026-05-01T09-30-00Z'));
    write('second');
    expect(movePrevious(out, now)).toBe(join(out, 'previous', '2026-05-01T09-30-00Z-2'));
    write('third');

    const previous = join(out, 'previous', '2026-05-01T09-30-00Z');
    expect(readFileSync(join(previous, 'gradebook.csv'), 'utf8')).toBe('first');
    expect(readFileSync(join(previous, 'gradebook.json'), 'utf8')).toBe('["first"]\n');
    expect(readdirSync(join(previous, 'feedback'))).toEqual(['first.md']);
    expect(readFileSync(join(previous, 'report.html'), 'utf8')).toBe('<p>first</p>\n');
    expect(readFileSync(join(`${previous}-2`, 'gradebook.csv'), 'utf8')).toBe('second');
    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toBe('third');
    expect(readdirSync(join(out, 'feedback'))).toEqual(['third.md']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe('<p>third</p>\n');
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('the instructor’s own file');
  });
});

describe('formatSummary', () => {
  it('says how many, the class average, who has errors, each exercise’s pass rate, the most-missed behaviours and where the files are', () => {
    const learners: GradedLearner[] = [
      { id: 'ann', report: scoredReport(Object.fromEntries(exercises.map((exercise) => [exercise.id, exercise.points]))) },
      { id: 'bob', report: scoredReport({ delay: 2 }) },
      { id: 'cy', report: reportOf({}) },
    ];
    const average = (MAX + 2) / 3;
    expect(average.toFixed(1)).toBe('3.3');
    expect(formatSummary({ learners, seconds: 12.34, out: 'results', movedTo: 'results/previous/t' })).toBe(
      `Graded 3 learners in 12.3 s. Class average: ${average.toFixed(1)}/${MAX} points (${Math.round((100 * average) / MAX)}%).\n` +
        '1 learner has an exercise that could not be graded (error, 0 points): cy.\n' +
        'Learners who passed each exercise: delay 1/3 (33%), once 1/3 (33%).\n' +
        'The 4 most-missed behaviours:\n' +
        '  delay: missed (missed by 3 of 3)\n' +
        '  once: missed (missed by 3 of 3)\n' +
        '  once: earned (missed by 2 of 3)\n' +
        '  delay: earned (missed by 1 of 3)\n' +
        'The earlier results in results were moved to results/previous/t.\n' +
        'Gradebook: results/gradebook.csv and results/gradebook.json; feedback for each learner: results/feedback/<learner>.md; ' +
        'class report: results/report.html\n',
    );
  });
});

/** The grader in this process, for usage errors (they happen before any grading). */
async function batchInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (text: string) => ((stdout += text), true) } as unknown as Io['stdout'],
    stderr: { write: (text: string) => ((stderr += text), true) } as unknown as Io['stderr'],
    env: { CI: '1' },
    cwd: tmp,
    root: FIXTURE_COURSE,
  };
  const code = await main(['batch', ...args], io);
  return { code, stdout, stderr };
}

describe('batch usage errors: exit 2, one line on stderr, nothing graded', () => {
  const classDir = freshFolder('class');
  mkdirSync(join(classDir, 'ann'));
  const out = join(tmp, 'usage-out');
  const empty = freshFolder('empty-class');
  mkdirSync(join(empty, '.git'));
  writeFileSync(join(empty, 'roster.csv'), 'ann\n');
  const file = join(tmp, 'a-file');
  writeFileSync(file, '');

  it.each([
    [[], 'batch needs the class folder: batch DIR --out OUT'],
    [[classDir], 'batch needs --out OUT, the folder to write the gradebook to'],
    [[join(tmp, 'nope'), '--out', out], `class folder '${join(tmp, 'nope')}' does not exist`],
    [[file, '--out', out], `class folder '${file}' is not a folder`],
    [[empty, '--out', out], `class folder '${empty}' has no learner folders (one subfolder per learner, named by the learner's id)`],
    [[classDir, '--out', join(classDir, 'results')], `--out '${join(classDir, 'results')}' is inside the class folder '${classDir}': it would be graded as a learner next time; choose a folder outside it`],
    [[classDir, '--out', classDir], `--out '${classDir}' is inside the class folder '${classDir}': it would be graded as a learner next time; choose a folder outside it`],
    [[classDir, '--out', file], `--out '${file}' is a file, not a folder`],
    [[classDir, '--out', out, '--jobs', '0'], "--jobs needs a whole number of at least 1, got '0'"],
    [[classDir, '--out', out, '--jobs=-2'], "--jobs needs a whole number of at least 1, got '-2'"],
    [[classDir, '--out', out, '--jobs', '1.5'], "--jobs needs a whole number, got '1.5'"],
    [[classDir, '--out', out, '--jobs', 'many'], "--jobs needs a whole number, got 'many'"],
    [[classDir, '--out', out, '--timeout', '0'], "--timeout needs a positive number of seconds, got '0'"],
    [[classDir, '--out', out, '--timeout', 'soon'], "--timeout needs a positive number of seconds, got 'soon'"],
    [[classDir, 'other', '--out', out], "batch: unexpected argument 'other'"],
    [[classDir, '--out', out, '--json'], 'batch: unknown option --json'],
    [[classDir, '--out'], 'batch: option --out needs a value'],
  ])('batch %j', async (args, message) => {
    const run = await batchInProcess(...args);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `grader: ${message}\n` });
    expect(existsSync(out)).toBe(false);
  });

  it('is listed, after grade, with its outputs and exit codes in --help', async () => {
    const names = COMMANDS.map((command) => command.name);
    expect(names.indexOf('batch')).toBe(names.indexOf('grade') + 1);
    const parsed = parseArgv(['batch', '--help'], COMMANDS);
    expect(parsed).toMatchObject({ help: true, command: { name: 'batch' } });
    const help = (await batchInProcess('--help')).stdout;
    for (const words of ['gradebook.csv', 'gradebook.json', 'feedback/<learner>.md', 'previous/', '--jobs N', '--no-progress', 'Exit status: 0']) {
      expect(help).toContain(words);
    }
  });
});

const delayZoo = await loadZoo(byId('delay'));

describe('batch on a small class (the real CLI on the fixture course)', () => {
  const root = freshFolder('course-run');
  const classDir = join(root, 'class');
  const out = join(root, 'results');
  // A whole-file bug of the zoo: it fails some of delay's behaviours, not all.
  const bug = delayZoo.find((entry) => entry.kind === 'bug' && entry.name === 'busy-wait')!;
  /** Generous: a busy machine must not turn a reference solution into a timeout; a hang waits this long. */
  const TIMEOUT_S = 15;

  /** A learner's folder in the exercises/ layout, each exercise from `from` (a folder laid out the same way) or absent. */
  function learner(folder: string, from: Record<string, string | undefined>): void {
    for (const exercise of exercises) {
      const source = from[exercise.id];
      if (source === undefined) continue;
      const target = join(folder, exercise.stub.replace(/^exercises\//, ''));
      mkdirSync(join(target, '..'), { recursive: true });
      cpSync(source, target);
    }
  }
  const solution = (id: string) => inCourse(byId(id), byId(id).solution);
  const stub = (id: string) => inCourse(byId(id), byId(id).stub);

  cpSync(inCourse(course, 'solutions'), join(classDir, 'a-solutions'), { recursive: true });
  mkdirSync(join(classDir, 'b-stubs'), { recursive: true });
  cpSync(inCourse(course, 'exercises'), join(classDir, 'b-stubs', 'exercises'), { recursive: true });
  writeFileSync(join(classDir, 'b-stubs', 'README.md'), '# my copy of the course\n');
  learner(join(classDir, 'c-mixed'), { delay: bug.file, once: undefined });
  learner(join(classDir, 'd-hang'), { delay: solution('delay'), once: solution('once') });
  learner(join(classDir, 'e-half'), { delay: solution('delay'), once: stub('once') });
  const hangingDelay = join(classDir, 'd-hang', '01-delay', 'delay.ts');
  const delaySource = readFileSync(hangingDelay, 'utf8');
  const inDelayCall = '  return new Promise((resolve) => {';
  if (!delaySource.includes(inDelayCall)) throw new Error(`the fixture's delay.ts no longer contains ${inDelayCall}: pick another place for the loop`);
  writeFileSync(hangingDelay, delaySource.replace(inDelayCall, `  while (true) {}\n${inDelayCall}`));
  mkdirSync(join(classDir, '.git'));
  writeFileSync(join(classDir, 'roster.txt'), 'a-solutions\n');
  const LEARNERS = ['a-solutions', 'b-stubs', 'c-mixed', 'd-hang', 'e-half'];

  it('writes a gradebook, the JSON list and feedback for every learner; a second run keeps the first', { timeout: 300_000 }, async () => {
    const first = await runGrader(['batch', classDir, '--out', out, '--timeout', String(TIMEOUT_S)], { timeoutMs: 240_000 });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    const entries = JSON.parse(readFileSync(join(out, 'gradebook.json'), 'utf8')) as GradebookEntry[];
    expect(entries.map((entry) => entry.learner)).toEqual(LEARNERS);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(['learner', 'version', 'status', 'points', 'maxPoints', 'exercises']);
      expect(entry.exercises.map((result) => result.id)).toEqual(['delay', 'once']);
      expect(entry.maxPoints).toBe(MAX);
    }
    const [a, b, c, d, e] = entries as [GradebookEntry, GradebookEntry, GradebookEntry, GradebookEntry, GradebookEntry];
    const result = (entry: GradebookEntry, id: string) => entry.exercises.find((exercise) => exercise.id === id)!;

    expect(a.status).toBe('pass');
    for (const exercise of a.exercises) expect(exercise).toMatchObject({ status: 'pass', points: 4, maxPoints: 4 });

    expect(b.status).toBe('fail');
    for (const exercise of b.exercises) {
      expect(exercise).toMatchObject({ status: 'fail', points: 0 });
      expect(exercise.tests).toHaveLength(3);
      expect(exercise.tests.every((test) => test.message?.startsWith('not implemented yet'))).toBe(true);
    }

    expect(c.status).toBe('error');
    const delay = result(c, 'delay');
    expect(delay.status).toBe('fail');
    expect(delay.points).toBeGreaterThan(0);
    expect(delay.points).toBeLessThan(4);
    const failing = delay.tests.filter((test) => test.status !== 'pass').map((test) => test.name);
    expect(failing).toEqual(expect.arrayContaining(bug.breaks));
    expect(bug.breaks).toEqual([RESOLVES]);
    expect(result(c, 'once')).toMatchObject({ status: 'error', points: 0, tests: [] });
    expect(result(c, 'once').message).toMatch(/c-mixed\/02-once\/once\.ts does not exist: there is nothing to grade$/);

    expect(d.status).toBe('error');
    expect(result(d, 'delay')).toMatchObject({ status: 'error', points: 0, message: `did not finish in ${TIMEOUT_S} s: is there an infinite loop?` });
    expect(result(d, 'once')).toMatchObject({ status: 'pass', points: 4 });

    expect(e.status).toBe('fail');
    expect(result(e, 'delay')).toMatchObject({ status: 'pass', points: 4 });
    expect(result(e, 'once')).toMatchObject({ status: 'fail', points: 0 });

    const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8');
    expect(csv).toBe(
      'learner,delay,once,total,max\r\n' +
        `a-solutions,4,4,8,${MAX}\r\n` +
        `b-stubs,0,0,0,${MAX}\r\n` +
        `c-mixed,${delay.points},0,${delay.points},${MAX}\r\n` +
        `d-hang,0,4,4,${MAX}\r\n` +
        `e-half,4,0,4,${MAX}\r\n`,
    );

    expect(readdirSync(join(out, 'feedback')).sort()).toEqual(LEARNERS.map((id) => `${id}.md`));
    for (const entry of entries) {
      const feedback = readFileSync(join(out, 'feedback', `${entry.learner}.md`), 'utf8');
      expect(feedback).toContain(`feedback for ${entry.learner}\n\n**Total: ${entry.points}/${MAX} points**`);
      for (const exercise of entry.exercises) {
        if (exercise.message) expect(feedback).toContain(exercise.message);
        for (const test of exercise.tests) {
          expect(feedback).toContain(`${test.status === 'pass' ? '✓' : '✗'} ${test.name} (${test.points}/`);
          // Each failure's words are there (a stub's are said on its line, a repeat is pointed back to).
          if (test.message && !test.message.startsWith('not implemented yet')) {
            for (const line of test.message.split('\n')) expect(feedback).toContain(line);
          }
        }
      }
      expect(feedback).toContain('## Next step\n\n');
    }
    const feedbackOf = (id: string) => readFileSync(join(out, 'feedback', `${id}.md`), 'utf8');
    expect(feedbackOf('a-solutions')).not.toContain('✗');
    expect(feedbackOf('a-solutions')).toContain('Every exercise passes');
    expect(feedbackOf('b-stubs')).toContain('— not implemented yet');
    expect(feedbackOf('d-hang')).toContain(`did not finish in ${TIMEOUT_S} s: is there an infinite loop?`);
    expect(feedbackOf('e-half')).toContain('Next step\n\nStart once: read lessons/02-once.md');

    const average = ((MAX + 0 + delay.points + 4 + 4) / 5).toFixed(1);
    expect(first.stdout).toMatch(new RegExp(`^Graded 5 learners in \\d+\\.\\d s\\. Class average: ${average}/${MAX} points`));
    expect(first.stdout).toContain('2 learners have an exercise that could not be graded (error, 0 points): c-mixed, d-hang.\n');
    expect(first.stdout).toContain(`Gradebook: ${join(out, 'gradebook.csv')}`);
    expect(first.stdout).toContain(`; class report: ${join(out, 'report.html')}\n`);
    expect(first.stdout).not.toContain('moved');
    // delay passes for a-solutions and e-half, once for a-solutions and d-hang. Every other learner misses each
    // of once's behaviours (b's stub, c's missing file, e's stub) and delay's first two (b's stub, c's bug, whose
    // first poll is a timer of 1 ms, too late for delay(0) too; d's hang): ties in course order.
    expect(delay.tests.find((test) => test.name === ZERO)!.status).toBe('fail');
    expect(first.stdout).toContain('Learners who passed each exercise: delay 2/5 (40%), once 2/5 (40%).\n');
    expect(first.stdout).toContain(
      'The 5 most-missed behaviours:\n' +
        `  delay: ${RESOLVES} (missed by 3 of 5)\n` +
        `  delay: ${ZERO} (missed by 3 of 5)\n` +
        `  once: ${FIRST_CALL} (missed by 3 of 5)\n` +
        `  once: ${REJECTION} (missed by 3 of 5)\n` +
        `  once: ${SYNC_THROW} (missed by 3 of 5)\n` +
        'Gradebook: ',
    );

    // The class report: the same numbers, a link to each learner's feedback.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<span data-fact="learners">5</span> learners. Class average: <span data-fact="average">${average}/${MAX} points`);
    expect(html).toMatch(/<tr data-exercise="delay">.*?<span class="ratio">2 of 5 \(40%\)<\/span>/);
    expect(html).toMatch(/<tr data-exercise="once">.*?<span class="ratio">2 of 5 \(40%\)<\/span>/);
    const onceBins = /<svg class="histogram" data-exercise="once".*?<\/svg>/.exec(html)![0];
    expect([...onceBins.matchAll(/data-count="(\d+)"/g)].map((match) => Number(match[1]))).toEqual([3, 0, 0, 0, 2]);
    const delayBins = [0, 0, 0, 0, 0];
    for (const entry of entries) delayBins[result(entry, 'delay').points]!++;
    // a and e full marks, c's bug one point (the TypeError check), b and d none.
    expect(delayBins).toEqual([2, 1, 0, 0, 2]);
    const delaySvg = /<svg class="histogram" data-exercise="delay".*?<\/svg>/.exec(html)![0];
    expect([...delaySvg.matchAll(/data-count="(\d+)"/g)].map((match) => Number(match[1]))).toEqual(delayBins);
    for (const id of LEARNERS) expect(html).toContain(`<a href="feedback/${id}.md">${id}</a>`);
    // The most missed first; its hint is the only one its failures give: c-mixed's (b's is a stub's, d's was not counted).
    const resolvesHint = /^hint:\s*(.*)$/m.exec(delay.tests.find((test) => test.name === RESOLVES)!.message ?? '')?.[1];
    expect(html).toMatch(
      new RegExp(
        `<tr><td class="num">1</td><th scope="row">${RESOLVES}</th><td>delay</td><td class="num missed">3 of 5 \\(60%\\)</td>` +
          (resolvesHint === undefined ? '<td class="no-hint">No hint' : `<td class="hint">${resolvesHint}</td>`),
      ),
    );
    // Batch grading never records progress, neither in the class nor beside the learners' files.
    for (const id of LEARNERS) {
      expect(readdirSync(join(classDir, id)).filter((name) => name.startsWith('.') || name === 'progress.json')).toEqual([]);
    }
    expect(existsSync(join(classDir, 'b-stubs', 'progress.json'))).toBe(false);

    // A second run into the same folder (a class of one who handed in nothing, which needs no grading worker).
    const secondClass = join(root, 'second-class');
    mkdirSync(join(secondClass, 'e-empty'), { recursive: true });
    const second = await runGrader(['batch', secondClass, '--out', out, '--no-progress']);
    expect(second.code, second.stderr).toBe(0);
    const [moved, ...more] = readdirSync(join(out, 'previous'));
    expect(more).toEqual([]);
    expect(second.stdout).toContain(`The earlier results in ${out} were moved to ${join(out, 'previous', moved!)}.\n`);
    expect(second.stdout).toContain('1 learner has an exercise that could not be graded (error, 0 points): e-empty.\n');
    expect(readFileSync(join(out, 'previous', moved!, 'gradebook.csv'), 'utf8')).toBe(csv);
    expect(JSON.parse(readFileSync(join(out, 'previous', moved!, 'gradebook.json'), 'utf8'))).toEqual(entries);
    expect(readdirSync(join(out, 'previous', moved!, 'feedback')).sort()).toEqual(LEARNERS.map((id) => `${id}.md`));
    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).toBe(`learner,delay,once,total,max\r\ne-empty,0,0,0,${MAX}\r\n`);
    expect(readdirSync(join(out, 'feedback'))).toEqual(['e-empty.md']);
    expect(readFileSync(join(out, 'previous', moved!, 'report.html'), 'utf8')).toBe(html);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<span data-fact="learners">1</span> learner.');
  });
});
