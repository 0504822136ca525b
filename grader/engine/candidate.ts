/**
 * A candidate is one set of implementation files to grade: the learner's
 * `exercises/`, the reference `solutions/`, a `--workspace`, or one file of
 * the bug zoo. The same hidden suites grade them all.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workspacePath, type Exercise } from '../course/manifest.ts';

export interface Candidate {
  /** Unique within one grading run. */
  id: string;
  /** Exercise id → absolute path of the implementation file. */
  files: Map<string, string>;
  /** Run each suite's behaviours in an order shuffled with this seed (suite order when absent). */
  shuffleSeed?: number;
}

/** The files of a folder laid out like `exercises/` (`01-pool/pool.ts`, ...). */
export function workspaceCandidate(id: string, folder: string, exercises: Exercise[]): Candidate {
  const root = resolve(folder);
  return { id, files: new Map(exercises.map((exercise) => [exercise.id, join(root, workspacePath(exercise))])) };
}

export function isReadableFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
