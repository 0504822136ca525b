/**
 * The same code gets the same report however it is graded: the fixture course's solutions, alternatives
 * and bugs are graded three times at the same time (so both cores are busy, with one more process
 * spinning), each time with the behaviours in other orders, the third as `batch` grades (workers reused
 * from one implementation to the next), and every report must come out identical. The real curriculum is graded
 * once per `npm test`, by `verify --reuse-workers`, each implementation in a shuffled order of its own.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { JsonExercise } from '../report/types.ts';
import { runGrader, startBusyLoops, stopBusyLoops } from './support/run-grader.ts';

it('grades every implementation of the zoo identically in three orders, with reused workers, and under load', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grader-determinism-'));
  const busy = startBusyLoops(1);
  try {
    const inOrder = join(dir, 'one-order.json');
    const shuffled = join(dir, 'shuffled.json');
    const reused = join(dir, 'reused.json');
    // Generous budgets: a slow machine must not turn into a different verdict.
    const [first, second, third] = await Promise.all([
      runGrader(['verify', '--timeout', '60', '--shuffle', '1', '--reports', inOrder], { timeoutMs: 540_000 }),
      runGrader(['verify', '--timeout', '60', '--shuffle', '424242', '--reports', shuffled], { timeoutMs: 540_000 }),
      runGrader(['verify', '--timeout', '60', '--reuse-workers', '--reports', reused], { timeoutMs: 540_000 }),
    ]);
    expect([first.code, second.code, third.code], first.stdout + second.stdout + third.stdout).toEqual([0, 0, 0]);
    const a = JSON.parse(readFileSync(inOrder, 'utf8')) as Record<string, JsonExercise>;
    expect(Object.keys(a).length).toBeGreaterThan(20);
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
