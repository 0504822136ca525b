/**
 * The course manifest (`course.json` at the repository root): the ordered
 * list of exercises that every command reads. Adding an exercise means adding
 * an entry here and its own files, nothing else.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const MANIFEST_PATH = resolve(REPO_ROOT, 'course.json');

export interface Exercise {
  id: string;
  title: string;
  /** Paths relative to the repository root. */
  lesson: string;
  stub: string;
  practice: string;
  solution: string;
  suite: string;
  /** Folder with `alternatives/` and `bugs/` implementations for `verify`. */
  zoo: string;
  points: number;
  hints: string[];
}

/**
 * `course`: this repository, with the reference solutions, the bug zoo and the hidden suites' source.
 * `learner`: what `release` hands out, without them (course.json says `"edition": "learner"`).
 */
export type Edition = 'course' | 'learner';

export interface Course {
  title: string;
  orientation: string;
  /** Absent in a course written by hand: the course edition. */
  edition?: Edition;
  exercises: Exercise[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const STRING_FIELDS = ['id', 'title', 'lesson', 'stub', 'practice', 'solution', 'suite', 'zoo'] as const;

function validateExercise(raw: unknown, position: number): Exercise {
  const where = `course.json: exercise #${position + 1}`;
  if (typeof raw !== 'object' || raw === null) throw new ManifestError(`${where} is not an object`);
  const entry = raw as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      throw new ManifestError(`${where} needs a non-empty string "${field}"`);
    }
  }
  if (!Number.isInteger(entry.points) || (entry.points as number) < 1) {
    throw new ManifestError(`${where} needs "points", a whole number of at least 1`);
  }
  if (!Array.isArray(entry.hints) || entry.hints.length === 0 || !entry.hints.every((h) => typeof h === 'string')) {
    throw new ManifestError(`${where} needs "hints", a non-empty list of strings`);
  }
  if (!/^exercises\/[^/]+\/[^/]+\.ts$/.test(entry.stub as string)) {
    throw new ManifestError(`${where}: "stub" must look like exercises/NN-<id>/<id>.ts`);
  }
  return entry as unknown as Exercise;
}

export function parseCourse(text: string): Course {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`course.json is not valid JSON: ${(error as Error).message}`);
  }
  const course = raw as Partial<Course>;
  if (typeof course.title !== 'string' || !Array.isArray(course.exercises) || course.exercises.length === 0) {
    throw new ManifestError('course.json needs a "title" and a non-empty "exercises" list');
  }
  const exercises = course.exercises.map(validateExercise);
  const ids = new Set<string>();
  for (const { id } of exercises) {
    if (ids.has(id)) throw new ManifestError(`course.json lists the exercise "${id}" twice`);
    ids.add(id);
  }
  const edition = course.edition ?? 'course';
  if (edition !== 'course' && edition !== 'learner') {
    throw new ManifestError(`course.json: "edition" must be "course" or "learner", not ${JSON.stringify(edition)}`);
  }
  return { title: course.title, orientation: String(course.orientation ?? ''), edition, exercises };
}

/** The learner edition has no reference solutions, bug zoo or suite sources: commands that need them say so. */
export function isLearnerEdition(course: Pick<Course, 'edition'>): boolean {
  return course.edition === 'learner';
}

let cached: Course | undefined;

export function loadCourse(): Course {
  cached ??= parseCourse(readFileSync(MANIFEST_PATH, 'utf8'));
  return cached;
}

/**
 * Where an exercise's file sits inside a workspace (a folder laid out like
 * `exercises/`): `01-pool/pool.ts`.
 */
export function workspacePath(exercise: Pick<Exercise, 'stub'>): string {
  return relative('exercises', exercise.stub);
}

/** The import specifier a hidden suite uses for the implementation: `@impl/01-pool/pool.ts`. */
export function implSpecifier(exercise: Pick<Exercise, 'stub'>): string {
  return `@impl/${workspacePath(exercise)}`;
}

/** A file kept beside an exercise's suite: `besideSuite(e, 'contract.md')` is `grader/suites/<id>.contract.md`. */
export function besideSuite(exercise: Pick<Exercise, 'suite'>, suffix: string): string {
  return exercise.suite.replace(/\.suite\.ts$/, `.${suffix}`);
}

export function fromRoot(path: string): string {
  return resolve(REPO_ROOT, path);
}
