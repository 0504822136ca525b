/**
 * The stubs the edition hands out are the original ones, whatever the
 * instructor's exercises/ holds now (they may have tried the exercises): each
 * comes from the course's git history by the rule in progress/pristine.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exercise } from '../course/manifest.ts';
import { markers, pristineStub } from '../progress/pristine.ts';
import { ReleaseError } from '../errors/release-error.ts';

export interface EditionStub {
  exercise: Exercise;
  content: string;
  /** `commit 1a2b3c4` */
  origin: string;
  /** The file on disk is not the original (someone's work, or an uncommitted change); the edition has the original. */
  recovered: boolean;
}

export function editionStub(exercise: Exercise, root: string): EditionStub {
  const original = pristineStub(exercise, root);
  if (!original.ok) throw new ReleaseError(`cannot find the original stub of ${exercise.id}: ${original.reason}`);
  if (markers(original.content).size === 0) {
    throw new ReleaseError(
      `cannot find the original stub of ${exercise.id}: no committed version of ${exercise.stub} leaves a function unimplemented ('Not implemented yet: <name>')`,
    );
  }
  let current: string | undefined;
  try {
    current = readFileSync(join(root, exercise.stub), 'utf8');
  } catch {
    current = undefined;
  }
  return { exercise, content: original.content, origin: original.origin, recovered: current !== original.content };
}
