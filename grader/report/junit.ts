/**
 * The report as JUnit XML (`grade --junit FILE`), for CI systems that show
 * test results: one <testsuite> per exercise, one <testcase> per behaviour.
 * Built from the `--json` document, so it says no more than scripts see.
 */
import { toJsonDocument } from './json.ts';
import type { GradeReport, JsonExercise, JsonTest } from './types.ts';

export interface JunitOptions {
  /** The name of the root <testsuites>. */
  name?: string;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
}

interface Suite extends Counts {
  xml: string;
}

export function formatJunit(report: GradeReport, { name = 'grader' }: JunitOptions = {}): string {
  const suites = toJsonDocument(report).exercises.map(suiteXml);
  const total: Counts = {
    tests: sum(suites.map((suite) => suite.tests)),
    failures: sum(suites.map((suite) => suite.failures)),
    errors: sum(suites.map((suite) => suite.errors)),
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, ...total })}>`,
    ...suites.map((suite) => suite.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function suiteXml(exercise: JsonExercise): Suite {
  const cases =
    exercise.status === 'error'
      ? errorCases(exercise)
      : exercise.tests.map((test) => testcase(exercise.id, test, outcome(test)));
  const counts: Counts = {
    tests: cases.length,
    failures: cases.filter((entry) => entry.kind === 'failure').length,
    errors: cases.filter((entry) => entry.kind === 'error').length,
  };
  const xml = [
    `  <testsuite${attributes({ name: exercise.id, ...counts })}>`,
    '    <properties>',
    `      <property${attributes({ name: 'points', value: exercise.points })}/>`,
    `      <property${attributes({ name: 'maxPoints', value: exercise.maxPoints })}/>`,
    '    </properties>',
    ...cases.map((entry) => entry.xml),
    '  </testsuite>',
  ].join('\n');
  return { ...counts, xml };
}

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error'; message: string; detail: string };

function outcome(test: JsonTest): Outcome {
  if (test.status === 'pass') return { kind: 'pass' };
  const message = test.message ?? '';
  return { kind: test.status === 'fail' ? 'failure' : 'error', message, detail: message };
}

/** An exercise that could not be graded: every behaviour is an error carrying the exercise's reason. */
function errorCases(exercise: JsonExercise): Case[] {
  const message = exercise.message ?? 'error';
  if (exercise.tests.length === 0) {
    return [testcase(exercise.id, { name: `${exercise.id} could not be graded` }, { kind: 'error', message, detail: message })];
  }
  return exercise.tests.map((test) => {
    // The behaviour's own message, when it says something the exercise's does not.
    const own = test.message !== undefined && test.message !== '' && test.message !== message ? `\n\n${test.message}` : '';
    return testcase(exercise.id, test, { kind: 'error', message, detail: message + own });
  });
}

interface Case {
  kind: Outcome['kind'];
  xml: string;
}

function testcase(id: string, test: { name: string; task?: string }, result: Outcome): Case {
  const classname = test.task ? `${id}.${test.task}` : id;
  const open = `    <testcase${attributes({ name: test.name, classname })}`;
  if (result.kind === 'pass') return { kind: 'pass', xml: `${open}/>` };
  const element = `      <${result.kind}${attributes({ message: result.message })}>${escapeText(result.detail)}</${result.kind}>`;
  return { kind: result.kind, xml: [`${open}>`, element, '    </testcase>'].join('\n') };
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('');
}

/**
 * Characters XML 1.0 cannot hold at all, not even as &#...; references: C0 controls
 * other than tab, line feed and carriage return, U+FFFE, U+FFFF, and lone surrogates.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Learner output can hold anything (a terminal colour code, say): show it as `\u001b` instead. */
function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (char) => {
    const code = char.charCodeAt(0);
    return code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function escapeText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Line breaks and tabs as references: a parser would turn them into spaces inside an attribute. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
