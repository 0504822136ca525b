/**
 * vitest cannot interrupt a synchronous infinite loop (its test timeout is a
 * timer in the same, blocked process). Each hidden suite announces its worker
 * process in `runDir` before any learner code loads; the watchdog kills a
 * worker that has been running one exercise for longer than the budget.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Watchdog {
  /** The suite of this key has finished: stop watching it. */
  finished(key: string): void;
  /** Keys whose worker was killed for running over budget. */
  readonly killed: ReadonlySet<string>;
  stop(): void;
}

export function watchdogKey(candidateId: string, exerciseId: string): string {
  return `${encodeURIComponent(candidateId)}--${exerciseId}`;
}

const PID_SUFFIX = '.pid';

/** The file in which the worker grading this pair writes its process id (see grader/harness/implementation.ts). */
export function pidFileName(candidateId: string, exerciseId: string): string {
  return watchdogKey(candidateId, exerciseId) + PID_SUFFIX;
}

export function startWatchdog(runDir: string, budgetMs: number, pollMs = 100): Watchdog {
  const done = new Set<string>();
  const killed = new Set<string>();
  const poll = (): void => {
    let names: string[];
    try {
      names = readdirSync(runDir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      if (!name.endsWith(PID_SUFFIX)) continue;
      const key = name.slice(0, -PID_SUFFIX.length);
      if (done.has(key) || killed.has(key)) continue;
      const file = join(runDir, name);
      try {
        if (now - statSync(file).mtimeMs < budgetMs) continue;
        const pid = Number(readFileSync(file, 'utf8'));
        killed.add(key);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) process.kill(pid, 'SIGKILL');
      } catch {
        // The worker already exited: nothing to kill.
      }
    }
  };
  const timer = setInterval(poll, pollMs);
  timer.unref();
  return {
    finished: (key) => done.add(key),
    killed,
    stop: () => clearInterval(timer),
  };
}
