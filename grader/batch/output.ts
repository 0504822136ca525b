/**
 * The output folder: checked before any grading, written after it. An instructor's earlier results are
 * never overwritten: they move to `previous/<time>/` first.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInside, realPath } from '../common/inside.ts';
import { UsageError } from '../errors/usage-error.ts';

export const GRADEBOOK_CSV = 'gradebook.csv';
export const GRADEBOOK_JSON = 'gradebook.json';
export const FEEDBACK = 'feedback';
export const REPORT_HTML = 'report.html';
const RESULTS = [GRADEBOOK_CSV, GRADEBOOK_JSON, FEEDBACK, REPORT_HTML];

/** A learner's feedback file's name in `feedback/` (report.html links to it by this name). */
export function feedbackFile(learner: string): string {
  return `${learner}.md`;
}

export interface Results {
  csv: string;
  json: string;
  /** Learner id → Markdown. */
  feedback: Map<string, string>;
  /** The class report, one self-contained page. */
  html: string;
}

/**
 * Refuses an output folder the next batch would grade as a learner, or one that cannot be made; makes it,
 * so that a long grading never ends in "cannot write".
 */
export function prepareOutput(out: string, classFolder: string, shown: { out: string; dir: string }): void {
  // Through links too: a link inside the class to a folder elsewhere is still graded as a learner.
  if (isInside(realPath(out), realPath(classFolder))) {
    throw new UsageError(
      `--out '${shown.out}' is inside the class folder '${shown.dir}': it would be graded as a learner next time; choose a folder outside it`,
    );
  }
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out '${shown.out}' is a file, not a folder`);
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the output folder '${shown.out}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** `2026-05-01T09-30-00Z`: sortable, and a valid file name everywhere (no colons). */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

/** Moves an earlier gradebook in `out` to `out/previous/<time>/`; returns where, or undefined if there was none. */
export function movePrevious(out: string, now: Date): string | undefined {
  const present = RESULTS.filter((name) => existsSync(join(out, name)));
  if (present.length === 0) return undefined;
  const base = join(out, 'previous', timestampName(now));
  let target = base;
  for (let n = 2; existsSync(target); n++) target = `${base}-${n}`;
  mkdirSync(target, { recursive: true });
  for (const name of present) renameSync(join(out, name), join(target, name));
  return target;
}

export function writeResults(out: string, results: Results): void {
  mkdirSync(join(out, FEEDBACK), { recursive: true });
  for (const [learner, markdown] of results.feedback) writeFileSync(join(out, FEEDBACK, feedbackFile(learner)), markdown);
  writeFileSync(join(out, GRADEBOOK_JSON), results.json);
  writeFileSync(join(out, GRADEBOOK_CSV), results.csv);
  writeFileSync(join(out, REPORT_HTML), results.html);
}
