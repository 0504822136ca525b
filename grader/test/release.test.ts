/**
 * `release OUT`: the learner edition of the fixture course (delay and once). One edition is built into a
 * temporary folder (with this checkout's node_modules linked in: no network), then checked as a learner
 * would use it, without git. The course's content (lessons, stubs from its git history, practice tests,
 * suites) comes from the course; the grader's runtime, package.json, lockfile and tsconfig from the
 * grader's checkout.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCourse, isLearnerEdition, parseCourse, type Course } from '../course/manifest.ts';
import { ManifestError } from '../errors/manifest-error.ts';
import { ReleaseError } from '../errors/release-error.ts';
import { markers, pristineStub, shippedStubPath } from '../progress/pristine.ts';
import { editionStub } from '../release/stubs.ts';
import { resolveIn } from '../release/lockfile.ts';
import type { JsonReport } from '../report/types.ts';
import { FIXTURE_COURSE, GRADER_CHECKOUT, fixtureCourse } from './support/course.ts';
import { learnerCourseCopy, pipeEnv, removeCourseCopies, runIn, type LearnerRun } from './support/learner-course.ts';

const course = fixtureCourse();
const temp = mkdtempSync(join(tmpdir(), 'grader-release-'));
const edition = join(temp, 'edition');
let released: LearnerRun;

/** `release ...` by the grader of this checkout, for the course at `root`, run from there. */
const release = (root: string, ...args: string[]): Promise<LearnerRun> => runIn(root, ['release', ...args], { env: pipeEnv(root) });

/**
 * The edition's own grader, run from the edition, for the course it lives in (no GRADER_COURSE_ROOT), where
 * git finds no repository (the edition is handed out without one).
 */
function graderIn(root: string, ...args: string[]): Promise<LearnerRun> {
  return runIn(root, args, { env: { ...pipeEnv(null), GIT_CEILING_DIRECTORIES: dirname(root) }, bin: join(root, 'grader/bin/grader.mjs') });
}

/** Every file of the edition, relative to it (node_modules, a link to this checkout's, left aside). */
function editionFiles(prefix = ''): string[] {
  return readdirSync(join(edition, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isSymbolicLink()) return [];
      return entry.isDirectory() ? editionFiles(path) : [path];
    })
    .sort();
}

const editionManifest = (): Record<string, unknown> & { exercises: Array<Record<string, unknown>> } =>
  JSON.parse(readFileSync(join(edition, 'course.json'), 'utf8')) as Record<string, unknown> & { exercises: Array<Record<string, unknown>> };
const fromCourse = (path: string): string => readFileSync(join(FIXTURE_COURSE, path), 'utf8');
const fromCheckout = (path: string): string => readFileSync(join(GRADER_CHECKOUT, path), 'utf8');

beforeAll(async () => {
  released = await release(FIXTURE_COURSE, edition);
  if (released.code === 0) symlinkSync(join(GRADER_CHECKOUT, 'node_modules'), join(edition, 'node_modules'), 'dir');
});

afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
  removeCourseCopies();
});

describe('release OUT', () => {
  it('writes the edition and says what it wrote and what to do next', () => {
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    const files = editionFiles();
    expect(released.stdout).toContain(`Wrote the learner edition to ${edition}: ${files.length} files, `);
    expect(released.stdout).toContain(`  ${1 + course.exercises.length} lessons\n`);
    expect(released.stdout).toContain(`  ${course.exercises.length} original stubs, with ${course.exercises.length} practice tests`);
    expect(released.stdout).toContain(`${course.exercises.length} hidden suites, bundled and minified`);
    // The fixture course's exercises/ hold the committed stubs: nothing to recover.
    expect(released.stdout).not.toContain('is not the original stub');
    expect(released.stdout).toContain('Next steps:');
    expect(released.stdout).toContain('npm install && npm run grade');
    expect(released.stdout).toContain('is not security: anyone can read or run the bundle');
  });

  it("leaves out the solutions, the zoo, the grader's tests and tools, and every suite's TypeScript source", () => {
    const files = editionFiles();
    for (const folder of ['solutions/', 'grader/zoo/', 'grader/fixtures/', 'grader/test/', 'grader/dev/', 'grader/bench/', 'grader/release/', '.ci/', '.grader/']) {
      expect(files.filter((path) => path.startsWith(folder)), folder).toEqual([]);
    }
    expect(files.filter((path) => path.endsWith('.suite.ts') || path.endsWith('.mutation.md') || path.endsWith('.contract.md') || /stryker/i.test(path))).toEqual([]);
    expect(files).toContain('grader/bin/grader.mjs');
    expect(files).toContain('grader/harness/practice-setup.ts');
    for (const name of ['course.json', 'package.json', 'tsconfig.json', 'vitest.config.ts', 'README.md', '.gitignore']) expect(files).toContain(name);
    // The course's content, and nothing of the grader's own course (the checkout's lessons and exercises).
    const content = files.filter((path) => path.startsWith('lessons/') || path.startsWith('exercises/'));
    expect(content).toEqual(
      [course.orientation, ...course.exercises.flatMap((exercise) => [exercise.lesson, exercise.stub, exercise.practice])].sort(),
    );
    expect(files.filter((path) => path.startsWith('grader/suites/'))).toEqual(course.exercises.map((exercise) => exercise.suite.replace(/\.ts$/, '.js')).sort());
  });

  it('hands out the original stubs (from git, not whatever exercises/ holds), the practice tests and the lessons', () => {
    for (const exercise of course.exercises) {
      const original = pristineStub(exercise, FIXTURE_COURSE);
      expect(original, `${exercise.stub} must be committed in the grader's repository`).toMatchObject({ ok: true, origin: expect.stringMatching(/^commit [0-9a-f]{7}$/) });
      const content = original.ok ? original.content : '';
      expect(markers(content), exercise.id).toEqual(new Set([exercise.id]));
      expect(readFileSync(join(edition, exercise.stub), 'utf8')).toBe(content);
      expect(readFileSync(join(edition, shippedStubPath(exercise)), 'utf8')).toBe(content);
      expect(readFileSync(join(edition, exercise.practice), 'utf8')).toBe(fromCourse(exercise.practice));
      expect(readFileSync(join(edition, exercise.lesson), 'utf8')).toBe(fromCourse(exercise.lesson));
    }
    expect(readFileSync(join(edition, course.orientation), 'utf8')).toBe(fromCourse(course.orientation));
  });

  it("course.json is the learner edition, with each suite pointing at its bundle and the points a bundle cannot be read for", () => {
    const manifest = editionManifest();
    expect(manifest.edition).toBe('learner');
    expect(manifest.title).toBe(course.title);
    expect(manifest.exercises).toEqual(
      course.exercises.map((exercise) => ({
        id: exercise.id,
        title: exercise.title,
        hints: exercise.hints,
        suite: exercise.suite.replace(/\.ts$/, '.js'),
        points: exercise.points,
      })),
    );
    expect(manifest.exercises.map((exercise) => exercise.points)).toEqual([4, 4]);
    // Read back as a course rooted in the edition: the bundles, and the points from the manifest.
    const parsed = parseCourse(readFileSync(join(edition, 'course.json'), 'utf8'), edition, () => {
      throw new Error('a learner edition must not need its suites read for points');
    });
    expect(isLearnerEdition(parsed)).toBe(true);
    expect(parsed.exercises.map((exercise) => [exercise.suite, exercise.points])).toEqual(course.exercises.map((exercise) => [exercise.suite.replace(/\.ts$/, '.js'), exercise.points]));
  });

  it("package.json is the grader checkout's, with the learner scripts and only the devDependencies a learner needs, at exact versions", () => {
    const ours = JSON.parse(fromCheckout('package.json'));
    const theirs = JSON.parse(readFileSync(join(edition, 'package.json'), 'utf8'));
    expect({ name: theirs.name, type: theirs.type, engines: theirs.engines, dependencies: theirs.dependencies }).toEqual({
      name: ours.name,
      type: ours.type,
      engines: ours.engines,
      dependencies: ours.dependencies,
    });
    expect(Object.keys(theirs.devDependencies).sort()).toEqual(['@types/marked-terminal', '@types/node', '@vitest/ui', 'tsx', 'typescript', 'vitest']);
    for (const [name, version] of Object.entries(theirs.devDependencies)) expect(version, name).toBe(ours.devDependencies[name]);
    expect(Object.keys(theirs.scripts).sort()).toEqual(['grade', 'grader', 'start', 'test', 'test:ui', 'typecheck']);
    expect(theirs.scripts.test).toBe('vitest run');
    expect(readFileSync(join(edition, 'vitest.config.ts'), 'utf8')).toContain("setupFiles: ['grader/harness/practice-setup.ts']");
  });

  it("package-lock.json is the grader checkout's lock pruned to the edition: the same versions, every dependency inside it (npm ci works)", () => {
    const ours = JSON.parse(fromCheckout('package-lock.json')) as { packages: Record<string, Record<string, unknown>> };
    const theirs = JSON.parse(readFileSync(join(edition, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
    };
    const manifest = JSON.parse(readFileSync(join(edition, 'package.json'), 'utf8'));
    expect(theirs.packages['']).toMatchObject({ dependencies: manifest.dependencies, devDependencies: manifest.devDependencies });
    const paths = Object.keys(theirs.packages).filter((path) => path !== '');
    for (const path of paths) expect(theirs.packages[path], path).toEqual(ours.packages[path]);
    for (const path of ['', ...paths]) {
      const entry = theirs.packages[path]!;
      for (const name of Object.keys({ ...entry.dependencies, ...(path === '' ? entry.devDependencies : {}) })) {
        expect(resolveIn(theirs.packages, path, name), `${name}, needed by ${path || 'the edition'}`).toBeDefined();
      }
    }
    // The instructor's tools are not the learner's: Stryker and Playwright are left out entirely.
    expect(paths.filter((path) => /@stryker-mutator|playwright-core/.test(path))).toEqual([]);
    expect(paths.length).toBeLessThan(Object.keys(ours.packages).length);
  });

  it("the bundles keep neither the suites' comments nor their local names, and import the harness and @impl as they are", () => {
    for (const exercise of course.exercises) {
      const source = fromCourse(exercise.suite);
      const bundle = readFileSync(join(edition, exercise.suite.replace(/\.ts$/, '.js')), 'utf8');
      const comments = [...source.matchAll(/^\s*(?:\/\/|\/\*\*|\*)\s*(.{15,})$/gm)].map((match) => match[1]!.trim());
      expect(comments.length, exercise.id).toBeGreaterThan(0);
      expect(comments.filter((comment) => bundle.includes(comment)), exercise.id).toEqual([]);
      // The suite's local variables (the fixture suites have no top-level helpers): minified, none is declared
      // or assigned under its own name.
      const locals = [...new Set([...source.matchAll(/\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*(?:[:=]|of\b)/g)].map((match) => match[1]!))];
      expect(locals.length, exercise.id).toBeGreaterThan(2);
      const kept = locals.filter((name) => new RegExp(`(?:\\b(?:const|let|var)\\s+|[,;{(]\\s*)${name}\\s*(?:=(?![=>])|\\bof\\b)`).test(bundle));
      expect(kept, exercise.id).toEqual([]);
      expect(bundle).not.toMatch(/\/\*|sourceMappingURL/);
      expect(bundle).toContain(`"@impl/${relative('exercises', exercise.stub)}"`);
      expect(bundle).toContain('from"@grader/harness"');
    }
  });

  it('grade: every stub fails with 0 points (fail, not error)', async () => {
    const run = await graderIn(edition, 'grade', '--json');
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.exercises.map((exercise) => [exercise.id, exercise.status, exercise.points, exercise.maxPoints])).toEqual(
      course.exercises.map((exercise) => [exercise.id, 'fail', 0, exercise.points]),
    );
    // The edition's grader graded the edition (its progress is recorded there), not the course it came from.
    expect(JSON.parse(readFileSync(join(edition, 'progress.json'), 'utf8')).exercises).toHaveProperty('delay.lastStatus', 'fail');
  });

  it('grade --workspace: the reference solutions score 100% against the bundled suites', async () => {
    const workspace = join(temp, 'solutions');
    cpSync(join(FIXTURE_COURSE, 'solutions'), workspace, { recursive: true });
    const run = await graderIn(edition, 'grade', '--json', '--workspace', workspace);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.exercises.map((exercise) => [exercise.id, exercise.status, exercise.points])).toEqual(
      course.exercises.map((exercise) => [exercise.id, 'pass', exercise.points]),
    );
    expect(run.code).toBe(0);
  });

  it('solution, verify and release say kindly, in one line, that the edition does without them (exit 2)', async () => {
    const solution = await graderIn(edition, 'solution', 'delay');
    expect([solution.code, solution.stdout, solution.stderr]).toEqual([2, '', 'grader: the learner edition has no reference solutions; ask your instructor.\n']);
    for (const args of [['verify'], ['release', join(temp, 'again')]]) {
      const run = await graderIn(edition, ...args);
      expect(run.code, args[0]).toBe(2);
      expect(run.stderr, args[0]).toMatch(/^grader: [^\n]*learner edition[^\n]*\n$/);
    }
    expect(existsSync(join(temp, 'again'))).toBe(false);
  });

  it('reset works without git: the shipped stub comes back, and the overwritten file is backed up', async () => {
    const exercise = course.exercises.find((e) => e.id === 'once')!;
    const file = join(edition, exercise.stub);
    const original = readFileSync(join(edition, shippedStubPath(exercise)), 'utf8');
    writeFileSync(file, 'export const mine = 1;\n');
    const run = await graderIn(edition, 'reset', 'once', '--yes');
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(original).toBe(fromCourse(exercise.stub));
    expect(run.stdout).toContain(`to the original stub (from ${shippedStubPath(exercise)})`);
    const backup = /Backed up your file to (\S+)/.exec(run.stdout)?.[1];
    expect(backup, run.stdout).toBeDefined();
    expect(readFileSync(join(edition, backup!), 'utf8')).toBe('export const mine = 1;\n');
  });

  it('type-checks without esbuild or the course sources (npm run typecheck in the edition)', () => {
    expect(() => execFileSync(process.execPath, [join(GRADER_CHECKOUT, 'node_modules/typescript/bin/tsc'), '--noEmit'], { cwd: edition, stdio: 'pipe' })).not.toThrow();
  });

  it('refuses a folder that is not empty, or inside the course, and writes nothing (exit 2)', async () => {
    // A copy of the course: a check that failed to refuse would write into it, never into the fixture course.
    const root = learnerCourseCopy('grader-release-course-');
    const full = join(temp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const refused = await release(root, full);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^grader: release: '[^']+' is not empty; [^\n]*\n$/);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    expect(readdirSync(temp).filter((name) => name.includes('.partial-'))).toEqual([]);

    const inside = await release(root, join(root, 'edition-out'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/^grader: release: '[^']+' is inside the course repository; [^\n]*\n$/);
    expect(existsSync(join(root, 'edition-out'))).toBe(false);
    expect(readdirSync(root).filter((name) => name.includes('.partial-'))).toEqual([]);

    const none = await runIn(root, ['release'], { env: pipeEnv(root) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^grader: release needs a folder to write to/);
  });
});

describe('the edition in course.json', () => {
  const raw = JSON.parse(fromCourse('course.json')) as Record<string, unknown>;
  it('is the course edition unless it says "learner"; anything else is a broken manifest', () => {
    expect(parseCourse(JSON.stringify(raw), FIXTURE_COURSE).edition).toBe('course');
    expect(isLearnerEdition(parseCourse(JSON.stringify({ ...raw, edition: 'learner' }), FIXTURE_COURSE))).toBe(true);
    expect(() => parseCourse(JSON.stringify({ ...raw, edition: 'student' }), FIXTURE_COURSE)).toThrow(ManifestError);
  });
});

describe('the original stub in the learner edition', () => {
  const STUB = "export function a(): number {\n  throw new Error('Not implemented yet: a');\n}\n";
  const exercise = { stub: 'exercises/01-x/x.ts' };
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const folder = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'grader-release-stub-'));
    folders.push(root);
    mkdirSync(join(root, 'exercises/01-x'), { recursive: true });
    return root;
  };
  const git = (root: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=me@example.com', '-c', 'user.name=me', ...args], { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(root) } });
  const ship = (root: string) => {
    mkdirSync(join(root, dirname(shippedStubPath(exercise))), { recursive: true });
    writeFileSync(join(root, shippedStubPath(exercise)), STUB);
  };

  it('comes from grader/stubs/ where there is no git', () => {
    const root = folder();
    writeFileSync(join(root, exercise.stub), 'my work');
    process.env.GIT_CEILING_DIRECTORIES = dirname(root);
    try {
      expect(pristineStub(exercise, root).ok).toBe(false);
      ship(root);
      expect(pristineStub(exercise, root)).toEqual({ ok: true, content: STUB, origin: 'grader/stubs/01-x/x.ts' });
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
  });

  it('skips a first commit that already holds the learner’s work, and takes git’s otherwise', () => {
    const root = folder();
    ship(root);
    writeFileSync(join(root, exercise.stub), STUB.replace("throw new Error('Not implemented yet: a');", 'return 1;'));
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'my work');
    expect(pristineStub(exercise, root)).toMatchObject({ ok: true, content: STUB, origin: 'grader/stubs/01-x/x.ts' });
    const updated = `${STUB}export function b(): number {\n  throw new Error('Not implemented yet: b');\n}\n`;
    writeFileSync(join(root, exercise.stub), updated);
    git(root, 'commit', '-q', '-am', 'a newer stub');
    expect(pristineStub(exercise, root)).toMatchObject({ ok: true, content: updated, origin: expect.stringMatching(/^commit [0-9a-f]{7}$/) });
  });

  it('release takes it from git and says so when exercises/ holds work; with no original it stops', () => {
    const root = folder();
    const entry = { ...course.exercises[0]!, root, stub: exercise.stub };
    writeFileSync(join(root, exercise.stub), STUB);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'the course');
    writeFileSync(join(root, exercise.stub), 'export function a(): number {\n  return 1;\n}\n');
    expect(editionStub(entry, root)).toMatchObject({ content: STUB, recovered: true });
    expect(markers(editionStub(entry, root).content)).toEqual(new Set(['a']));

    const bare = folder();
    writeFileSync(join(bare, exercise.stub), STUB);
    process.env.GIT_CEILING_DIRECTORIES = dirname(bare);
    try {
      expect(() => editionStub({ ...entry, root: bare }, bare)).toThrow(ReleaseError);
      expect(() => editionStub({ ...entry, root: bare }, bare)).toThrow(/^cannot find the original stub of delay: .* is not a git clone/);
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
  });
});
