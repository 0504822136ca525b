/**
 * The fixture course (grader/fixtures/course/: rustlings' tests/test_exercises/) that the grader's own
 * tests run on: two tiny exercises, `delay` and `once`, with their stubs, solutions, suites and zoo. Only
 * the curriculum checks read the real course.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCourse, type Course, type Exercise } from '../../course/manifest.ts';

/** The checkout the grader runs from (its bin, node_modules). */
export const GRADER_CHECKOUT = resolve(import.meta.dirname, '../../..');
export const FIXTURE_COURSE = resolve(GRADER_CHECKOUT, 'grader/fixtures/course');

export function fixtureCourse(): Course {
  return loadCourse(FIXTURE_COURSE);
}

/** The fixture course's exercises in course order: [delay, once]. */
export function fixtureExercises(): Exercise[] {
  return fixtureCourse().exercises;
}

export function fixtureExercise(id: string): Exercise {
  const exercise = fixtureCourse().exercises.find((candidate) => candidate.id === id);
  if (!exercise) throw new Error(`the fixture course has no exercise "${id}"`);
  return exercise;
}

/** A copy of the fixture course that a test may change (its exercises/, progress.json...). */
export function copyFixtureCourse(prefix = 'grader-course-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Not what grading the fixture leaves in it (vitest's cache, verify's small bugs, progress).
  const left = new Set(['node_modules', '.grader', 'progress.json'].map((name) => join(FIXTURE_COURSE, name)));
  cpSync(FIXTURE_COURSE, dir, { recursive: true, filter: (source) => !left.has(source) });
  return dir;
}

/** The fixture suites' behaviours: delay's three, then once's. */
export const BEHAVIOURS = {
  RESOLVES: 'resolves with the value after exactly ms milliseconds',
  ZERO: 'delay(0) resolves only once a timer fires, never at once',
  THROWS: 'throws a TypeError at once for an ms that is negative, not finite or not a number',
  FIRST_CALL: "calls fn the first time only, with the first call's arguments",
  REJECTION: "every call gets the first call's rejection, the same error object",
  SYNC_THROW: 'a synchronous throw of fn becomes a rejection, never a throw',
} as const;
