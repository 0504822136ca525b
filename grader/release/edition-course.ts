/**
 * The edition's course.json: the course's own, marked `"edition": "learner"`
 * (commands that need the solutions or the zoo read it and say so), with each
 * entry naming its suite's bundle and its points, which a bundle cannot be
 * read for. Every other field is kept as it is, so the manifest still validates.
 */
import type { Course } from '../course/manifest.ts';
import { bundlePath } from './bundle.ts';

export function editionCourseJson(courseJson: string, course: Course): string {
  const { title, edition: _edition, exercises, ...rest } = JSON.parse(courseJson) as { title: unknown; edition?: unknown; exercises: Array<{ id: string }> };
  const edition = {
    title,
    edition: 'learner',
    ...rest,
    exercises: exercises.map((entry, index) => {
      const exercise = course.exercises[index]!;
      return { ...entry, suite: bundlePath(exercise.suite), points: exercise.points };
    }),
  };
  return `${JSON.stringify(edition, null, 2)}\n`;
}
