/**
 * The edition's course.json: the course's own, marked `"edition": "learner"`
 * (commands that need the solutions or the zoo read it and say so), with each
 * suite pointing at its bundle. Every other field is kept as it is, so the
 * manifest still validates.
 */
import { bundlePath } from './bundle.ts';

export function editionCourseJson(courseJson: string): string {
  const { title, edition: _edition, exercises, ...rest } = JSON.parse(courseJson) as { title: unknown; edition?: unknown; exercises: Array<{ suite: string }> };
  const edition = {
    title,
    edition: 'learner',
    ...rest,
    exercises: exercises.map((exercise) => ({ ...exercise, suite: bundlePath(exercise.suite) })),
  };
  return `${JSON.stringify(edition, null, 2)}\n`;
}
