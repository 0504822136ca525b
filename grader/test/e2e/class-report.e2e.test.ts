/**
 * End to end: the real `batch` grades a small class of the fixture course (the solutions, the stubs, a
 * whole-file bug of each exercise's zoo, one of them in a folder named like an HTML tag), and a real
 * browser (headless Debian Chromium, driven by playwright-core) opens OUT/report.html from disk. The
 * page must fetch nothing, show the class's real numbers (those of OUT/gradebook.json) in its SVG charts
 * and tables, link each learner to their feedback file, and leave a screenshot in this test's temporary
 * folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradebookEntry } from '../../batch/gradebook.ts';
import { inCourse, type Exercise } from '../../course/manifest.ts';
import { loadZoo } from '../../course/zoo.ts';
import { fixtureCourse } from '../support/course.ts';
import { runGrader } from '../support/run-grader.ts';

const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 60_000;
/** Generous: a busy machine must not turn a reference solution into a timeout. */
const TIMEOUT_S = 30;
const HOSTILE = '<img src=x onerror=alert(1)>';

const course = fixtureCourse();
const exercises = course.exercises;
const byId = (id: string): Exercise => exercises.find((exercise) => exercise.id === id)!;

/** A learner's folder in the exercises/ layout, each exercise's file copied from `from`. */
function learner(folder: string, from: Record<string, string>): void {
  for (const exercise of exercises) {
    const target = join(folder, exercise.stub.replace(/^exercises\//, ''));
    mkdirSync(join(target, '..'), { recursive: true });
    cpSync(from[exercise.id]!, target);
  }
}

async function zooBug(id: string): Promise<string> {
  const bug = (await loadZoo(byId(id))).find((entry) => entry.kind === 'bug' && entry.edits === undefined);
  if (!bug) throw new Error(`the fixture's ${id} zoo has no whole-file bug`);
  return bug.file;
}

const percent = (n: number, of: number): number => Math.round((n / of) * 100);
const ratio = (n: number, of: number): string => `${n} of ${of} (${percent(n, of)}%)`;

describe.skipIf(!existsSync(CHROMIUM))('report.html in a browser', () => {
  // Made in beforeAll: a skipped suite leaves nothing behind.
  let tmp: string | undefined;
  let out: string;
  let browser: Browser | undefined;
  let page: Page;
  let entries: GradebookEntry[];
  let stdout: string;
  /** Every request the page made or tried to (one its Content-Security-Policy refuses is listed too), and those not for a file on disk (blocked). */
  const requests: string[] = [];
  const blocked: string[] = [];
  const dialogs: string[] = [];
  /** The browser's complaints: a fetch the page's Content-Security-Policy refused shows up here. */
  const complaints: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'grader-class-report-'));
    const classDir = join(tmp, 'class');
    out = join(tmp, 'results');
    const solution = (id: string) => inCourse(byId(id), byId(id).solution);
    const stub = (id: string) => inCourse(byId(id), byId(id).stub);
    learner(join(classDir, 'a-solutions'), { delay: solution('delay'), once: solution('once') });
    learner(join(classDir, 'b-stubs'), { delay: stub('delay'), once: stub('once') });
    learner(join(classDir, 'c-delay-bug'), { delay: await zooBug('delay'), once: solution('once') });
    learner(join(classDir, HOSTILE), { delay: solution('delay'), once: await zooBug('once') });

    const run = await runGrader(['batch', classDir, '--out', out, '--timeout', String(TIMEOUT_S), '--no-progress'], { timeoutMs: 240_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stdout = run.stdout;
    entries = JSON.parse(readFileSync(join(out, 'gradebook.json'), 'utf8')) as GradebookEntry[];

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: WAIT_MS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Anything but a file on disk is refused, and noted: the page must not try.
    await context.route(
      (url) => url.protocol !== 'file:',
      (route) => {
        blocked.push(route.request().url());
        return route.abort();
      },
    );
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(join(out, 'report.html')).href, { timeout: WAIT_MS, waitUntil: 'load' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  const learners = () => entries.length;
  const exerciseOf = (entry: GradebookEntry, id: string) => entry.exercises.find((exercise) => exercise.id === id)!;

  it('grades the class as expected (the numbers the page must show)', () => {
    expect(entries.map((entry) => entry.learner)).toEqual([HOSTILE, 'a-solutions', 'b-stubs', 'c-delay-bug']);
    expect(entries.map((entry) => entry.exercises.map((exercise) => exercise.status))).toEqual([
      ['pass', 'fail'],
      ['pass', 'pass'],
      ['fail', 'fail'],
      ['fail', 'pass'],
    ]);
    expect(stdout).toContain('Learners who passed each exercise: delay 2/4 (50%), once 2/4 (50%).\n');
  });

  it('loads from disk alone: no request leaves the machine, nothing runs', () => {
    expect(requests).toEqual([pathToFileURL(join(out, 'report.html')).href]);
    expect(blocked).toEqual([]);
    expect(complaints).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('says how many learners and the class average', async () => {
    const average = entries.reduce((total, entry) => total + entry.points, 0) / learners();
    const max = entries[0]!.maxPoints;
    expect(await page.locator('[data-fact="learners"]').textContent()).toBe(String(learners()));
    expect(await page.locator('[data-fact="average"]').textContent()).toBe(`${average.toFixed(1)}/${max} points (${percent(average, max)}%)`);
  });

  it('shows each exercise’s pass rate with a bar as long as the rate', async () => {
    for (const exercise of exercises) {
      const passed = entries.filter((entry) => exerciseOf(entry, exercise.id).status === 'pass').length;
      expect(passed).toBe(2);
      const row = page.locator(`#exercises tr[data-exercise="${exercise.id}"]`);
      expect(await row.locator('.ratio').textContent()).toBe(ratio(passed, learners()));
      const track = await row.locator('svg.bar rect.track').boundingBox();
      const fill = await row.locator('svg.bar rect.fill').boundingBox();
      expect(track!.width).toBeGreaterThan(0);
      expect(fill!.width / track!.width).toBeCloseTo(passed / learners(), 1);
      expect(await row.locator('svg.bar title').textContent()).toContain(ratio(passed, learners()));
    }
  });

  it('draws each exercise’s score distribution as an SVG histogram with the class’s counts', async () => {
    const histograms = page.locator('#distribution svg.histogram');
    expect(await histograms.count()).toBe(exercises.length);
    for (const exercise of exercises) {
      const counts = Array.from({ length: exercise.points + 1 }, () => 0);
      for (const entry of entries) counts[exerciseOf(entry, exercise.id).points]!++;
      const svg = page.locator(`#distribution svg.histogram[data-exercise="${exercise.id}"]`);
      expect(await svg.isVisible()).toBe(true);
      expect(await svg.locator(':scope > title').textContent()).toContain(`${exercise.id}: how many of the ${learners()} learners`);
      const bins = await svg.locator('g.bin').evaluateAll((groups) =>
        groups.map((group) => ({
          label: group.querySelector('text.label')!.textContent,
          count: Number(group.querySelector('text.count')!.textContent),
          height: Number(group.querySelector('rect')!.getAttribute('height')),
        })),
      );
      expect(bins.map(({ label, count }) => [label, count])).toEqual(counts.map((count, points) => [String(points), count]));
      // Taller bars for more learners; an empty bin has no bar.
      const tallest = Math.max(...counts);
      for (const bin of bins) {
        if (bin.count === 0) expect(bin.height).toBe(0);
        else expect(bin.height).toBeGreaterThan(0);
        if (bin.count === tallest) expect(bin.height).toBe(Math.max(...bins.map((other) => other.height)));
      }
    }
  });

  it('gives every behaviour its pass rate', async () => {
    for (const exercise of exercises) {
      const expected = exerciseOf(entries[1]!, exercise.id).tests.map((test) => {
        const passed = entries.filter((entry) => exerciseOf(entry, exercise.id).tests.some((t) => t.name === test.name && t.status === 'pass')).length;
        return [test.name, ratio(passed, learners())];
      });
      const rows = await page
        .locator(`#behaviours table[data-exercise="${exercise.id}"] tr.behaviour`)
        .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('.ratio')!.textContent]));
      expect(rows).toEqual(expected);
      expect(rows).toHaveLength(3);
    }
  });

  it('lists the most-missed behaviours, most first', async () => {
    const missed = exercises.flatMap((exercise) =>
      exerciseOf(entries[1]!, exercise.id).tests.map((test) => ({
        name: test.name,
        missed: entries.filter((entry) => !exerciseOf(entry, exercise.id).tests.some((t) => t.name === test.name && t.status === 'pass')).length,
      })),
    );
    const ordered = missed.filter((behaviour) => behaviour.missed > 0).sort((a, b) => b.missed - a.missed);
    const rows = await page
      .locator('#most-missed tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('.missed')!.textContent]));
    expect(rows).toEqual(ordered.slice(0, 10).map(({ name, missed: count }) => [name, ratio(count, learners())]));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('has a row per learner, with their points and a working link to their feedback', async () => {
    const rows = page.locator('#learners tbody tr.learner');
    expect(await rows.count()).toBe(learners());
    // The hostile id is text, never a tag.
    expect(await page.locator('img').count()).toBe(0);
    for (const [index, entry] of entries.entries()) {
      const row = rows.nth(index);
      const link = row.locator('th a');
      expect(await link.textContent()).toBe(entry.learner);
      expect(await row.locator('td.total').textContent()).toBe(`${entry.points}/${entry.maxPoints}`);
      // The link as the browser resolves it against the page's file:// address.
      const href = await link.evaluate((a) => (a as unknown as { href: string }).href);
      const file = fileURLToPath(href);
      expect(file).toBe(join(out, 'feedback', `${entry.learner}.md`));
      expect(readFileSync(file, 'utf8')).toContain(`**Total: ${entry.points}/${entry.maxPoints} points**`);
    }
  });

  it('saves a screenshot into the test’s temporary folder', async () => {
    const screenshot = join(tmp!, 'class-report.png');
    await page.screenshot({ path: screenshot, fullPage: true, timeout: WAIT_MS });
    expect(statSync(screenshot).size).toBeGreaterThan(0);
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  });

  it('opens a learner’s feedback when their link is followed', async () => {
    await page.locator('#learners a', { hasText: 'a-solutions' }).click();
    await page.waitForURL(/feedback\/a-solutions\.md$/, { timeout: WAIT_MS });
    expect(await page.locator('body').textContent()).toContain(`${course.title} — feedback for a-solutions`);
    expect(blocked).toEqual([]);
  });
});
