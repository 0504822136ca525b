/**
 * The learner edition, written into a new folder: the lessons, the original
 * stubs and the practice tests, the grader's runtime with each hidden suite
 * bundled, the original stubs again under grader/stubs/ (for `reset` without
 * git), and the edition's course.json, package.json, tsconfig.json,
 * vitest.config.ts, README.md and .gitignore.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCourse, type Course } from '../course/manifest.ts';
import { GRADER_DIR } from '../engine/grader-files.ts';
import { shippedStubPath } from '../progress/pristine.ts';
import { bundleSuite, type SuiteBundle } from './bundle.ts';
import { EDITION_GITIGNORE, EDITION_VITEST_CONFIG, editionTsconfig } from './config-files.ts';
import { editionCourseJson } from './edition-course.ts';
import { discardStaging, moveIntoPlace, stagingDir } from './out-dir.ts';
import { editionPackageJson } from './package-json.ts';
import { editionLockfile } from './lockfile.ts';
import { editionReadme } from './readme.ts';
import { REPLACED, runtimeFiles } from './runtime.ts';
import { editionStub, type EditionStub } from './stubs.ts';

export interface EditionSummary {
  out: string;
  lessons: number;
  stubs: EditionStub[];
  practiceTests: number;
  suites: SuiteBundle[];
  runtimeFiles: number;
  /** Written from scratch: course.json, package.json, ... */
  generated: string[];
  files: number;
  bytes: number;
}

const nodeRequirement = (engine: string | undefined): string | undefined => {
  const minimum = /^>=\s*([\d.]+)$/.exec(engine?.trim() ?? '')?.[1];
  return minimum === undefined ? undefined : `${minimum} or later`;
};

/** Where the grader's own files are (its runtime, package.json, lockfile, tsconfig.json), whichever course it releases. */
const TOOL_ROOT = resolve(GRADER_DIR, '..');

/**
 * Reads everything first (stubs, bundles, the runtime's files), then writes: a problem leaves nothing behind.
 * `root` is the course's root: its lessons, stubs, practice tests and suites.
 */
export async function buildEdition({ root, out }: { root: string; out: string }): Promise<EditionSummary> {
  const read = (path: string): string => readFileSync(join(TOOL_ROOT, path), 'utf8');
  const courseJson = readFileSync(join(root, 'course.json'), 'utf8');
  const course: Course = parseCourse(courseJson, root);
  const packageJson = read('package.json');

  const stubs = course.exercises.map((exercise) => editionStub(exercise, root));
  const suites = await Promise.all(course.exercises.map((exercise) => bundleSuite(exercise, root)));
  const runtime = runtimeFiles(
    TOOL_ROOT,
    suites.flatMap((bundle) => bundle.imports.map((specifier) => ({ from: bundle.path, specifier }))),
  );
  const lessons = [course.orientation, ...course.exercises.map((exercise) => exercise.lesson)].filter((path) => path !== '');
  const practice = course.exercises.map((exercise) => exercise.practice);

  const generated = new Map<string, string>([
    ...stubs.flatMap(({ exercise, content }): Array<[string, string]> => [
      [exercise.stub, content],
      [shippedStubPath(exercise), content],
    ]),
    ...suites.map((bundle): [string, string] => [bundle.path, bundle.text]),
    ...REPLACED,
    ['course.json', editionCourseJson(courseJson, course)],
    ['package.json', editionPackageJson(packageJson)],
    ['package-lock.json', editionLockfile(read('package-lock.json'), editionPackageJson(packageJson))],
    ['tsconfig.json', editionTsconfig(read('tsconfig.json'))],
    ['vitest.config.ts', EDITION_VITEST_CONFIG],
    ['README.md', editionReadme(course, nodeRequirement((JSON.parse(packageJson) as { engines?: { node?: string } }).engines?.node))],
    ['.gitignore', EDITION_GITIGNORE],
  ]);
  const fromCourse = new Set([...lessons, ...practice]);
  const copied = [...new Set([...lessons, ...practice, ...runtime])].filter((path) => !generated.has(path));
  const source = (path: string): string => join(fromCourse.has(path) ? root : TOOL_ROOT, path);

  const staging = stagingDir(out);
  let bytes = 0;
  try {
    for (const path of copied) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      copyFileSync(source(path), join(staging, path));
      bytes += statSync(source(path)).size;
    }
    for (const [path, content] of generated) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
      bytes += Buffer.byteLength(content);
    }
    moveIntoPlace(staging, out);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
  return {
    out,
    lessons: lessons.length,
    stubs,
    practiceTests: practice.length,
    suites,
    runtimeFiles: runtime.length,
    generated: ['course.json', 'package.json', 'tsconfig.json', 'vitest.config.ts', 'README.md', '.gitignore'],
    files: copied.length + generated.size,
    bytes,
  };
}
