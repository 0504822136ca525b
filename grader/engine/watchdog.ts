/**
 * vitest cannot interrupt a synchronous infinite loop (its test timeout is a
 * timer in the same, blocked process), and a runaway allocation would take the
 * machine down with it. Each hidden suite announces its worker process in
 * `runDir` before any learner code loads; the watchdog kills a worker that has
 * been running one exercise for longer than the time budget, or whose memory
 * grows past the memory budget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyOfPidFile, stepFileName } from './worker-protocol.ts';

export type KillReason = 'time' | 'memory';

export interface Watchdog {
  /** The suite of this key has finished: stop watching it. */
  finished(key: string): void;
  /** Keys whose worker was killed, and why. */
  readonly killed: ReadonlyMap<string, KillReason>;
  /** The process that announced itself for this key, if one did. */
  pidOf(key: string): number | undefined;
  /** For a key that never finished (killed, or its process died): the step it was in, as it announced it. */
  stoppedIn(key: string): string | undefined;
  stop(): void;
}

export interface WatchdogLimits {
  budgetMs: number;
  /** Resident memory a worker may use; checked where the system tells (Linux's /proc). */
  memoryMb: number;
  pollMs?: number;
}

/** Resident memory a grading worker may use. Its V8 heap is capped higher, so this check usually fires first. */
export const WORKER_MEMORY_MB = 1024;
/** `--max-old-space-size` for grading workers: the backstop where resident memory cannot be read. */
export const WORKER_HEAP_MB = 2048;

/** Resident memory of a process in MB, or undefined where /proc cannot tell. */
export function residentMb(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export function startWatchdog(runDir: string, limits: WatchdogLimits): Watchdog {
  const done = new Set<string>();
  const killed = new Map<string, KillReason>();
  const kill = (key: string, pid: number, reason: KillReason): void => {
    killed.set(key, reason);
    try {
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) process.kill(pid, 'SIGKILL');
    } catch {
      // The worker already exited: nothing to kill.
    }
  };
  // What the watchdog has seen, kept in its own memory: a worker's files could be changed or deleted by the
  // learner's code, so the pid is read once and the start is when the watchdog first saw the file.
  const workers = new Map<string, { pid: number; startedAt: number }>();
  const stopped = new Map<string, string>();
  /** Note the workers that announced themselves since the last look. */
  const look = (now: number): void => {
    let names: string[] = [];
    try {
      names = readdirSync(runDir);
    } catch {
      // The folder is gone: keep watching the workers already seen.
    }
    for (const name of names) {
      const key = keyOfPidFile(name);
      if (key === undefined || workers.has(key)) continue;
      try {
        const pid = Number(readFileSync(join(runDir, name), 'utf8'));
        // Read while it was being written (empty): seen again on the next poll.
        if (Number.isInteger(pid) && pid > 0) workers.set(key, { pid, startedAt: now });
      } catch {
        // Deleted as it was read: seen again on the next poll, if it is still there.
      }
    }
  };
  const poll = (): void => {
    const now = Date.now();
    look(now);
    for (const [key, { pid, startedAt }] of workers) {
      if (done.has(key) || killed.has(key)) continue;
      if (now - startedAt >= limits.budgetMs) kill(key, pid, 'time');
      else if ((residentMb(pid) ?? 0) > limits.memoryMb) kill(key, pid, 'memory');
    }
  };
  const timer = setInterval(poll, limits.pollMs ?? 50);
  timer.unref();
  return {
    finished: (key) => done.add(key),
    killed,
    pidOf: (key) => workers.get(key)?.pid,
    stop: () => {
      clearInterval(timer);
      // Pairs that came and went between two polls: their process is still worth knowing.
      look(Date.now());
      for (const key of workers.keys()) {
        if (done.has(key) && !killed.has(key)) continue;
        try {
          stopped.set(key, readFileSync(join(runDir, stepFileName(key)), 'utf8'));
        } catch {
          // Not announced: the report cannot say where it stopped.
        }
      }
    },
    stoppedIn: (key) => stopped.get(key),
  };
}
