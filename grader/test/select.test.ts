import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/errors.ts';
import type { Course, Exercise } from '../course/manifest.ts';
import { selectExercises, suggestId } from '../course/select.ts';

const exercise = (id: string): Exercise => ({
  id,
  title: id,
  lesson: `lessons/${id}.md`,
  stub: `exercises/${id}/${id}.ts`,
  practice: `exercises/${id}/${id}.test.ts`,
  solution: `solutions/${id}/${id}.ts`,
  suite: `grader/suites/${id}.suite.ts`,
  zoo: `grader/zoo/${id}`,
  points: 1,
  hints: ['h'],
});
const course: Course = { title: 'c', orientation: '', exercises: ['pool', 'debounce', 'retry'].map(exercise) };

describe('selectExercises', () => {
  it('gives every exercise in course order when no id is named', () => {
    expect(selectExercises(course, []).map((e) => e.id)).toEqual(['pool', 'debounce', 'retry']);
  });

  it('keeps course order and drops repeats, whatever the order on the command line', () => {
    expect(selectExercises(course, ['retry', 'pool', 'retry']).map((e) => e.id)).toEqual(['pool', 'retry']);
  });

  it('rejects an unknown id with a suggestion', () => {
    expect(() => selectExercises(course, ['retyr'])).toThrow(new UsageError("unknown exercise 'retyr'. Did you mean 'retry'?"));
  });

  it('lists the exercises when nothing is close', () => {
    expect(() => selectExercises(course, ['zzzzzz'])).toThrow(
      new UsageError("unknown exercise 'zzzzzz'. Exercises: pool, debounce, retry."),
    );
  });
});

describe('suggestId', () => {
  it('suggests prefixes and near misses only', () => {
    expect(suggestId('deb', ['pool', 'debounce'])).toBe('debounce');
    expect(suggestId('pol', ['pool', 'debounce'])).toBe('pool');
    expect(suggestId('circuit', ['pool', 'debounce'])).toBeUndefined();
  });
});
