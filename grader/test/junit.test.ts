/**
 * `grade --junit FILE`: the report as JUnit XML. The writer is pure and
 * tested on report objects; the XML is read back with a small strict parser
 * below (no dependency), so "well-formed" is checked, not assumed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inCourse } from '../course/manifest.ts';
import type { RawTest } from '../engine/run-result.ts';
import { formatJunit } from '../report/junit.ts';
import { buildReport, NOT_COUNTED, scoreExercise, STILL_RUNNING } from '../report/score.ts';
import type { ExerciseReport, GradeReport, JsonReport } from '../report/types.ts';
import { BEHAVIOURS, FIXTURE_COURSE, fixtureCourse, fixtureExercise } from './support/course.ts';
import { runGrader, type Run } from './support/run-grader.ts';

// --- a minimal XML reader: elements, attributes, text, the five entities and character references ---

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Characters XML 1.0 does not allow anywhere in a document. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decode(text: string): string {
  expect(text, 'a bare & or <').not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)|</i);
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    const char = String.fromCodePoint(code);
    expect(char, `&${entity}; is not an XML 1.0 character`).not.toMatch(NOT_XML);
    return char;
  });
}

/** Attribute values as a parser sees them: literal tabs and line breaks become spaces. */
function decodeAttribute(raw: string): string {
  return decode(raw.replace(/[\t\n\r]/g, ' '));
}

function parseXml(xml: string): XmlElement {
  expect(xml, 'a character XML 1.0 forbids').not.toMatch(NOT_XML);
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  expect(xml).toMatch(declaration);
  const tokens = xml.replace(declaration, '').matchAll(/<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g);
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  let consumed = 0;
  for (const token of tokens) {
    consumed += token[0].length;
    const [, closing, name, attributeText, selfClosing, text] = token;
    const parent = stack.at(-1)!;
    if (text !== undefined) {
      parent.text += decode(text);
      continue;
    }
    if (closing) {
      expect(parent.name, `</${name}> closes <${parent.name}>`).toBe(name);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      expect(attributes, `attribute ${key} twice`).not.toHaveProperty(key!);
      attributes[key!] = decodeAttribute(value!);
    }
    const element: XmlElement = { name: name!, attributes, children: [], text: '' };
    parent.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  expect(consumed, 'something that is not XML').toBe(xml.replace(declaration, '').length);
  expect(stack.map((element) => element.name)).toEqual(['#document']);
  expect(root.children).toHaveLength(1);
  expect(root.text.trim()).toBe('');
  return root.children[0]!;
}

const children = (element: XmlElement, name: string): XmlElement[] => element.children.filter((child) => child.name === name);
const child = (element: XmlElement, name: string): XmlElement | undefined => children(element, name)[0];

function properties(suite: XmlElement): Record<string, string> {
  return Object.fromEntries(children(child(suite, 'properties')!, 'property').map((p) => [p.attributes.name, p.attributes.value]));
}

/** Each testcase as [classname, name, outcome, message attribute, text]. */
function cases(suite: XmlElement): [string, string, string, string?, string?][] {
  return children(suite, 'testcase').map((testcase) => {
    const outcome = testcase.children[0];
    const base: [string, string] = [testcase.attributes.classname!, testcase.attributes.name!];
    return outcome ? [...base, outcome.name, outcome.attributes.message, outcome.text] : [...base, 'pass'];
  });
}

// --- reports ---

// The fixture course: delay and once, 4 points each (3 behaviours, the first worth 2).
const delay = fixtureExercise('delay');
const once = fixtureExercise('once');

const { RESOLVES, ZERO, THROWS, FIRST_CALL, REJECTION, SYNC_THROW } = BEHAVIOURS;

const passed = (name: string, task: string, points = 1): RawTest => ({ name, task, points, state: 'passed' });
const failed = (name: string, task: string, message: string, kind: RawTest['kind'] = 'wrong'): RawTest => ({
  name,
  task,
  points: 1,
  state: 'failed',
  kind,
  message,
});

describe('formatJunit', () => {
  it('has one testsuite per exercise and one testcase per behaviour, with counts and points', () => {
    const report = buildReport([
      scoreExercise(delay, {
        outcome: 'finished',
        moduleErrors: [],
        tests: [
          passed(RESOLVES, 'delay', 2),
          failed(ZERO, 'delay', 'expected: delay(0, 1) still pending before any timer fires\nbut got:  it had fulfilled\nhint:     even 0 ms goes through setTimeout'),
          // A second task (the fixture's exercises have one each): the classname follows the task.
          { name: THROWS, task: 'validation', points: 1, state: 'skipped' },
        ],
      }),
      scoreExercise(once, { outcome: 'finished', moduleErrors: [], tests: [passed(FIRST_CALL, 'once', 2), passed(REJECTION, 'once'), passed(SYNC_THROW, 'once')] }),
    ]);
    const root = parseXml(formatJunit(report, { name: 'A Fixture Course' }));

    expect(root.name).toBe('testsuites');
    expect(root.attributes).toEqual({ name: 'A Fixture Course', tests: '6', failures: '1', errors: '1' });
    const suites = children(root, 'testsuite');
    expect(suites.map((suite) => suite.attributes)).toEqual([
      { name: 'delay', tests: '3', failures: '1', errors: '1' },
      { name: 'once', tests: '3', failures: '0', errors: '0' },
    ]);
    expect(properties(suites[0]!)).toEqual({ points: '2', maxPoints: '4' });
    expect(properties(suites[1]!)).toEqual({ points: '4', maxPoints: '4' });

    const message = 'expected: delay(0, 1) still pending before any timer fires\nbut got:  it had fulfilled\nhint:     even 0 ms goes through setTimeout';
    expect(cases(suites[0]!)).toEqual([
      ['delay.delay', RESOLVES, 'pass'],
      ['delay.delay', ZERO, 'failure', message, message],
      ['delay.validation', THROWS, 'error', 'this behaviour did not run', 'this behaviour did not run'],
    ]);
    expect(cases(suites[1]!)).toEqual([
      ['once.once', FIRST_CALL, 'pass'],
      ['once.once', REJECTION, 'pass'],
      ['once.once', SYNC_THROW, 'pass'],
    ]);
  });

  it("gives every behaviour of an exercise in error an <error> with the exercise's message", () => {
    const report = buildReport([
      scoreExercise(delay, { outcome: 'timed-out', budgetMs: 2000, stoppedIn: ZERO, tests: [passed(RESOLVES, 'delay', 2), failed(ZERO, 'delay', 'wrong')] }),
    ]);
    const root = parseXml(formatJunit(report));
    expect(root.attributes).toEqual({ name: 'grader', tests: '2', failures: '0', errors: '2' });
    const [suite] = children(root, 'testsuite');
    expect(suite!.attributes).toEqual({ name: 'delay', tests: '2', failures: '0', errors: '2' });
    expect(properties(suite!)).toEqual({ points: '0', maxPoints: '4' });
    const why = 'did not finish in 2 s: is there an infinite loop?';
    expect(cases(suite!)).toEqual([
      // The behaviour's own message is kept after the exercise's.
      ['delay.delay', RESOLVES, 'error', why, `${why}\n\n${NOT_COUNTED}`],
      ['delay.delay', ZERO, 'error', why, `${why}\n\n${STILL_RUNNING}`],
    ]);
  });

  it('gives an exercise in error without behaviours one testcase carrying the error', () => {
    const report = buildReport([
      scoreExercise(delay, { outcome: 'missing', file: 'subs/ann/01-delay/delay.ts' }),
      scoreExercise(once, { outcome: 'finished', moduleErrors: [], tests: [failed(REJECTION, 'once', 'not yet')] }),
    ]);
    const root = parseXml(formatJunit(report));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', errors: '1' });
    const [suite] = children(root, 'testsuite');
    expect(suite!.attributes).toEqual({ name: 'delay', tests: '1', failures: '0', errors: '1' });
    expect(properties(suite!)).toEqual({ points: '0', maxPoints: '4' });
    const why = 'subs/ann/01-delay/delay.ts does not exist: there is nothing to grade';
    expect(cases(suite!)).toEqual([['delay', 'delay could not be graded', 'error', why, why]]);
  });

  it('escapes markup, quotes and line breaks, and replaces what XML 1.0 cannot hold', () => {
    const nasty = 'a & b < c > d "e" \'f\'\n\tg\r\nh ]]> \u001b[31mred\u001b[0m \u0000 \uD800 lone, 😀 pair, \uFFFF';
    const shown = 'a & b < c > d "e" \'f\'\n\tg\r\nh ]]> \\u001b[31mred\\u001b[0m \\u0000 \uFFFD lone, 😀 pair, \\uffff';
    const exerciseReport: ExerciseReport = {
      id: 'delay',
      status: 'fail',
      points: 0,
      maxPoints: 1,
      tests: [{ name: `name ${nasty}`, task: 'task <&>', status: 'fail', message: nasty, points: 0, worth: 1 }],
    };
    const report: GradeReport = { version: 1, status: 'fail', points: 0, maxPoints: 1, exercises: [exerciseReport] };
    const xml = formatJunit(report, { name: 'course "<&>"' });
    const root = parseXml(xml);

    expect(root.attributes.name).toBe('course "<&>"');
    expect(cases(child(root, 'testsuite')!)).toEqual([['delay.task <&>', `name ${shown}`, 'failure', shown, shown]]);
    // Attributes keep their line breaks only because they are written as references.
    expect(xml).toContain('&#10;');
    expect(xml).not.toMatch(/message="[^"]*\n/);
  });

  it("leaves out what the learner's code printed (the human report's only)", () => {
    const report = buildReport([
      { ...scoreExercise(once, { outcome: 'finished', moduleErrors: [], tests: [passed(FIRST_CALL, 'once', 2)] }), output: 'SECRET-OUTPUT' },
    ]);
    report.exercises[0]!.tests[0]!.output = 'SECRET-TEST-OUTPUT';
    expect(formatJunit(report)).not.toMatch(/SECRET/);
  });

  it('is an empty <testsuites> for a report with no exercises', () => {
    const root = parseXml(formatJunit(buildReport([])));
    expect(root).toMatchObject({ name: 'testsuites', attributes: { tests: '0', failures: '0', errors: '0' }, children: [] });
  });
});

describe('grade --junit FILE (the real CLI on the fixture course)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'grader-junit-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  /**
   * The grader on the fixture course. Paths are absolute: a path on the command line is relative to INIT_CWD
   * when npm set it (as `npx vitest` does), whatever the process's folder.
   */
  const grader = (...args: string[]): Promise<Run> => runGrader(args);
  const solutions = join(FIXTURE_COURSE, 'solutions');

  it('writes the XML of the reference solutions next to an unchanged --json stdout', async () => {
    const file = join(tmp, 'r.xml');
    const run = await grader('grade', '--workspace', solutions, '--json', '--junit', file);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.exercises.map((exercise) => [exercise.id, exercise.points, exercise.maxPoints])).toEqual([
      ['delay', 4, 4],
      ['once', 4, 4],
    ]);

    const root = parseXml(readFileSync(file, 'utf8'));
    expect(root.attributes).toEqual({ name: fixtureCourse().title, tests: '6', failures: '0', errors: '0' });
    const suites = children(root, 'testsuite');
    expect(suites.map((suite) => suite.attributes)).toEqual([
      { name: 'delay', tests: '3', failures: '0', errors: '0' },
      { name: 'once', tests: '3', failures: '0', errors: '0' },
    ]);
    for (const [index, exercise] of report.exercises.entries()) {
      expect(properties(suites[index]!)).toEqual({ points: '4', maxPoints: '4' });
      expect(cases(suites[index]!)).toEqual(exercise.tests.map((test) => [`${exercise.id}.${test.task}`, test.name, 'pass']));
    }
    expect(cases(suites[0]!).map(([, name]) => name)).toEqual([RESOLVES, ZERO, THROWS]);
  });

  it('grades the stub (a copy, so no progress is recorded) with the human report unchanged on stdout', async () => {
    const workspace = join(tmp, 'stub');
    mkdirSync(join(workspace, '01-delay'), { recursive: true });
    copyFileSync(inCourse(delay, delay.stub), join(workspace, '01-delay', 'delay.ts'));
    const file = join(tmp, 'stub.xml');

    const [plain, withJunit] = await Promise.all([
      grader('grade', 'delay', '--workspace', workspace),
      grader('grade', 'delay', '--workspace', workspace, '--junit', file),
    ]);
    expect(withJunit).toMatchObject({ code: 1, stderr: '', stdout: plain.stdout });
    expect(plain.stdout).toMatch(/not implemented yet/);
    expect(plain.stdout).toContain('0/4 points · 0 of 3 behaviours pass · not yet');

    const [suite] = children(parseXml(readFileSync(file, 'utf8')), 'testsuite');
    const testcases = cases(suite!);
    expect(testcases.map(([, name]) => name)).toEqual([RESOLVES, ZERO, THROWS]);
    expect(suite!.attributes).toEqual({ name: 'delay', tests: '3', failures: '3', errors: '0' });
    expect(properties(suite!)).toEqual({ points: '0', maxPoints: '4' });
    for (const [, , outcome, message] of testcases) {
      expect(outcome).toBe('failure');
      expect(message).toMatch(/^not implemented yet: .*01-delay\/delay\.ts:\d+:\d+ still throws/);
    }
  });

  it.each([
    [['--junit', 'no/such/dir/r.xml'], "grader: --junit: folder 'no/such/dir' does not exist\n"],
    [['--junit', 'grader'], "grader: --junit: 'grader' is a folder, not a file\n"],
    [['--junit'], 'grader: grade: option --junit needs a value\n'],
  ])('%j is a usage error: exit 2, one line, nothing graded', async (args, message) => {
    const run = await grader('grade', 'delay', '--workspace', solutions, ...args);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });
});
