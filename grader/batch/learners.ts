/**
 * Finding the learners of a class: each immediate subfolder of the class
 * folder is one learner, named by the folder. A learner hands in either the
 * `exercises/` layout itself or a whole copy of the course.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Learner {
  /** The folder's name, used as is in the gradebook and for the feedback file. */
  id: string;
  /** The learner's folder laid out like `exercises/` (`01-pool/pool.ts`, ...). */
  folder: string;
}

/** Byte order of the UTF-8 names, the same on every machine and locale. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isFolder(path: string): boolean {
  try {
    // statSync follows symbolic links: a class made of links to the learners' folders works too.
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A learner's exercises: `<learner>/exercises/` when they handed in the whole course, else the folder itself. */
export function exercisesFolder(learnerFolder: string): string {
  const nested = join(learnerFolder, 'exercises');
  return isFolder(nested) ? nested : learnerFolder;
}

/** Every learner in `classFolder`, sorted by id; hidden entries (`.git`, `.DS_Store`) and plain files are not learners. */
export function discoverLearners(classFolder: string): Learner[] {
  return readdirSync(classFolder)
    .filter((name) => !name.startsWith('.') && isFolder(join(classFolder, name)))
    .sort(byteOrder)
    .map((id) => ({ id, folder: exercisesFolder(join(classFolder, id)) }));
}
