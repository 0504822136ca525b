/**
 * The one place that maps failures to exit codes (the errors themselves are leaves in grader/errors/, so
 * that any part of the grader can throw them; nothing outside grader/cli/ imports this module):
 *   0  every graded exercise passes (or the command did its job)
 *   1  an exercise fails or errors, or a check (verify) fails, or a release the course stands in the way of
 *   2  usage error: unknown command, id or flag, bad value, missing workspace
 *   3  the course itself is broken (its manifest, its bug zoo), or the grader crashed
 */
import { ManifestError } from '../errors/manifest-error.ts';
import { ReleaseError } from '../errors/release-error.ts';
import { UsageError } from '../errors/usage-error.ts';
import { ZooError } from '../errors/zoo-error.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

export interface ErrorOutput {
  write(text: string): unknown;
}

export function exitCodeFor(error: unknown, stderr: ErrorOutput): number {
  if (error instanceof UsageError) {
    stderr.write(`grader: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ReleaseError) {
    stderr.write(`grader: release: ${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof ManifestError) {
    stderr.write(`grader: the course manifest is broken: ${error.message}\n`);
    return EXIT.internal;
  }
  if (error instanceof ZooError) {
    stderr.write(`grader: the bug zoo is broken: ${error.message}\n`);
    return EXIT.internal;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`grader: internal error, please report it with the text below.\n${detail}\n`);
  return EXIT.internal;
}
