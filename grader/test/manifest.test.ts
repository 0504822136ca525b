import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot, implSpecifier, loadCourse, ManifestError, parseCourse, workspacePath } from '../course/manifest.ts';
import { parseZooHeader } from '../course/zoo.ts';

describe('the course manifest', () => {
  const course = loadCourse();

  it('lists exercises whose files exist', () => {
    for (const exercise of course.exercises) {
      for (const path of [exercise.stub, exercise.solution, exercise.suite, exercise.zoo]) {
        expect(existsSync(fromRoot(path)), path).toBe(true);
      }
    }
  });

  it('derives the workspace path and the alias from the stub', () => {
    const pool = course.exercises.find((exercise) => exercise.id === 'pool')!;
    expect(workspacePath(pool)).toBe('01-pool/pool.ts');
    expect(implSpecifier(pool)).toBe('@impl/01-pool/pool.ts');
  });

  it('rejects a broken manifest with a message that names the problem', () => {
    expect(() => parseCourse('{')).toThrow(ManifestError);
    expect(() => parseCourse('{"title":"t","exercises":[{"id":"x"}]}')).toThrow(/exercise #1 needs a non-empty string "title"/);
    const entry = {
      id: 'x', title: 't', lesson: 'l', stub: 'exercises/01-x/x.ts', practice: 'p', solution: 's', suite: 'u', zoo: 'z', points: 3, hints: ['a'],
    };
    expect(() => parseCourse(JSON.stringify({ title: 't', exercises: [entry, entry] }))).toThrow(/lists the exercise "x" twice/);
    expect(() => parseCourse(JSON.stringify({ title: 't', exercises: [{ ...entry, points: 0 }] }))).toThrow(/points/);
  });
});

describe('zoo headers', () => {
  it('reads the summary and every @breaks line', () => {
    const source = `/**\n * Forgets the finally.\n *\n * More words.\n * @breaks first behaviour\n * @breaks second one\n */\nexport {};\n`;
    expect(parseZooHeader(source)).toEqual({ summary: 'Forgets the finally.', breaks: ['first behaviour', 'second one'] });
  });

  it('gives nothing for a file without a header', () => {
    expect(parseZooHeader('export const x = 1;\n')).toEqual({ summary: '', breaks: [] });
  });
});
