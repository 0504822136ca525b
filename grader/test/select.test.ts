import { describe, expect, it } from 'vitest';
import type { Course } from '../course/manifest.ts';
import { selectExercises, suggestId } from '../course/select.ts';
import { UsageError } from '../errors/usage-error.ts';
import { fixtureCourse } from './support/course.ts';
import { fakeExercise } from './support/fake-exercise.ts';

/** The fixture course's two exercises, and a third made-up one, so that order shows. */
const fixture = fixtureCourse();
const course: Course = { ...fixture, exercises: [...fixture.exercises, fakeExercise('sleep-sort', 3)] };

describe('selectExercises', () => {
  it('gives every exercise in course order when no id is named', () => {
    expect(selectExercises(fixture, []).map((e) => e.id)).toEqual(['delay', 'once']);
    expect(selectExercises(course, []).map((e) => e.id)).toEqual(['delay', 'once', 'sleep-sort']);
  });

  it('keeps course order and drops repeats, whatever the order on the command line', () => {
    expect(selectExercises(course, ['sleep-sort', 'delay', 'sleep-sort']).map((e) => e.id)).toEqual(['delay', 'sleep-sort']);
    expect(selectExercises(fixture, ['once', 'delay', 'once']).map((e) => e.id)).toEqual(['delay', 'once']);
  });

  it('gives the manifest entries themselves', () => {
    expect(selectExercises(fixture, ['once'])).toEqual([fixture.exercises[1]]);
  });

  it('rejects an unknown id with a suggestion', () => {
    expect(() => selectExercises(fixture, ['onec'])).toThrow(new UsageError("unknown exercise 'onec'. Did you mean 'once'?"));
    expect(() => selectExercises(fixture, ['dealy'])).toThrow(new UsageError("unknown exercise 'dealy'. Did you mean 'delay'?"));
  });

  it('lists the exercises when nothing is close', () => {
    expect(() => selectExercises(course, ['zzzzzz'])).toThrow(
      new UsageError("unknown exercise 'zzzzzz'. Exercises: delay, once, sleep-sort."),
    );
  });
});

describe('suggestId', () => {
  it('suggests prefixes and near misses only', () => {
    expect(suggestId('del', ['delay', 'once'])).toBe('delay');
    expect(suggestId('onc', ['delay', 'once'])).toBe('once');
    expect(suggestId('sleep', ['delay', 'once', 'sleep-sort'])).toBe('sleep-sort');
    expect(suggestId('timeout', ['delay', 'once'])).toBeUndefined();
  });
});
