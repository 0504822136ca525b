/**
 * Loading the learner's file. A file that does not parse, throws while it
 * loads, or lacks an export must not crash the suite: every behaviour then
 * reports the same load failure, and the grader marks the exercise `error`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { Feedback } from './feedback.ts';

let loadFailure: Feedback | undefined;

export function currentLoadFailure(): Feedback | undefined {
  return loadFailure;
}

/** Tell the grader's watchdog which process runs this exercise, before any learner code runs. */
function announceToWatchdog(exercise: string): void {
  const runDir = inject('graderRunDir');
  const candidate = inject('graderCandidate');
  if (!runDir || !candidate) return; // a bare `vitest run` has no watchdog
  writeFileSync(join(runDir, `${encodeURIComponent(candidate)}--${exercise}.pid`), String(process.pid));
}

function describeLoadError(error: unknown, file: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  const text = raw.split(process.cwd() + '/').join('');
  const firstLines = text.split('\n').filter((line) => line.trim() !== '').slice(0, 6).join('\n');
  return `${file} could not be loaded: ${firstLines}`;
}

export interface ImplementationSpec {
  exercise: string;
  /** The file as the learner knows it, for messages, when the grader does not say: `exercises/01-pool/pool.ts`. */
  file: string;
  load: () => Promise<Record<string, unknown>>;
  /** Export name → what it must be. */
  exports: Record<string, 'function'>;
}

export async function loadImplementation<M>(spec: ImplementationSpec): Promise<M> {
  announceToWatchdog(spec.exercise);
  // The grader knows where the file really is (exercises/, a workspace, the zoo).
  const file = inject('graderFiles')?.[spec.exercise] ?? spec.file;
  let module: Record<string, unknown>;
  try {
    module = await spec.load();
  } catch (error) {
    loadFailure = new Feedback('not-loaded', describeLoadError(error, file));
    return {} as M;
  }
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(spec.exports)) {
    if (typeof module[name] === kind) continue;
    const inDefault = (module.default as Record<string, unknown> | undefined)?.[name];
    problems.push(
      inDefault !== undefined
        ? `\`${name}\` is inside the default export; export it by name (\`export function ${name}\`)`
        : module[name] === undefined
          ? `there is no export named \`${name}\` (expected a ${kind}; check the spelling)`
          : `the export \`${name}\` is not a ${kind}`,
    );
  }
  if (problems.length > 0) {
    loadFailure = new Feedback('not-loaded', `${file}: ${problems.join('; ')}`);
  }
  return module as M;
}

