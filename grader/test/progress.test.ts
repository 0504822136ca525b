/** The learner's progress: the store (progress.json), status, hints, and where the original stub comes from. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inCourse, type Exercise } from '../course/manifest.ts';
import { choosePristine, markers, pristineStub } from '../progress/pristine.ts';
import { exerciseStatus, firstUnfinished } from '../progress/status.ts';
import {
  BACKUP_DIR,
  PROGRESS_FILE,
  allHintsShown,
  emptyProgress,
  loadProgress,
  nextHint,
  recordGrade,
  saveProgress,
  type Progress,
} from '../progress/store.ts';
import { fixtureCourse } from './support/course.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'grader-progress-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);
// The fixture course: delay (01) and once (02), 4 points each.
const course = fixtureCourse();
const [delay, once] = course.exercises as [Exercise, Exercise];
const graded = (id: string, status: 'pass' | 'fail' | 'error', points: number, maxPoints = delay.points) => ({ id, status, points, maxPoints });

describe('progress store', () => {
  it('a missing file is no progress, without a warning', () => {
    expect(loadProgress(root)).toEqual({ progress: emptyProgress() });
  });

  it('saves atomically: the whole file or the old one, never a temp file left behind', () => {
    const first = recordGrade(emptyProgress(), graded('delay', 'fail', 2), at('2026-01-01T00:00:00Z'));
    saveProgress(first, root);
    expect(readdirSync(root)).toEqual([PROGRESS_FILE]);
    expect(loadProgress(root)).toEqual({ progress: first });

    // A save that fails half-way (here: the progress cannot be serialised) leaves the old file intact.
    const broken = { ...first, exercises: { delay: { ...first.exercises.delay!, bestPoints: 1n } } } as unknown as Progress;
    expect(() => saveProgress(broken, root)).toThrow();
    expect(readdirSync(root)).toEqual([PROGRESS_FILE]);
    expect(loadProgress(root)).toEqual({ progress: first });
  });

  it('a corrupted file: a one-line warning, a backup of the bad file, and a fresh start written back', () => {
    writeFileSync(join(root, PROGRESS_FILE), '{"version": 1, "exercises": {"delay": {"passed": tr');
    const { progress, warning } = loadProgress(root);
    expect(progress).toEqual(emptyProgress());
    expect(warning).toMatch(/^progress\.json was not as the grader left it \(it is not valid JSON\): saved a copy as \.grader\/backups\/progress-\d{8}T\d+Z\.json and started afresh$/);
    expect(warning).not.toContain('\n');
    const backups = readdirSync(join(root, BACKUP_DIR));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(root, BACKUP_DIR, backups[0]!), 'utf8')).toContain('"passed": tr');
    // Rebuilt: the next load is clean.
    expect(loadProgress(root)).toEqual({ progress: emptyProgress() });
  });

  it('a hand-edited file keeps the entries that make sense and drops the rest', () => {
    const good = recordGrade(emptyProgress(), graded('delay', 'fail', 2), at('2026-01-01T00:00:00Z'));
    const edited = { ...good, exercises: { ...good.exercises, once: { passed: 'yes', bestPoints: 99 } } };
    writeFileSync(join(root, PROGRESS_FILE), JSON.stringify(edited));
    const { progress, warning } = loadProgress(root);
    expect(progress).toEqual(good);
    expect(warning).toMatch(/the entries for once are not what the grader wrote.*kept the other 1 exercise$/);
  });

  it('anything that is not a progress file counts as corrupted', () => {
    for (const text of ['[]', 'null', '42', '{"version": 2, "exercises": {}}', '{"version": 1, "exercises": []}']) {
      writeFileSync(join(root, PROGRESS_FILE), text);
      const { progress, warning } = loadProgress(root);
      expect(progress, text).toEqual(emptyProgress());
      expect(warning, text).toMatch(/not a progress file the grader wrote/);
    }
  });

  it('recordGrade keeps the best points, remembers passing, and records every attempt', () => {
    let progress = recordGrade(emptyProgress(), graded('delay', 'fail', 3), at('2026-01-01T00:00:00Z'));
    progress = recordGrade(progress, graded('delay', 'error', 0), at('2026-01-02T00:00:00Z'));
    expect(progress.exercises.delay).toEqual({
      passed: false,
      bestPoints: 3,
      maxPoints: 4,
      hintsShown: 0,
      lastStatus: 'error',
      lastGradedAt: '2026-01-02T00:00:00.000Z',
    });
    progress = recordGrade(progress, graded('delay', 'pass', 4), at('2026-01-03T00:00:00Z'));
    progress = recordGrade(progress, graded('delay', 'fail', 2), at('2026-01-04T00:00:00Z'));
    expect(progress.exercises.delay).toMatchObject({ passed: true, bestPoints: 4, lastStatus: 'fail', passedAt: '2026-01-03T00:00:00.000Z' });
  });

  it('recordGrade starts the best points again when the suite’s total changes', () => {
    let progress = recordGrade(emptyProgress(), graded('delay', 'fail', 3, 4), at('2026-01-01T00:00:00Z'));
    progress = recordGrade(progress, graded('delay', 'fail', 2, 6), at('2026-01-02T00:00:00Z'));
    expect(progress.exercises.delay).toMatchObject({ bestPoints: 2, maxPoints: 6 });
  });

  it('recordGrade does not change the progress it was given', () => {
    const before = emptyProgress();
    recordGrade(before, graded('delay', 'pass', 4), new Date());
    expect(before).toEqual(emptyProgress());
  });
});

describe('hints', () => {
  it('shows the next hint each time, then repeats the last one', () => {
    let progress = emptyProgress();
    const seen: Array<[number, boolean]> = [];
    for (let call = 0; call < 5; call++) {
      const step = nextHint(progress, 'delay', 3);
      seen.push([step.index, step.repeated]);
      progress = step.progress;
    }
    expect(seen).toEqual([[0, false], [1, false], [2, false], [2, true], [2, true]]);
    expect(progress.exercises.delay!.hintsShown).toBe(3);
  });

  it('--all counts every hint as seen, and keeps the grading record', () => {
    const progress = allHintsShown(recordGrade(emptyProgress(), graded('delay', 'fail', 3), new Date()), 'delay', 3);
    expect(progress.exercises.delay).toMatchObject({ hintsShown: 3, bestPoints: 3 });
    expect(nextHint(progress, 'delay', 3)).toMatchObject({ index: 2, repeated: true });
  });

  it('a course with more hints than were seen continues where the learner was', () => {
    const progress = allHintsShown(emptyProgress(), 'once', 2);
    expect(nextHint(progress, 'once', 4)).toMatchObject({ index: 2, repeated: false });
  });
});

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd: root, encoding: 'utf8' });
}

const STUB = `export function a(): number {\n  throw new Error('Not implemented yet: a');\n}\nexport function b(): number {\n  throw new Error('Not implemented yet: b');\n}\n`;

function commitFile(path: string, content: string, message: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

describe('the original stub', () => {
  it('markers are the names of the functions still to write', () => {
    expect([...markers(STUB)]).toEqual(['a', 'b']);
  });

  it('skips the learner’s versions, accepts the course’s updates', () => {
    const stub = STUB;
    const updated = `${STUB}export function c(): number {\n  throw new Error('Not implemented yet: c');\n}\n`;
    const partial = STUB.replace("throw new Error('Not implemented yet: a');", 'return 1;');
    const done = partial.replace("throw new Error('Not implemented yet: b');", 'return 2;');
    // newest first
    expect(choosePristine([done, partial, stub])).toBe(2);
    expect(choosePristine([partial, updated, stub])).toBe(1);
    expect(choosePristine([updated, stub])).toBe(0);
    expect(choosePristine([`// my notes\n${stub}`, stub])).toBe(0); // only comments changed: still the stub, harmless
    expect(choosePristine([stub])).toBe(0);
  });

  it('comes from git even after the learner commits their work', () => {
    git('init', '-q');
    const path = 'exercises/01-x/x.ts';
    commitFile(path, STUB, 'course: stub');
    const updated = STUB.replace('number', 'string');
    commitFile(path, updated, 'course: update the contract');
    commitFile(path, STUB.replace("throw new Error('Not implemented yet: a');", 'return 1;'), 'learner: my work');
    writeFileSync(join(root, path), 'uncommitted work');
    expect(pristineStub({ stub: path }, root)).toMatchObject({ ok: true, content: updated });
  });

  it('says why when there is no history to take it from', () => {
    const result = pristineStub({ stub: 'exercises/01-x/x.ts' }, root);
    expect(result.ok).toBe(false);
    git('init', '-q');
    commitFile('README.md', 'hi', 'first');
    expect(pristineStub({ stub: 'exercises/01-x/x.ts' }, root)).toEqual({ ok: false, reason: 'exercises/01-x/x.ts has never been committed, so git has no original stub for it' });
  });
});

describe('status', () => {
  // The fixture course's own stubs, committed in a fresh repository (the fixture course itself is only read).
  const stubOf = (exercise: Exercise) => readFileSync(inCourse(exercise, exercise.stub), 'utf8');

  beforeEach(() => {
    git('init', '-q');
    commitFile(delay.stub, stubOf(delay), 'stub delay');
    commitFile(once.stub, stubOf(once), 'stub once');
  });

  it('not started, in progress (graded, hinted or edited), done (passed once)', () => {
    let progress = emptyProgress();
    expect(exerciseStatus(delay, progress, root)).toBe('not started');
    expect(exerciseStatus(delay, nextHint(progress, 'delay', delay.hints.length).progress, root)).toBe('in progress');
    progress = recordGrade(progress, graded('delay', 'fail', 0), new Date());
    expect(exerciseStatus(delay, progress, root)).toBe('in progress');
    progress = recordGrade(progress, graded('delay', 'pass', delay.points), new Date());
    progress = recordGrade(progress, graded('delay', 'fail', 3), new Date());
    expect(exerciseStatus(delay, progress, root)).toBe('done');

    expect(exerciseStatus(once, progress, root)).toBe('not started');
    const started = stubOf(once).replace("throw new Error('Not implemented yet: once');", 'return async () => fn();');
    expect(started).not.toBe(stubOf(once));
    writeFileSync(join(root, once.stub), started);
    expect(exerciseStatus(once, progress, root)).toBe('in progress');
  });

  it('firstUnfinished: the first exercise in course order not passed yet', () => {
    let progress = emptyProgress();
    expect(firstUnfinished(course, progress)).toBe(delay);
    progress = recordGrade(progress, graded('once', 'pass', once.points), new Date());
    expect(firstUnfinished(course, progress)).toBe(delay);
    progress = recordGrade(progress, graded('delay', 'pass', delay.points), new Date());
    expect(firstUnfinished(course, progress)).toBeUndefined();
  });
});
