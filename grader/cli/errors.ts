/**
 * The one place that maps failures to exit codes:
 *   0  every graded exercise passes (or the command did its job)
 *   1  an exercise fails or errors, or a check (verify) fails
 *   2  usage error: unknown command, id or flag, bad value, missing workspace
 *   3  the course itself is broken (manifest), or the grader crashed
 */
import { ManifestError } from '../course/manifest.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

/** Bad input from the person or script running the grader: a one-line message, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ErrorOutput {
  write(text: string): unknown;
}

export function exitCodeFor(error: unknown, stderr: ErrorOutput): number {
  if (error instanceof UsageError) {
    stderr.write(`grader: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ManifestError) {
    stderr.write(`grader: the course manifest is broken: ${error.message}\n`);
    return EXIT.internal;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`grader: internal error, please report it with the text below.\n${detail}\n`);
  return EXIT.internal;
}
