import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  besideSuite,
  exercisePaths,
  implSpecifier,
  inCourse,
  isLearnerEdition,
  loadCourse,
  parseCourse,
  suitePoints,
  workspacePath,
} from '../course/manifest.ts';
import { ManifestError } from '../errors/manifest-error.ts';
import { applyEdits, loadZoo, materialiseSmallBugs, parseZooHeader, SMALL_BUGS_DIR, zooSource, type Edit } from '../course/zoo.ts';
import { ZooError } from '../errors/zoo-error.ts';
import { copyFixtureCourse, FIXTURE_COURSE, fixtureExercise } from './support/course.ts';

/** A manifest's text with these entries (a valid entry by default). */
const manifest = (...exercises: object[]): string => JSON.stringify({ title: 't', exercises });
const entry = (fields: object = {}): object => ({ id: 'x', title: 'The x exercise', hints: ['a'], ...fields });
/** A suite source read for every entry that does not state its points. */
const oneBehaviour = (): string => "behaviour('works', () => {});\n";

describe('the course manifest', () => {
  const course = loadCourse(FIXTURE_COURSE);

  it('loads the fixture course: ids, numbers, the root, every derived path and the points read from the suites', () => {
    expect(course).toMatchObject({ title: 'A Fixture Course', root: FIXTURE_COURSE, orientation: 'lessons/00-orientation.md', edition: 'course' });
    expect(isLearnerEdition(course)).toBe(false);
    expect(course.exercises).toEqual([
      {
        id: 'delay',
        title: 'Delay: a promise that resolves later',
        number: 1,
        root: FIXTURE_COURSE,
        lesson: 'lessons/01-delay.md',
        stub: 'exercises/01-delay/delay.ts',
        practice: 'exercises/01-delay/delay.test.ts',
        solution: 'solutions/01-delay/delay.ts',
        suite: 'grader/suites/delay.suite.ts',
        zoo: 'grader/zoo/delay',
        points: 4,
        hints: [expect.stringMatching(/setTimeout/), expect.stringMatching(/TypeError/)],
      },
      {
        id: 'once',
        title: 'Once: one call, one shared result',
        number: 2,
        root: FIXTURE_COURSE,
        lesson: 'lessons/02-once.md',
        stub: 'exercises/02-once/once.ts',
        practice: 'exercises/02-once/once.test.ts',
        solution: 'solutions/02-once/once.ts',
        suite: 'grader/suites/once.suite.ts',
        zoo: 'grader/zoo/once',
        points: 4,
        hints: [expect.any(String), expect.any(String)],
      },
    ]);
  });

  it('lists exercises whose files exist, found with inCourse', () => {
    expect(existsSync(inCourse(course, course.orientation))).toBe(true);
    for (const exercise of course.exercises) {
      for (const path of [exercise.lesson, exercise.stub, exercise.practice, exercise.solution, exercise.suite, exercise.zoo]) {
        expect(inCourse(exercise, path)).toBe(join(FIXTURE_COURSE, path));
        expect(existsSync(inCourse(exercise, path)), path).toBe(true);
      }
    }
  });

  it('reads a course once per root, whichever way the root is written', () => {
    expect(loadCourse(FIXTURE_COURSE)).toBe(course);
    expect(loadCourse(`${FIXTURE_COURSE}/exercises/..`)).toBe(course);
  });

  it('derives the workspace path, the alias and the files beside the suite from the exercise', () => {
    const delay = fixtureExercise('delay');
    expect(workspacePath(delay)).toBe('01-delay/delay.ts');
    expect(implSpecifier(delay)).toBe('@impl/01-delay/delay.ts');
    expect(besideSuite(delay, 'contract.md')).toBe('grader/suites/delay.contract.md');
    expect(besideSuite({ suite: 'grader/suites/delay.suite.js' }, 'contract.md')).toBe('grader/suites/delay.contract.md');
  });

  it('rejects a broken manifest with a message that names the problem', () => {
    const parse = (text: string) => () => parseCourse(text, '/course', oneBehaviour);
    expect(parse('{')).toThrow(ManifestError);
    expect(parse('{')).toThrow(/^course\.json is not valid JSON: /);
    expect(parse('{"title":"t","exercises":[]}')).toThrow('course.json needs a "title" and a non-empty "exercises" list');
    expect(parse('{"title":"t","exercises":[{"id":"x"}]}')).toThrow(/exercise #1 needs a non-empty string "title"/);
    expect(parse(manifest(entry(), entry()))).toThrow(/lists the exercise "x" twice/);
    expect(parse(manifest(entry({ hints: [] })))).toThrow('course.json: exercise #1 needs "hints", a non-empty list of strings');
    expect(parse(manifest(entry({ points: 0 })))).toThrow('course.json: exercise #1: "points", when given, must be a whole number of at least 1');
    expect(parse(manifest(entry({ points: 1.5 })))).toThrow(/"points", when given, must be a whole number/);
    expect(parse(manifest(entry({ suite: '' })))).toThrow('course.json: exercise #1: "suite", when given, must be a non-empty string');
    expect(parse(JSON.stringify({ title: 't', edition: 'teacher', exercises: [entry()] }))).toThrow(
      'course.json: "edition" must be "course" or "learner", not "teacher"',
    );
  });

  it('refuses a field that follows from the number and the id, saying what it would be', () => {
    const parse = (text: string) => () => parseCourse(text, '/course', oneBehaviour);
    expect(parse(manifest(entry({ id: 'first' }), entry({ stub: 'exercises/02-x/x.ts' })))).toThrow(
      new ManifestError('course.json: exercise #2: "stub" follows from the exercise\'s number and id (exercises/02-x/x.ts); remove it'),
    );
    expect(parse(manifest(entry({ lesson: 'lessons/x.md' })))).toThrow(
      new ManifestError('course.json: exercise #1: "lesson" follows from the exercise\'s number and id (lessons/01-x.md); remove it'),
    );
    for (const field of ['practice', 'solution', 'zoo']) {
      expect(parse(manifest(entry({ [field]: 'anything' })))).toThrow(new RegExp(`^course\\.json: exercise #1: "${field}" follows from`));
    }
  });

  it('refuses an id that is not kebab-case', () => {
    for (const id of ['Delay', 'two words', 'snake_case', '-leading', 'trailing-', 'double--dash', '1st']) {
      const parse = () => parseCourse(manifest(entry({ id })), '/course', oneBehaviour);
      expect(parse).toThrow(ManifestError);
      // The example it gives is an id of the real course: any kebab-case id.
      let message = '';
      try {
        parse();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^course\.json: exercise #1: "id" must be kebab-case \(like "[a-z]+(?:-[a-z]+)*"\), not /);
      expect(message.endsWith(` not ${JSON.stringify(id)}`)).toBe(true);
    }
    expect(parseCourse(manifest(entry({ id: 'rate-limit2' })), '/course', oneBehaviour).exercises[0]!.id).toBe('rate-limit2');
  });

  it('takes "points" and "suite" from the entry when given (a learner edition writes them), without reading the suite', () => {
    const read: string[] = [];
    const course = parseCourse(
      JSON.stringify({
        title: 't',
        edition: 'learner',
        exercises: [entry({ id: 'a', points: 7, suite: 'grader/suites/a.suite.js' }), entry({ id: 'b', suite: 'grader/suites/b.suite.js' }), entry({ id: 'c', points: 2 })],
      }),
      '/course',
      (path) => {
        read.push(path);
        return "behaviour('one', () => {});\nbehaviour('two', () => {}, { points: 4 });\n";
      },
    );
    expect(isLearnerEdition(course)).toBe(true);
    expect(course.exercises.map(({ id, number, suite, points, stub }) => ({ id, number, suite, points, stub }))).toEqual([
      { id: 'a', number: 1, suite: 'grader/suites/a.suite.js', points: 7, stub: 'exercises/01-a/a.ts' },
      // A suite without points is read where the entry says it is.
      { id: 'b', number: 2, suite: 'grader/suites/b.suite.js', points: 5, stub: 'exercises/02-b/b.ts' },
      { id: 'c', number: 3, suite: 'grader/suites/c.suite.ts', points: 2, stub: 'exercises/03-c/c.ts' },
    ]);
    expect(read).toEqual(['grader/suites/b.suite.js']);
  });

  it('says so when the suite that gives an exercise its points cannot be read or declares no behaviour', () => {
    const missing = () => {
      throw new Error('ENOENT');
    };
    expect(() => parseCourse(manifest(entry()), '/course', missing)).toThrow(
      new ManifestError('course.json: cannot read grader/suites/x.suite.ts, whose behaviours give the exercise its points'),
    );
    expect(() => parseCourse(manifest(entry()), '/course', () => 'export {};\n')).toThrow(
      new ManifestError('grader/suites/x.suite.ts declares no behaviour( ... ): an exercise needs at least one'),
    );
    // The default reader reads the suite from the course's root.
    expect(() => parseCourse(manifest(entry({ id: 'delay' })), join(FIXTURE_COURSE, 'nowhere'))).toThrow(/cannot read grader\/suites\/delay\.suite\.ts/);
    expect(parseCourse(manifest(entry({ id: 'delay' })), FIXTURE_COURSE).exercises[0]!.points).toBe(4);
  });
});

describe('exercisePaths', () => {
  it('derives every file from the number (two digits) and the id', () => {
    expect(exercisePaths(1, 'delay')).toEqual({
      lesson: 'lessons/01-delay.md',
      stub: 'exercises/01-delay/delay.ts',
      practice: 'exercises/01-delay/delay.test.ts',
      solution: 'solutions/01-delay/delay.ts',
      suite: 'grader/suites/delay.suite.ts',
      zoo: 'grader/zoo/delay',
    });
    expect(exercisePaths(12, 'rate-limit')).toEqual({
      lesson: 'lessons/12-rate-limit.md',
      stub: 'exercises/12-rate-limit/rate-limit.ts',
      practice: 'exercises/12-rate-limit/rate-limit.test.ts',
      solution: 'solutions/12-rate-limit/rate-limit.ts',
      suite: 'grader/suites/rate-limit.suite.ts',
      zoo: 'grader/zoo/rate-limit',
    });
  });
});

describe('suitePoints', () => {
  it('counts one point per behaviour( that starts a line, plus what { points: N } adds beyond 1', () => {
    expect(suitePoints('')).toBe(0);
    expect(suitePoints("behaviour('a', () => {});\n")).toBe(1);
    const source = [
      "task('t', () => {",
      "  behaviour('a', async () => {",
      '  }, { points: 3 });',
      "  behaviour('b', () => {});",
      "\tbehaviour('c', () => {}, {points: 2});",
      '});',
    ].join('\n');
    expect(suitePoints(source)).toBe(1 + 2 + 1 + 1 + 1);
  });

  it('does not count a behaviour( in the middle of a line, nor { points: N } that does not end a call', () => {
    expect(suitePoints("// see behaviour('a') below\nconst x = { points: 5 };\nbehaviour('a', () => {});\n")).toBe(1);
  });

  it("gives the fixture's suites their points: 4 each (3 behaviours, one worth 2)", () => {
    for (const id of ['delay', 'once']) {
      const exercise = fixtureExercise(id);
      const source = readFileSync(inCourse(exercise, exercise.suite), 'utf8');
      expect(source.match(/^\s*behaviour\(/gm)).toHaveLength(3);
      expect(suitePoints(source)).toBe(4);
    }
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

describe('applyEdits', () => {
  const solution = 'const a = 1;\nconst b = 2;\nconst c = a + b;\n';

  it('applies the edits in order, each to the text the one before it left', () => {
    const edits: Edit[] = [
      { find: 'const a = 1;', replace: 'const a = 10;' },
      // Only there once the first edit is applied.
      { find: 'a = 10', replace: 'a = 100' },
      { find: 'a + b', replace: 'a - b' },
    ];
    expect(applyEdits(solution, edits)).toEqual({ text: 'const a = 100;\nconst b = 2;\nconst c = a - b;\n' });
    // The other way round, the second edit finds nothing.
    expect(applyEdits(solution, [edits[1]!, edits[0]!])).toEqual({
      problem: 'edit 1\'s find text occurs 0 times in the solution (it must occur exactly once): "a = 10"',
    });
  });

  it('takes the replacement literally ($& and $1 are not patterns)', () => {
    expect(applyEdits(solution, [{ find: 'a + b', replace: '$& + $1' }])).toEqual({ text: 'const a = 1;\nconst b = 2;\nconst c = $& + $1;\n' });
  });

  it('names the edit whose find occurs 0 times or more than once', () => {
    expect(applyEdits(solution, [{ find: 'const d', replace: 'x' }])).toEqual({
      problem: 'edit 1\'s find text occurs 0 times in the solution (it must occur exactly once): "const d"',
    });
    expect(applyEdits(solution, [{ find: 'const a', replace: 'let a' }, { find: 'const ', replace: 'let ' }])).toEqual({
      problem: 'edit 2\'s find text occurs 2 times in the solution (it must occur exactly once): "const "',
    });
    expect(applyEdits(solution, [{ find: '', replace: 'x' }])).toEqual({
      problem: 'edit 1\'s find text occurs 0 times in the solution (it must occur exactly once): ""',
    });
    expect(applyEdits(solution, [])).toEqual({ problem: 'has no edits' });
  });

  it('names the base it was applied to', () => {
    expect(applyEdits(solution, [{ find: 'const d', replace: 'x' }], 'alternative ring-buffer')).toEqual({
      problem: 'edit 1\'s find text occurs 0 times in alternative ring-buffer (it must occur exactly once): "const d"',
    });
  });

  it('quotes at most 80 characters of a long find', () => {
    const find = 'y'.repeat(200);
    const applied = applyEdits(solution, [{ find, replace: '' }]);
    expect(applied).toEqual({ problem: `edit 1's find text occurs 0 times in the solution (it must occur exactly once): "${'y'.repeat(80)}"` });
  });
});

describe("loadZoo on the fixture's delay", () => {
  const delay = fixtureExercise('delay');
  const zoo = inCourse(delay, delay.zoo);

  it('lists the alternatives, then the bugs sorted by file name, whole files and small bugs together', async () => {
    const entries = await loadZoo(delay);
    expect(entries.map(({ kind, name }) => `${kind} ${name}`)).toEqual([
      'alternative async-sleep',
      'alternative timer-extra-argument',
      'bug accepts-infinity',
      'bug busy-wait',
      'bug extra-argument-dropped',
      'bug off-by-one',
      'bug rejects-instead-of-throwing',
      'bug resolves-at-once-for-zero',
      'bug resolves-undefined',
      'bug string-ms-accepted',
      'bug twice-as-long',
    ]);
  });

  it('reads a file entry from its header, and gives a small bug its story, its breaks, its edits and a file under .grader/zoo', async () => {
    const entries = await loadZoo(delay);
    const byName = (name: string) => entries.find((candidate) => candidate.name === name)!;
    expect(byName('async-sleep')).toEqual({
      kind: 'alternative',
      name: 'async-sleep',
      file: join(zoo, 'alternatives', 'async-sleep.ts'),
      summary: 'An async function awaiting a sleep promise, validation first.',
      breaks: [],
    });
    expect(byName('busy-wait')).toEqual({
      kind: 'bug',
      name: 'busy-wait',
      file: join(zoo, 'bugs', 'busy-wait.ts'),
      summary: 'Polls the clock every millisecond instead of starting one timer, and resolves with the time.',
      breaks: ['resolves with the value after exactly ms milliseconds'],
    });
    expect(byName('rejects-instead-of-throwing')).toEqual({
      kind: 'bug',
      name: 'rejects-instead-of-throwing',
      file: join(FIXTURE_COURSE, SMALL_BUGS_DIR, 'delay', 'rejects-instead-of-throwing.ts'),
      summary: 'Returns a rejected promise for a bad ms instead of throwing.',
      breaks: ['throws a TypeError at once for an ms that is negative, not finite or not a number'],
      edits: [
        { find: '    throw new TypeError(', replace: '    return Promise.reject(new TypeError(' },
        { find: '${String(ms)}`);', replace: '${String(ms)}`));' },
      ],
      base: { file: inCourse(delay, delay.solution), shown: 'the solution' },
    });
    // A small bug may change an alternative: its mistake belongs to that design.
    expect(byName('extra-argument-dropped').base).toEqual({ file: join(zoo, 'alternatives', 'timer-extra-argument.ts'), shown: 'alternative timer-extra-argument' });
    const small = entries.filter((candidate) => candidate.edits !== undefined);
    expect(small).toHaveLength(8);
    for (const bug of small) {
      expect(bug.kind).toBe('bug');
      expect(bug.summary).not.toBe('');
      expect(bug.breaks.length).toBeGreaterThan(0);
    }
  });

  it("gives each implementation's source: a file's text, or the solution with a small bug's edits applied", async () => {
    const entries = await loadZoo(delay);
    const solution = readFileSync(inCourse(delay, delay.solution), 'utf8');
    const busyWait = entries.find((candidate) => candidate.name === 'busy-wait')!;
    expect(zooSource(delay, busyWait)).toBe(readFileSync(busyWait.file, 'utf8'));
    const offByOne = entries.find((candidate) => candidate.name === 'off-by-one')!;
    expect(zooSource(delay, offByOne)).toBe(solution.replace('resolve(value), ms);', 'resolve(value), ms - 1);'));
    const dropped = entries.find((candidate) => candidate.name === 'extra-argument-dropped')!;
    const alternative = readFileSync(join(inCourse(delay, delay.zoo), 'alternatives', 'timer-extra-argument.ts'), 'utf8');
    expect(zooSource(delay, dropped)).toBe(alternative.replace('setTimeout(resolve, ms, value)', 'setTimeout(resolve, ms)'));
    for (const bug of entries.filter((candidate) => candidate.edits !== undefined && candidate.base!.shown === 'the solution')) {
      const applied = applyEdits(solution, bug.edits!);
      expect(applied, bug.name).toHaveProperty('text');
      expect(zooSource(delay, bug)).not.toBe(solution);
    }
  });

  it('writes nothing for a bug whose base is missing or whose edits do not apply, and says why, by name', async () => {
    const entries = await loadZoo(delay);
    const offByOne = entries.find((candidate) => candidate.name === 'off-by-one')!;
    const dropped = entries.find((candidate) => candidate.name === 'extra-argument-dropped')!;
    const problems = materialiseSmallBugs([
      { ...offByOne, file: join(FIXTURE_COURSE, SMALL_BUGS_DIR, 'never-written.ts'), edits: [{ find: 'no such text', replace: '' }] },
      { ...dropped, file: join(FIXTURE_COURSE, SMALL_BUGS_DIR, 'never-written.ts'), base: { file: join(FIXTURE_COURSE, 'nowhere.ts'), shown: 'alternative gone' } },
    ]);
    expect([...problems]).toEqual([
      ['off-by-one', 'edit 1\'s find text occurs 0 times in the solution (it must occur exactly once): "no such text"'],
      ['extra-argument-dropped', 'changes alternative gone, which the zoo does not have'],
    ]);
    expect(existsSync(join(FIXTURE_COURSE, SMALL_BUGS_DIR, 'never-written.ts'))).toBe(false);
  });

  it('refuses a small-bugs file of the wrong shape, naming the file and the entry', async () => {
    // A course for each shape: a module is read once per process.
    const shapes: Array<[string, string]> = [
      ["export default [{ name: 'no-edits', story: 'Forgets its edits.', breaks: ['b'] }];\n", 'entry 1 (no-edits) needs "edits", a list of { find, replace } strings'],
      ['export default { name: 1 };\n', 'must export a list of small bugs as its default export'],
    ];
    for (const [text, problem] of shapes) {
      const course = copyFixtureCourse('grader-zoo-shape-');
      try {
        const file = join(course, 'grader/zoo/delay/small-bugs.ts');
        writeFileSync(file, text);
        const sep = problem.startsWith('entry') ? ': ' : ' ';
        await expect(loadZoo(loadCourse(course).exercises[0]!)).rejects.toThrow(new ZooError(`${file}${sep}${problem}`));
      } finally {
        rmSync(course, { recursive: true, force: true });
      }
    }
  });
});
