/**
 * The course manifest (`course.json` at the course's root): the ordered list
 * of exercises that every command reads. An entry holds only what cannot be
 * derived (rustlings' `info.toml`): the id, the title and the hints. The
 * exercise's number is its place in the list; its files follow from the
 * number and the id; its points are read from its suite. Adding an exercise
 * means adding an entry here and its own files, nothing else.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ManifestError } from '../errors/manifest-error.ts';

export interface Exercise {
  id: string;
  title: string;
  /** 1 for the first exercise in the manifest. */
  number: number;
  /** The course's root folder, absolute: every path below is relative to it. */
  root: string;
  /** lessons/NN-<id>.md */
  lesson: string;
  /** exercises/NN-<id>/<id>.ts */
  stub: string;
  /** exercises/NN-<id>/<id>.test.ts */
  practice: string;
  /** solutions/NN-<id>/<id>.ts */
  solution: string;
  /** grader/suites/<id>.suite.ts (the learner edition: its bundle, grader/suites/<id>.suite.js) */
  suite: string;
  /** grader/zoo/<id>: `alternatives/`, `bugs/` and `small-bugs.ts` for `verify`. */
  zoo: string;
  /** What the suite's behaviours add up to. */
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
  /** The course's root folder, absolute. */
  root: string;
  orientation: string;
  /** Absent in a course written by hand: the course edition. */
  edition?: Edition;
  exercises: Exercise[];
}

export const MANIFEST = 'course.json';
export const ORIENTATION = 'lessons/00-orientation.md';

/** Fields an entry may not repeat: they follow from the exercise's number and id. */
const DERIVED = ['lesson', 'stub', 'practice', 'solution', 'zoo'] as const;
const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The files of the exercise numbered `number` with this id, relative to the course's root. */
export function exercisePaths(number: number, id: string): Pick<Exercise, 'lesson' | 'stub' | 'practice' | 'solution' | 'suite' | 'zoo'> {
  const folder = `${String(number).padStart(2, '0')}-${id}`;
  return {
    lesson: `lessons/${folder}.md`,
    stub: `exercises/${folder}/${id}.ts`,
    practice: `exercises/${folder}/${id}.test.ts`,
    solution: `solutions/${folder}/${id}.ts`,
    suite: `grader/suites/${id}.suite.ts`,
    zoo: `grader/zoo/${id}`,
  };
}

/**
 * The points a suite's source declares: one per `behaviour(` that starts a line, plus what each
 * `{ points: N }` adds beyond 1. `verify` checks it against what grading the suite adds up to.
 */
export function suitePoints(source: string): number {
  const behaviours = source.match(/^\s*behaviour\(/gm)?.length ?? 0;
  const extra = [...source.matchAll(/\{\s*points:\s*(\d+)\s*\}\s*\);/g)].reduce((sum, match) => sum + Number(match[1]) - 1, 0);
  return behaviours + extra;
}

interface RawEntry {
  id: string;
  title: string;
  hints: string[];
  /** Only a learner edition writes these: its suites are bundles, which cannot be read for points. */
  suite?: string;
  points?: number;
}

function validateEntry(raw: unknown, position: number): RawEntry {
  const where = `course.json: exercise #${position + 1}`;
  if (typeof raw !== 'object' || raw === null) throw new ManifestError(`${where} is not an object`);
  const entry = raw as Record<string, unknown>;
  for (const field of ['id', 'title'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      throw new ManifestError(`${where} needs a non-empty string "${field}"`);
    }
  }
  if (!ID.test(entry.id as string)) throw new ManifestError(`${where}: "id" must be kebab-case (like "circuit-breaker"), not ${JSON.stringify(entry.id)}`);
  const derived = DERIVED.find((field) => field in entry);
  if (derived !== undefined) {
    throw new ManifestError(`${where}: "${derived}" follows from the exercise's number and id (${exercisePaths(position + 1, entry.id as string)[derived]}); remove it`);
  }
  if (!Array.isArray(entry.hints) || entry.hints.length === 0 || !entry.hints.every((h) => typeof h === 'string')) {
    throw new ManifestError(`${where} needs "hints", a non-empty list of strings`);
  }
  if (entry.points !== undefined && (!Number.isInteger(entry.points) || (entry.points as number) < 1)) {
    throw new ManifestError(`${where}: "points", when given, must be a whole number of at least 1`);
  }
  if (entry.suite !== undefined && (typeof entry.suite !== 'string' || entry.suite === '')) {
    throw new ManifestError(`${where}: "suite", when given, must be a non-empty string`);
  }
  return entry as unknown as RawEntry;
}

/**
 * The manifest's text → the course rooted at `root`. `readSuite` gives a suite's source (relative path in),
 * for the points of an entry that does not state them.
 */
export function parseCourse(text: string, root: string, readSuite: (path: string) => string = (path) => readFileSync(resolve(root, path), 'utf8')): Course {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`course.json is not valid JSON: ${(error as Error).message}`);
  }
  const course = raw as Partial<Course> & { exercises?: unknown[] };
  if (typeof course.title !== 'string' || !Array.isArray(course.exercises) || course.exercises.length === 0) {
    throw new ManifestError('course.json needs a "title" and a non-empty "exercises" list');
  }
  const entries = course.exercises.map(validateEntry);
  const ids = new Set<string>();
  for (const { id } of entries) {
    if (ids.has(id)) throw new ManifestError(`course.json lists the exercise "${id}" twice`);
    ids.add(id);
  }
  const edition = course.edition ?? 'course';
  if (edition !== 'course' && edition !== 'learner') {
    throw new ManifestError(`course.json: "edition" must be "course" or "learner", not ${JSON.stringify(edition)}`);
  }
  const exercises = entries.map((entry, index): Exercise => {
    const paths = exercisePaths(index + 1, entry.id);
    const suite = entry.suite ?? paths.suite;
    return {
      id: entry.id,
      title: entry.title,
      number: index + 1,
      root,
      ...paths,
      suite,
      points: entry.points ?? pointsOf(suite, readSuite),
      hints: entry.hints,
    };
  });
  return { title: course.title, root, orientation: ORIENTATION, edition, exercises };
}

function pointsOf(suite: string, readSuite: (path: string) => string): number {
  let source: string;
  try {
    source = readSuite(suite);
  } catch {
    throw new ManifestError(`course.json: cannot read ${suite}, whose behaviours give the exercise its points`);
  }
  const points = suitePoints(source);
  if (points === 0) throw new ManifestError(`${suite} declares no behaviour( ... ): an exercise needs at least one`);
  return points;
}

/** The learner edition has no reference solutions, bug zoo or suite sources: commands that need them say so. */
export function isLearnerEdition(course: Pick<Course, 'edition'>): boolean {
  return course.edition === 'learner';
}

const loaded = new Map<string, Course>();

/** The course whose `course.json` sits in `root` (read once per root). */
export function loadCourse(root: string): Course {
  const absolute = resolve(root);
  let course = loaded.get(absolute);
  if (course === undefined) {
    course = parseCourse(readFileSync(resolve(absolute, MANIFEST), 'utf8'), absolute);
    loaded.set(absolute, course);
  }
  return course;
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
  return exercise.suite.replace(/\.suite\.[jt]s$/, `.${suffix}`);
}

/** An exercise's (or a course's) path, absolute: `inCourse(exercise, exercise.solution)`. */
export function inCourse(owner: { root: string }, path: string): string {
  return resolve(owner.root, path);
}
