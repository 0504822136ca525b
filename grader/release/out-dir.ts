/**
 * Where the edition goes: a new or empty folder outside the repository, never
 * anything else (a release never overwrites). The edition is written to a
 * staging folder beside it and renamed into place at the end, so a release
 * that fails leaves nothing half-written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside, realPath } from '../common/inside.ts';
import { UsageError } from '../errors/usage-error.ts';

/** `out` is absolute; `shown` is how the person typed it. */
export function checkOutDir(out: string, repoRoot: string, shown: string): void {
  if (isInside(realPath(out), realPath(repoRoot))) {
    throw new UsageError(`release: '${shown}' is inside the course repository; choose a folder outside it, e.g. ../async-patterns-learner`);
  }
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`release: '${shown}' is a file, not a folder; choose a new or empty folder`);
  if (readdirSync(out).length > 0) throw new UsageError(`release: '${shown}' is not empty; choose a new or empty folder (a release never overwrites)`);
}

/** A fresh folder beside `out` to write the edition into. */
export function stagingDir(out: string): string {
  mkdirSync(dirname(out), { recursive: true });
  return mkdtempSync(join(dirname(out), `.${basename(out)}.partial-`));
}

/** The finished edition takes `out`'s place (an empty `out` is replaced; one that filled up meanwhile is not). */
export function moveIntoPlace(staging: string, out: string): void {
  if (existsSync(out)) rmdirSync(out);
  renameSync(staging, out);
}

export function discardStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}
