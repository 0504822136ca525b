/**
 * `grade --junit FILE`: the report as JUnit XML. The writer is pure and
 * tested on report objects; the XML is read back with a small strict parser
 * below (no dependency), so "well-formed" is checked, not assumed.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromRoot, type Exercise } from '../course/manifest.ts';
import type { RawTest } from '../engine/run-result.ts';
import { formatJunit } from '../report/junit.ts';
import { buildReport, NOT_COUNTED, scoreExercise, STILL_RUNNING } from '../report/score.ts';
import type { ExerciseReport, GradeReport, JsonReport } from '../report/types.ts';
import { grader } from './support/run-grader.ts';
import { fakeExercise } from './support/fake-exercise.ts';

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

const exercise = (id: string, n: number, points: number): Exercise => fakeExercise(id, n, { points });
const pool = exercise('pool', 1, 4);
const debounce = exercise('debounce', 2, 3);

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
      scoreExercise(pool, {
        outcome: 'finished',
        moduleErrors: [],
        tests: [
          passed('never runs more than `concurrency` calls at once', 'createLimiter', 2),
          failed('resolves in input order', 'mapLimit', 'expected: [1, 2]\nbut got:  [2, 1]\nhint:     store each result at its index'),
          { name: 'stops at the first error', task: 'mapLimit', points: 1, state: 'skipped' },
        ],
      }),
      scoreExercise(debounce, { outcome: 'finished', moduleErrors: [], tests: [passed('waits', 'debounce', 3)] }),
    ]);
    const root = parseXml(formatJunit(report, { name: 'Async Patterns in TypeScript' }));

    expect(root.name).toBe('testsuites');
    expect(root.attributes).toEqual({ name: 'Async Patterns in TypeScript', tests: '4', failures: '1', errors: '1' });
    const suites = children(root, 'testsuite');
    expect(suites.map((suite) => suite.attributes)).toEqual([
      { name: 'pool', tests: '3', failures: '1', errors: '1' },
      { name: 'debounce', tests: '1', failures: '0', errors: '0' },
    ]);
    expect(properties(suites[0]!)).toEqual({ points: '2', maxPoints: '4' });
    expect(properties(suites[1]!)).toEqual({ points: '3', maxPoints: '3' });

    const message = 'expected: [1, 2]\nbut got:  [2, 1]\nhint:     store each result at its index';
    expect(cases(suites[0]!)).toEqual([
      ['pool.createLimiter', 'never runs more than `concurrency` calls at once', 'pass'],
      ['pool.mapLimit', 'resolves in input order', 'failure', message, message],
      ['pool.mapLimit', 'stops at the first error', 'error', 'this behaviour did not run', 'this behaviour did not run'],
    ]);
    expect(cases(suites[1]!)).toEqual([['debounce.debounce', 'waits', 'pass']]);
  });

  it("gives every behaviour of an exercise in error an <error> with the exercise's message", () => {
    const report = buildReport([
      scoreExercise(pool, { outcome: 'timed-out', budgetMs: 2000, stoppedIn: 'b', tests: [passed('a', 'createLimiter', 2), failed('b', 'mapLimit', 'wrong')] }),
    ]);
    const root = parseXml(formatJunit(report));
    expect(root.attributes).toEqual({ name: 'grader', tests: '2', failures: '0', errors: '2' });
    const [suite] = children(root, 'testsuite');
    expect(suite!.attributes).toEqual({ name: 'pool', tests: '2', failures: '0', errors: '2' });
    expect(properties(suite!)).toEqual({ points: '0', maxPoints: '4' });
    const why = 'did not finish in 2 s: is there an infinite loop?';
    expect(cases(suite!)).toEqual([
      // The behaviour's own message is kept after the exercise's.
      ['pool.createLimiter', 'a', 'error', why, `${why}\n\n${NOT_COUNTED}`],
      ['pool.mapLimit', 'b', 'error', why, `${why}\n\n${STILL_RUNNING}`],
    ]);
  });

  it('gives an exercise in error without behaviours one testcase carrying the error', () => {
    const report = buildReport([
      scoreExercise(pool, { outcome: 'missing', file: 'subs/ann/01-pool/pool.ts' }),
      scoreExercise(debounce, { outcome: 'finished', moduleErrors: [], tests: [failed('waits', 'debounce', 'not yet')] }),
    ]);
    const root = parseXml(formatJunit(report));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', errors: '1' });
    const [suite] = children(root, 'testsuite');
    expect(suite!.attributes).toEqual({ name: 'pool', tests: '1', failures: '0', errors: '1' });
    const why = 'subs/ann/01-pool/pool.ts does not exist: there is nothing to grade';
    expect(cases(suite!)).toEqual([['pool', 'pool could not be graded', 'error', why, why]]);
  });

  it('escapes markup, quotes and line breaks, and replaces what XML 1.0 cannot hold', () => {
    const nasty = 'a & b < c > d "e" \'f\'\n\tg\r\nh ]]> \u001b[31mred\u001b[0m \u0000 \uD800 lone, 😀 pair, \uFFFF';
    const shown = 'a & b < c > d "e" \'f\'\n\tg\r\nh ]]> \\u001b[31mred\\u001b[0m \\u0000 \uFFFD lone, 😀 pair, \\uffff';
    const exerciseReport: ExerciseReport = {
      id: 'pool',
      status: 'fail',
      points: 0,
      maxPoints: 1,
      tests: [{ name: `name ${nasty}`, task: 'task <&>', status: 'fail', message: nasty, points: 0, worth: 1 }],
    };
    const report: GradeReport = { version: 1, status: 'fail', points: 0, maxPoints: 1, exercises: [exerciseReport] };
    const xml = formatJunit(report, { name: 'course "<&>"' });
    const root = parseXml(xml);

    expect(root.attributes.name).toBe('course "<&>"');
    expect(cases(child(root, 'testsuite')!)).toEqual([['pool.task <&>', `name ${shown}`, 'failure', shown, shown]]);
    // Attributes keep their line breaks only because they are written as references.
    expect(xml).toContain('&#10;');
    expect(xml).not.toMatch(/message="[^"]*\n/);
  });

  it("leaves out what the learner's code printed (the human report's only)", () => {
    const report = buildReport([
      { ...scoreExercise(debounce, { outcome: 'finished', moduleErrors: [], tests: [passed('waits', 'debounce', 3)] }), output: 'SECRET-OUTPUT' },
    ]);
    report.exercises[0]!.tests[0]!.output = 'SECRET-TEST-OUTPUT';
    expect(formatJunit(report)).not.toMatch(/SECRET/);
  });

  it('is an empty <testsuites> for a report with no exercises', () => {
    const root = parseXml(formatJunit(buildReport([])));
    expect(root).toMatchObject({ name: 'testsuites', attributes: { tests: '0', failures: '0', errors: '0' }, children: [] });
  });
});

describe('grade --junit FILE', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'grader-junit-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the XML of the reference solution next to an unchanged --json stdout', async () => {
    const file = join(tmp, 'r.xml');
    const run = await grader('grade', 'pool', '--workspace', 'solutions', '--json', '--junit', file);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    const [pool] = report.exercises;

    const root = parseXml(readFileSync(file, 'utf8'));
    const total = String(pool!.tests.length);
    expect(root.attributes).toEqual({ name: 'Async Patterns in TypeScript', tests: total, failures: '0', errors: '0' });
    const suites = children(root, 'testsuite');
    expect(suites.map((suite) => suite.attributes)).toEqual([{ name: 'pool', tests: total, failures: '0', errors: '0' }]);
    expect(properties(suites[0]!)).toEqual({ points: String(pool!.maxPoints), maxPoints: String(pool!.maxPoints) });
    expect(cases(suites[0]!)).toEqual(pool!.tests.map((test) => [`pool.${test.task}`, test.name, 'pass']));
  });

  it('grades the stub (a copy, so no progress is recorded) with the human report unchanged on stdout', async () => {
    const workspace = join(tmp, 'stub');
    mkdirSync(join(workspace, '01-pool'), { recursive: true });
    copyFileSync(fromRoot('exercises/01-pool/pool.ts'), join(workspace, '01-pool', 'pool.ts'));
    const file = join(tmp, 'stub.xml');

    const [plain, withJunit] = await Promise.all([
      grader('grade', 'pool', '--workspace', workspace),
      grader('grade', 'pool', '--workspace', workspace, '--junit', file),
    ]);
    expect(withJunit).toMatchObject({ code: 1, stderr: '', stdout: plain.stdout });
    expect(plain.stdout).toMatch(/not implemented yet/);

    const [suite] = children(parseXml(readFileSync(file, 'utf8')), 'testsuite');
    const testcases = cases(suite!);
    expect(testcases.length).toBeGreaterThan(10);
    expect(suite!.attributes).toEqual({ name: 'pool', tests: String(testcases.length), failures: String(testcases.length), errors: '0' });
    for (const [, , outcome, message] of testcases) {
      expect(outcome).toBe('failure');
      expect(message).toMatch(/^not implemented yet: .*01-pool\/pool\.ts:\d+:\d+ still throws/);
    }
  });

  it.each([
    [['--junit', 'no/such/dir/r.xml'], "grader: --junit: folder 'no/such/dir' does not exist\n"],
    [['--junit', 'grader'], "grader: --junit: 'grader' is a folder, not a file\n"],
    [['--junit'], 'grader: grade: option --junit needs a value\n'],
  ])('%j is a usage error: exit 2, one line, nothing graded', async (args, message) => {
    const run = await grader('grade', 'pool', '--workspace', 'solutions', ...args);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });
});
