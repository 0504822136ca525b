/**
 * `batch`'s class report (report.html) and the summary's class lines, on a made-up class of the fixture
 * course (delay and once, 4 points each: 3 behaviours, the first worth 2). The numbers are pinned; the
 * browser test (e2e/class-report.e2e.test.ts) checks the page renders them.
 */
import { describe, expect, it } from 'vitest';
import { binLabels, binOf, classStats, distribution, hintOf, mostCommon, mostMissed } from '../batch/class-stats.ts';
import type { GradedLearner } from '../batch/gradebook.ts';
import { escapeHtml, feedbackHref, formatReportHtml } from '../batch/report-html.ts';
import { formatSummary } from '../batch/summary.ts';
import type { ExerciseRun, RawTest } from '../engine/run-result.ts';
import { buildReport, scoreExercise } from '../report/score.ts';
import type { GradeReport } from '../report/types.ts';
import { BEHAVIOURS, fixtureCourse } from './support/course.ts';

const course = fixtureCourse();
const { RESOLVES, ZERO, THROWS, FIRST_CALL, REJECTION, SYNC_THROW } = BEHAVIOURS;
const HOSTILE = '<img src=x onerror=alert(1)>';

const WORTH: Record<string, number> = { [RESOLVES]: 2, [ZERO]: 1, [THROWS]: 1, [FIRST_CALL]: 2, [REJECTION]: 1, [SYNC_THROW]: 1 };
const pass = (name: string, task: string): RawTest => ({ name, task, points: WORTH[name]!, state: 'passed' });
const fail = (name: string, task: string, hint?: string, kind: RawTest['kind'] = 'wrong'): RawTest => ({
  name,
  task,
  points: WORTH[name]!,
  state: 'failed',
  kind,
  message: `expected: it to work\nbut got:  it did not${hint === undefined ? '' : `\nhint:     ${hint}`}`,
});
const stubbed = (name: string, task: string): RawTest => ({
  ...fail(name, task, undefined, 'not-implemented'),
  message: `not implemented yet: ${task}.ts:3:9 still throws`,
});
const finished = (...tests: RawTest[]): ExerciseRun => ({ outcome: 'finished', moduleErrors: [], tests });

function reportOf(runs: Record<string, ExerciseRun>): GradeReport {
  return buildReport(course.exercises.map((exercise) => scoreExercise(exercise, runs[exercise.id])));
}

const ZERO_HINT = 'even 0 ms goes through setTimeout';
const THROWS_HINT = 'check ms before you make the promise';
const REJECTION_HINT = "keep the first call's promise";
const HOSTILE_HINT = 'use <em>setTimeout</em> & wait';

/**
 * ann passes everything; bob's delay misses two behaviours and his once is the stub; the hostile learner's
 * delay misses two (one with markup in its hint) and their once is missing; dan's once hung; eve misses one.
 */
const CLASS: GradedLearner[] = [
  {
    id: 'ann',
    report: reportOf({
      delay: finished(pass(RESOLVES, 'delay'), pass(ZERO, 'delay'), pass(THROWS, 'delay')),
      once: finished(pass(FIRST_CALL, 'once'), pass(REJECTION, 'once'), pass(SYNC_THROW, 'once')),
    }),
  },
  {
    id: 'bob',
    report: reportOf({
      delay: finished(pass(RESOLVES, 'delay'), fail(ZERO, 'delay', ZERO_HINT), fail(THROWS, 'delay', THROWS_HINT)),
      once: finished(stubbed(FIRST_CALL, 'once'), stubbed(REJECTION, 'once'), stubbed(SYNC_THROW, 'once')),
    }),
  },
  {
    id: HOSTILE,
    report: reportOf({
      delay: finished(fail(RESOLVES, 'delay', HOSTILE_HINT), fail(ZERO, 'delay', ZERO_HINT), pass(THROWS, 'delay')),
      once: { outcome: 'missing', file: `${HOSTILE}/02-once/once.ts` },
    }),
  },
  {
    id: 'dan',
    report: reportOf({
      delay: finished(pass(RESOLVES, 'delay'), fail(ZERO, 'delay', 'another hint'), pass(THROWS, 'delay')),
      once: { outcome: 'timed-out', budgetMs: 10_000, tests: [pass(FIRST_CALL, 'once'), pass(REJECTION, 'once'), pass(SYNC_THROW, 'once')] },
    }),
  },
  {
    id: 'eve',
    report: reportOf({
      delay: finished(pass(RESOLVES, 'delay'), pass(ZERO, 'delay'), pass(THROWS, 'delay')),
      once: finished(pass(FIRST_CALL, 'once'), fail(REJECTION, 'once', REJECTION_HINT), pass(SYNC_THROW, 'once')),
    }),
  },
];

describe('the class in numbers', () => {
  const stats = classStats(CLASS);

  it('has the class size, the average and who has an error', () => {
    expect(CLASS.map(({ report }) => report.points)).toEqual([8, 2, 1, 3, 7]);
    expect(stats).toMatchObject({ learners: 5, maxPoints: 8, averagePoints: 21 / 5, withErrors: 2 });
  });

  it('counts, for each exercise, who passed it, who could not be graded, and the scores in one bin per point', () => {
    expect(stats.exercises.map(({ id, passed, errors, averagePoints, distribution: bins }) => ({ id, passed, errors, averagePoints, bins }))).toEqual([
      { id: 'delay', passed: 2, errors: 0, averagePoints: 14 / 5, bins: [0, 1, 1, 1, 2].map((count, points) => ({ label: String(points), count })) },
      { id: 'once', passed: 1, errors: 2, averagePoints: 7 / 5, bins: [3, 0, 0, 1, 1].map((count, points) => ({ label: String(points), count })) },
    ]);
  });

  it('counts every behaviour: who passed it, who missed it (a missing or hung exercise too), and its most common hint', () => {
    const behaviours = stats.exercises.flatMap((exercise) => exercise.behaviours.map(({ exercise: id, name, passed, missed, hint }) => [id, name, passed, missed, hint]));
    expect(behaviours).toEqual([
      ['delay', RESOLVES, 4, 1, HOSTILE_HINT],
      ['delay', ZERO, 2, 3, ZERO_HINT],
      ['delay', THROWS, 4, 1, THROWS_HINT],
      ['once', FIRST_CALL, 2, 3, undefined],
      ['once', REJECTION, 1, 4, REJECTION_HINT],
      ['once', SYNC_THROW, 2, 3, undefined],
    ]);
  });

  it('orders the most-missed behaviours by how many missed them, ties in course order', () => {
    expect(mostMissed(stats, 10).map(({ name, missed }) => [name, missed])).toEqual([
      [REJECTION, 4],
      [ZERO, 3],
      [FIRST_CALL, 3],
      [SYNC_THROW, 3],
      [RESOLVES, 1],
      [THROWS, 1],
    ]);
    expect(mostMissed(stats, 2).map(({ name }) => name)).toEqual([REJECTION, ZERO]);
    expect(mostMissed(classStats(CLASS.slice(0, 1)), 10)).toEqual([]);
  });

  it('finds the hint line of a message; the most common hint wins, a tie goes to the first seen', () => {
    expect(hintOf('expected: a\nbut got:  b\nhint:     do c ')).toBe('do c');
    expect(hintOf('expected: a\nbut got:  b')).toBeUndefined();
    expect(hintOf('not implemented yet: x.ts:1:1 still throws')).toBeUndefined();
    expect(hintOf(undefined)).toBeUndefined();
    expect(mostCommon(['a', 'b', 'b', 'a', 'c'])).toBe('a');
    expect(mostCommon(['a', 'b', 'b'])).toBe('b');
    expect(mostCommon([])).toBeUndefined();
  });

  it('bins by points up to 10 points, in bands of ten percent above, full marks alone', () => {
    expect(binLabels(4)).toEqual(['0', '1', '2', '3', '4']);
    expect(binLabels(40)).toEqual(['0–9%', '10–19%', '20–29%', '30–39%', '40–49%', '50–59%', '60–69%', '70–79%', '80–89%', '90–99%', '100%']);
    expect([0, 3, 4, 20, 39, 40].map((points) => binOf(points, 40))).toEqual([0, 0, 1, 5, 9, 10]);
    expect(distribution([0, 3, 4, 20, 39, 40, 40], 40).map(({ count }) => count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 2]);
  });
});

describe('the terminal summary', () => {
  it('adds each exercise’s pass rate and the five most-missed behaviours, and names report.html', () => {
    expect(formatSummary({ learners: CLASS, seconds: 3, out: 'results' })).toBe(
      'Graded 5 learners in 3.0 s. Class average: 4.2/8 points (53%).\n' +
        `2 learners have an exercise that could not be graded (error, 0 points): ${HOSTILE}, dan.\n` +
        'Learners who passed each exercise: delay 2/5 (40%), once 1/5 (20%).\n' +
        'The 5 most-missed behaviours:\n' +
        `  once: ${REJECTION} (missed by 4 of 5)\n` +
        `  delay: ${ZERO} (missed by 3 of 5)\n` +
        `  once: ${FIRST_CALL} (missed by 3 of 5)\n` +
        `  once: ${SYNC_THROW} (missed by 3 of 5)\n` +
        `  delay: ${RESOLVES} (missed by 1 of 5)\n` +
        'Gradebook: results/gradebook.csv and results/gradebook.json; feedback for each learner: results/feedback/<learner>.md; ' +
        'class report: results/report.html\n',
    );
  });

  it('says so when nobody missed anything', () => {
    expect(formatSummary({ learners: CLASS.slice(0, 1), seconds: 1, out: 'o' })).toContain(
      'Learners who passed each exercise: delay 1/1 (100%), once 1/1 (100%).\nMost-missed behaviours: none; every learner passed every behaviour.\n',
    );
  });
});

describe('report.html', () => {
  const html = formatReportHtml({ course, learners: CLASS });
  /** The HTML of one section of the page, by its id. */
  const section = (id: string): string => {
    const start = html.indexOf(`<section id="${id}">`);
    expect(start, id).toBeGreaterThanOrEqual(0);
    return html.slice(start, html.indexOf('</section>', start));
  };
  const counts = (svg: string): Array<[string, number]> =>
    [...svg.matchAll(/<g class="bin" data-label="([^"]*)" data-count="(\d+)">/g)].map((match) => [match[1]!, Number(match[2])]);

  it('is one self-contained page: no script, no external asset, nothing to fetch', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    for (const fetches of [/<script/i, /<img/i, /<link/i, /<iframe/i, /<object/i, /https?:/i, /url\(/i, /@import/i, /\son\w+="/i]) {
      expect(html).not.toMatch(fetches);
    }
    expect(html).toContain(`<title>${course.title} — class report</title>`);
  });

  it('escapes every learner id, message and hint', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<em>');
    expect(html).toContain('<a href="feedback/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.md">&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(html).toContain('<td class="hint">use &lt;em&gt;setTimeout&lt;/em&gt; &amp; wait</td>');
  });

  it('says how many learners, the class average, and who could not be graded', () => {
    expect(html).toContain(
      '<p class="overview"><span data-fact="learners">5</span> learners. Class average: <span data-fact="average">4.2/8 points (53%)</span>. ' +
        '2 learners have an exercise that could not be graded (error, 0 points): see the table of learners.</p>',
    );
  });

  it('gives each exercise its pass rate, average and errors', () => {
    const exercises = section('exercises');
    expect(exercises).toContain('<th scope="col">Learners who passed it</th>');
    expect(exercises).toMatch(/<tr data-exercise="delay"><th scope="row">delay<\/th><td>[^<]+<\/td><td class="pass-rate"><svg[^>]*><title>delay: learners who passed: 2 of 5 \(40%\)<\/title>.*?<\/svg> <span class="ratio">2 of 5 \(40%\)<\/span><\/td><td class="num">2\.8\/4<\/td><td class="num">0<\/td><\/tr>/);
    expect(exercises).toMatch(/<tr data-exercise="once">.*?<span class="ratio">1 of 5 \(20%\)<\/span><\/td><td class="num">1\.4\/4<\/td><td class="num">2<\/td><\/tr>/);
    // The bar is as long as the rate: 2 of 5 of 160 pixels.
    expect(exercises).toContain('<rect class="fill" width="64" height="14" data-value="2" data-of="5"/>');
    expect(html).toContain('<nav aria-label="Sections"><a href="#exercises">Exercises</a>');
  });

  it('draws each exercise’s score distribution as an SVG histogram with its counts printed', () => {
    const svgs = [...section('distribution').matchAll(/<svg class="histogram" data-exercise="(\w+)".*?<\/svg>/g)];
    expect(svgs.map((match) => match[1])).toEqual(['delay', 'once']);
    expect(counts(svgs[0]![0])).toEqual([['0', 0], ['1', 1], ['2', 1], ['3', 1], ['4', 2]]);
    expect(counts(svgs[1]![0])).toEqual([['0', 3], ['1', 0], ['2', 0], ['3', 1], ['4', 1]]);
    expect(svgs[0]![0]).toContain('<title>delay: how many of the 5 learners scored each number of points</title>');
    expect(svgs[1]![0]).toContain('<title>0 points: 3 learners</title>');
    expect(svgs[1]![0]).toMatch(/<text class="count"[^>]*>3<\/text>/);
  });

  it('gives every behaviour its pass rate, per exercise', () => {
    const behaviours = section('behaviours');
    const rows = [...behaviours.matchAll(/<tr class="behaviour"><th scope="row">([^<]*)<\/th>.*?<span class="ratio">([^<]*)<\/span>/g)].map((match) => [match[1], match[2]]);
    expect(rows).toEqual([
      [escapeHtml(RESOLVES), '4 of 5 (80%)'],
      [escapeHtml(ZERO), '2 of 5 (40%)'],
      [escapeHtml(THROWS), '4 of 5 (80%)'],
      [escapeHtml(FIRST_CALL), '2 of 5 (40%)'],
      [escapeHtml(REJECTION), '1 of 5 (20%)'],
      [escapeHtml(SYNC_THROW), '2 of 5 (40%)'],
    ]);
    expect(behaviours).toContain(`<table class="behaviours" data-exercise="once"><caption>once — ${escapeHtml(course.exercises[1]!.title)}</caption>`);
  });

  it('lists the most-missed behaviours, most first, with their hint or a word that there is none', () => {
    const missed = section('most-missed');
    expect(missed).toContain('<h2>What to teach next: the 6 most-missed behaviours</h2>');
    const rows = [...missed.matchAll(/<tr><td class="num">(\d+)<\/td><th scope="row">([^<]*)<\/th><td>(\w+)<\/td><td class="num missed">([^<]*)<\/td><td class="([\w-]+)">([^<]*)<\/td><\/tr>/g)];
    expect(rows.map((match) => match.slice(1))).toEqual([
      ['1', escapeHtml(REJECTION), 'once', '4 of 5 (80%)', 'hint', escapeHtml(REJECTION_HINT)],
      ['2', escapeHtml(ZERO), 'delay', '3 of 5 (60%)', 'hint', ZERO_HINT],
      ['3', escapeHtml(FIRST_CALL), 'once', '3 of 5 (60%)', 'no-hint', 'No hint: none of its failure messages has one.'],
      ['4', escapeHtml(SYNC_THROW), 'once', '3 of 5 (60%)', 'no-hint', 'No hint: none of its failure messages has one.'],
      ['5', escapeHtml(RESOLVES), 'delay', '1 of 5 (20%)', 'hint', escapeHtml(HOSTILE_HINT)],
      ['6', escapeHtml(THROWS), 'delay', '1 of 5 (20%)', 'hint', THROWS_HINT],
    ]);
    expect(formatReportHtml({ course, learners: CLASS.slice(0, 1) })).toContain('<p>Every learner passed every behaviour.</p>');
  });

  it('has a row per learner, in the class’s order, linking to the feedback file by its relative name', () => {
    const learners = section('learners');
    expect(learners).toContain('<thead><tr><th scope="col">Learner</th><th scope="col">delay (4)</th><th scope="col">once (4)</th><th scope="col">Total</th><th scope="col">Percent</th></tr></thead>');
    const rows = [...learners.matchAll(/<tr class="learner"><th scope="row"><a href="([^"]*)">([^<]*)<\/a><\/th>(.*?)<\/tr>/g)];
    expect(rows.map((match) => match[1])).toEqual(['feedback/ann.md', 'feedback/bob.md', feedbackHref(HOSTILE), 'feedback/dan.md', 'feedback/eve.md']);
    expect(rows.map((match) => match[2])).toEqual(['ann', 'bob', escapeHtml(HOSTILE), 'dan', 'eve']);
    expect(rows[3]![3]).toBe(
      '<td class="num fail">3 <span class="status">not yet</span></td><td class="num error">0 <span class="status">error</span></td>' +
        '<td class="num total">3/8</td><td class="num">38%</td>',
    );
    expect(rows[0]![3]).toBe(
      '<td class="num pass">4 <span class="status">passed</span></td><td class="num pass">4 <span class="status">passed</span></td>' +
        '<td class="num total">8/8</td><td class="num">100%</td>',
    );
  });
});
