/**
 * End to end: `npm run test:ui` serves the vitest UI on the practice tests,
 * and a real browser (headless Debian Chromium, driven by playwright-core)
 * lists every practice test file of course.json. It runs on a copy of the
 * fixture course, given this checkout's own package.json and learner's
 * vitest.config.ts (what `npm run test:ui` reads) and its installed packages.
 * The server runs on the learner's stubs, exactly as a learner starts it;
 * their tests fail, which is fine: the files must be listed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/manifest.ts';
import { copyFixtureCourse, GRADER_CHECKOUT } from '../support/course.ts';

const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of a person's shell: nothing left over from the vitest running this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|FORCE_COLOR$)/.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1' };
}

/**
 * A copy of the fixture course set up as a learner's checkout: this checkout's package.json and
 * vitest.config.ts, its grader/harness (the practice tests' setup file) and its installed packages, linked.
 * node_modules is a folder of the copy's own, so vitest's cache lands in the copy, not in this checkout.
 */
function learnerCheckout(): string {
  const course = copyFixtureCourse('grader-test-ui-');
  for (const file of ['package.json', 'vitest.config.ts']) copyFileSync(join(GRADER_CHECKOUT, file), join(course, file));
  symlinkSync(join(GRADER_CHECKOUT, 'grader/harness'), join(course, 'grader/harness'), 'dir');
  mkdirSync(join(course, 'node_modules'), { recursive: true });
  for (const entry of readdirSync(join(GRADER_CHECKOUT, 'node_modules'))) {
    if (entry === '.vite' || existsSync(join(course, 'node_modules', entry))) continue;
    symlinkSync(join(GRADER_CHECKOUT, 'node_modules', entry), join(course, 'node_modules', entry));
  }
  return course;
}

describe.skipIf(!existsSync(CHROMIUM))('npm run test:ui', () => {
  let server: ChildProcess;
  let exited: Promise<void>;
  let browser: Browser | undefined;
  let url: string;
  let output = '';
  let course: string;

  beforeAll(async () => {
    course = learnerCheckout();
    const port = await freePort();
    // --watch: vitest only stays up on its own when stdin is a terminal; here it is not.
    server = spawn('npm', ['run', '--silent', 'test:ui', '--', '--watch', '--open=false', '--api.host', '127.0.0.1', '--api.port', String(port)], {
      cwd: course,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: afterAll stops npm, vitest and vitest's workers together.
      detached: true,
    });
    exited = new Promise((resolve) => server.once('exit', () => resolve()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the UI did not start within ${WAIT_MS} ms:\n${output}`)), WAIT_MS);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const started = /UI started at (http:\/\/\S+)/.exec(output);
        if (!started) return;
        clearTimeout(timer);
        resolve(started[1]!);
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (code) => reject(new Error(`the UI server exited (${code}) before starting:\n${output}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: WAIT_MS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      const group = -server.pid;
      process.kill(group, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!stopped) process.kill(group, 'SIGKILL');
    }
    try {
      // Whatever is left of the group (vitest's workers) goes too.
      if (server?.pid !== undefined) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // Nothing left: the group is gone.
    }
    if (course !== undefined) rmSync(course, { recursive: true, force: true });
  });

  it('lists every practice test file of course.json', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 4000 } });
    await page.goto(url, { timeout: WAIT_MS });
    const practice = loadCourse(course).exercises.map((exercise) => exercise.practice);
    expect(practice).toEqual(['exercises/01-delay/delay.test.ts', 'exercises/02-once/once.test.ts']);
    for (const file of practice) {
      // The explorer names each test file in an item's aria-label.
      const item = page.locator(`[data-testid="explorer-item"][aria-label="${file}"]`);
      await item.first().waitFor({ state: 'attached', timeout: WAIT_MS });
      expect(await item.count(), file).toBeGreaterThan(0);
    }
    await page.close();
  });
});
