/**
 * The same code gets the same report on every run: the reference solutions,
 * the alternatives and every bug in the zoo are graded three times at the same
 * time (so both cores are busy, with one more process spinning): in suite
 * order, with every implementation's behaviours shuffled, and as `batch`
 * grades (workers reused from one implementation to the next), and every
 * report must come out identical, for every exercise (it found two sources
 * of difference that one or two exercises did not show: unseeded
 * Math.random, and timers deleted between behaviours).
 * `DETERMINISM_EXERCISES=pool,paginate` narrows it while working on the grader.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { JsonExercise } from '../report/types.ts';
import { runGrader, startBusyLoops, stopBusyLoops } from './support/run-grader.ts';

const chosen = process.env.DETERMINISM_EXERCISES ?? 'all';
const ids = chosen === 'all' ? [] : chosen.split(',');

it('grades every solution, alternative and zoo bug identically in suite order, shuffled, with reused workers, and under load', { timeout: 1_300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grader-determinism-'));
  const busy = startBusyLoops(1);
  try {
    const inOrder = join(dir, 'in-order.json');
    const shuffled = join(dir, 'shuffled.json');
    const reused = join(dir, 'reused.json');
    // Generous budgets: a slow machine must not turn into a different verdict. The three gradings of
    // about 370 implementations take 4-8 minutes on 2 cores; a busy machine must not fail the test.
    const [first, second, third] = await Promise.all([
      runGrader(['verify', ...ids, '--timeout', '60', '--reports', inOrder], { timeoutMs: 1_200_000 }),
      runGrader(['verify', ...ids, '--timeout', '60', '--shuffle', '424242', '--reports', shuffled], { timeoutMs: 1_200_000 }),
      runGrader(['verify', ...ids, '--timeout', '60', '--reuse-workers', '--reports', reused], { timeoutMs: 1_200_000 }),
    ]);
    expect([second.code, third.code]).toEqual([first.code, first.code]);
    const a = JSON.parse(readFileSync(inOrder, 'utf8')) as Record<string, JsonExercise>;
    expect(Object.keys(a).length).toBeGreaterThan(ids.length === 0 ? 200 : 40);
    for (const other of [shuffled, reused]) {
      const b = JSON.parse(readFileSync(other, 'utf8')) as Record<string, JsonExercise>;
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const [candidate, report] of Object.entries(a)) {
        expect({ candidate, report: b[candidate] }).toEqual({ candidate, report });
      }
    }
  } finally {
    stopBusyLoops(busy);
    rmSync(dir, { recursive: true, force: true });
  }
});
