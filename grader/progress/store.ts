/**
 * The learner's progress: `progress.json` at the repository root (git-ignored).
 * Written only by the grader, atomically (a temp file in the same folder, then
 * a rename), so an interrupted write never leaves half a file. A file that is
 * not what the grader wrote (corrupted, hand-edited) is never a crash: it is
 * copied aside to .grader/backups/, the entries that still make sense are
 * kept, and the caller gets a one-line warning to show.
 */
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { JsonExercise, Status } from '../report/types.ts';

export const PROGRESS_FILE = 'progress.json';
export const BACKUP_DIR = '.grader/backups';

export interface ExerciseProgress {
  /** Passed at least once: every behaviour of the hidden suite. */
  passed: boolean;
  /** Best points of any grading against the current suite. */
  bestPoints: number;
  /** The suite's total when last graded (0 if never graded). */
  maxPoints: number;
  /** How many hints `hint` has shown so far. */
  hintsShown: number;
  lastStatus?: Status;
  /** ISO 8601. */
  lastGradedAt?: string;
  /** ISO 8601: the first time it passed. */
  passedAt?: string;
}

export interface Progress {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
}

export function emptyProgress(): Progress {
  return { version: 1, exercises: {} };
}

export function progressPath(root: string): string {
  return join(root, PROGRESS_FILE);
}

const STATUSES: readonly string[] = ['pass', 'fail', 'error'];
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isDate = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** One entry as the grader writes it, or undefined if it is anything else. */
function validEntry(raw: unknown): ExerciseProgress | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const entry = raw as Record<string, unknown>;
  if (typeof entry.passed !== 'boolean' || !isCount(entry.bestPoints) || !isCount(entry.maxPoints) || !isCount(entry.hintsShown)) {
    return undefined;
  }
  if (entry.maxPoints > 0 && entry.bestPoints > entry.maxPoints) return undefined;
  if (entry.lastStatus !== undefined && !STATUSES.includes(entry.lastStatus as string)) return undefined;
  if (entry.lastGradedAt !== undefined && !isDate(entry.lastGradedAt)) return undefined;
  if (entry.passedAt !== undefined && !isDate(entry.passedAt)) return undefined;
  const valid: ExerciseProgress = {
    passed: entry.passed,
    bestPoints: entry.bestPoints,
    maxPoints: entry.maxPoints,
    hintsShown: entry.hintsShown,
  };
  if (entry.lastStatus !== undefined) valid.lastStatus = entry.lastStatus as Status;
  if (entry.lastGradedAt !== undefined) valid.lastGradedAt = entry.lastGradedAt as string;
  if (entry.passedAt !== undefined) valid.passedAt = entry.passedAt as string;
  return valid;
}

/** The text of a progress file → what can be kept, and what was wrong with the rest. */
export function parseProgress(text: string): { progress: Progress; problem?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { progress: emptyProgress(), problem: 'it is not valid JSON' };
  }
  const top = raw as Partial<Progress> | null;
  if (typeof top !== 'object' || top === null || top.version !== 1 || typeof top.exercises !== 'object' || top.exercises === null || Array.isArray(top.exercises)) {
    return { progress: emptyProgress(), problem: 'it is not a progress file the grader wrote' };
  }
  const progress = emptyProgress();
  const dropped: string[] = [];
  for (const [id, entry] of Object.entries(top.exercises)) {
    const valid = validEntry(entry);
    if (valid) progress.exercises[id] = valid;
    else dropped.push(id);
  }
  return dropped.length === 0 ? { progress } : { progress, problem: `the entries for ${dropped.join(', ')} are not what the grader wrote` };
}

/** `20261122T013055845Z`: sortable, and safe in a file name everywhere. */
export function fileStamp(when: Date): string {
  return when.toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
}

/**
 * Missing → empty. Corrupted or hand-edited → the file copied aside, what can
 * be kept written back, and a one-line warning. Never throws on bad content.
 */
export function loadProgress(root: string): { progress: Progress; warning?: string } {
  const file = progressPath(root);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress() };
    return { progress: emptyProgress(), warning: `could not read ${PROGRESS_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'}); starting from no progress` };
  }
  const { progress, problem } = parseProgress(text);
  if (problem === undefined) return { progress };
  const backup = join(root, BACKUP_DIR, `progress-${fileStamp(new Date())}.json`);
  try {
    mkdirSync(dirname(backup), { recursive: true });
    copyFileSync(file, backup);
    saveProgress(progress, root);
  } catch (error) {
    return { progress, warning: `${PROGRESS_FILE} was unreadable (${problem}) and could not be backed up (${(error as NodeJS.ErrnoException).code ?? 'error'}); using what could be kept` };
  }
  const kept = Object.keys(progress.exercises).length;
  return {
    progress,
    warning: `${PROGRESS_FILE} was not as the grader left it (${problem}): saved a copy as ${relative(root, backup)} and ${kept === 0 ? 'started afresh' : `kept the other ${kept} exercise${kept === 1 ? '' : 's'}`}`,
  };
}

/** Atomic: a temp file in the same folder, then a rename over the old file. */
export function saveProgress(progress: Progress, root: string): void {
  const file = progressPath(root);
  const text = `${JSON.stringify(progress, null, 2)}\n`;
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function entryOf(progress: Progress, id: string): ExerciseProgress {
  return progress.exercises[id] ?? { passed: false, bestPoints: 0, maxPoints: 0, hintsShown: 0 };
}

/** A grading of one exercise, passed or not. Best points are kept (reset when the suite's total changes). */
export function recordGrade(progress: Progress, report: Pick<JsonExercise, 'id' | 'status' | 'points' | 'maxPoints'>, when: Date): Progress {
  const before = entryOf(progress, report.id);
  const sameSuite = before.maxPoints === report.maxPoints;
  const passes = report.status === 'pass';
  const entry: ExerciseProgress = {
    ...before,
    passed: before.passed || passes,
    bestPoints: sameSuite ? Math.max(before.bestPoints, report.points) : report.points,
    maxPoints: report.maxPoints,
    lastStatus: report.status,
    lastGradedAt: when.toISOString(),
  };
  if (passes && before.passedAt === undefined) entry.passedAt = when.toISOString();
  return { ...progress, exercises: { ...progress.exercises, [report.id]: entry } };
}

export interface HintStep {
  progress: Progress;
  /** 0-based index of the hint to show. */
  index: number;
  /** Every hint had already been shown: this repeats the last one. */
  repeated: boolean;
}

/** The next hint to show for an exercise with `count` hints, and the progress that remembers it. */
export function nextHint(progress: Progress, id: string, count: number): HintStep {
  const before = entryOf(progress, id);
  const repeated = before.hintsShown >= count;
  const index = Math.min(before.hintsShown, count - 1);
  const hintsShown = Math.min(before.hintsShown + 1, count);
  return { progress: { ...progress, exercises: { ...progress.exercises, [id]: { ...before, hintsShown } } }, index, repeated };
}

/** `hint --all`: every hint counts as shown. */
export function allHintsShown(progress: Progress, id: string, count: number): Progress {
  const before = entryOf(progress, id);
  return { ...progress, exercises: { ...progress.exercises, [id]: { ...before, hintsShown: Math.max(before.hintsShown, count) } } };
}
