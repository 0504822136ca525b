/**
 * The bug zoo and the alternative solutions of an exercise, for `verify`:
 * `<zoo>/alternatives/*.ts` must score 100%; every bug must fail, each on the
 * behaviours it names. A bug is either a whole file in `<zoo>/bugs/` (a
 * different design, the course material's own code), its header naming the
 * behaviours with `@breaks <behaviour>`, or, when it is a small change to the
 * reference solution (or to one of the alternatives), an entry of
 * `<zoo>/small-bugs.ts`: anchored find → replace edits that `verify` applies.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inCourse, type Exercise } from './manifest.ts';
import { ZooError } from '../errors/zoo-error.ts';

/** One edit of a small bug: `find` must occur exactly once in the text it is applied to. */
export interface Edit {
  find: string;
  replace: string;
}

/** An entry of `<zoo>/small-bugs.ts`. */
export interface SmallBug {
  /** kebab-case, unique among the exercise's bugs. */
  name: string;
  /** One line: what the mistake is, as a learner would make it. */
  story: string;
  /** Behaviours this bug must fail. */
  breaks: string[];
  /**
   * The alternative it changes, by name (`alternatives/<base>.ts`), when its mistake belongs to that design;
   * the reference solution when absent.
   */
  base?: string;
  /** Applied in order to the base, each to the text the one before it left. */
  edits: Edit[];
}

export const SMALL_BUGS_FILE = 'small-bugs.ts';

export interface ZooEntry {
  kind: 'alternative' | 'bug';
  name: string;
  /** The implementation file; for a small bug, where `materialiseSmallBugs` writes it. */
  file: string;
  /** One-line summary from the header comment, or a small bug's story. */
  summary: string;
  /** Behaviours this bug must fail. */
  breaks: string[];
  /** A small bug: its edits, applied to `base` by `materialiseSmallBugs`. */
  edits?: Edit[];
  /** A small bug: the file its edits apply to (the solution, or an alternative). */
  base?: { file: string; shown: string };
}

export function parseZooHeader(source: string): { summary: string; breaks: string[] } {
  const header = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const lines = header.split('\n').map((line) => line.replace(/^\s*\*\s?/, '').trim());
  const summary = lines.find((line) => line !== '' && !line.startsWith('@')) ?? '';
  const breaks = lines.filter((line) => line.startsWith('@breaks ')).map((line) => line.slice('@breaks '.length).trim());
  return { summary, breaks };
}

function fileEntries(folder: string, kind: ZooEntry['kind']): ZooEntry[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.ts')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = join(folder, name);
    return { kind, name: basename(name, '.ts'), file, ...parseZooHeader(readFileSync(file, 'utf8')) };
  });
}

const isString = (value: unknown): value is string => typeof value === 'string';
const nameOf = (entry: unknown): string => (isString((entry as { name?: unknown } | null)?.name) ? ` (${(entry as SmallBug).name})` : '');

/** What is wrong with the shape of a small-bugs entry, if anything. */
function smallBugProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'is not an object';
  const bug = entry as Record<string, unknown>;
  if (!isString(bug.name) || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(bug.name)) return 'needs a kebab-case "name"';
  if (!isString(bug.story) || bug.story === '') return 'needs a one-line "story"';
  if (!Array.isArray(bug.breaks) || bug.breaks.length === 0 || !bug.breaks.every(isString)) return 'needs "breaks", the behaviours it must fail';
  const editsOk = Array.isArray(bug.edits) && bug.edits.every((edit: unknown) => isString((edit as Edit | null)?.find) && isString((edit as Edit).replace));
  if (!editsOk) return 'needs "edits", a list of { find, replace } strings';
  if (bug.base !== undefined && !isString(bug.base)) return 'names its "base" alternative with a string';
  return undefined;
}

async function smallBugs(zoo: string): Promise<SmallBug[]> {
  const file = join(zoo, SMALL_BUGS_FILE);
  if (!existsSync(file)) return [];
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!Array.isArray(module.default)) throw new ZooError(`${file} must export a list of small bugs as its default export`);
  module.default.forEach((entry: unknown, index) => {
    const problem = smallBugProblem(entry);
    if (problem !== undefined) throw new ZooError(`${file}: entry ${index + 1}${nameOf(entry)} ${problem}`);
  });
  return module.default as SmallBug[];
}

/**
 * Where small bugs are written to be graded: a fixed place in the course (git ignores `.grader/`), so that
 * a message naming a line of one (an uncaught error's location) is the same on every run.
 */
export const SMALL_BUGS_DIR = '.grader/zoo';

/**
 * The exercise's alternatives, then its bugs sorted by name (whole files and small bugs together). A small
 * bug's `file` is `.grader/zoo/<exercise>/<name>.ts`, written by `materialiseSmallBugs`.
 */
export async function loadZoo(exercise: Exercise): Promise<ZooEntry[]> {
  const materialiseDir = inCourse(exercise, SMALL_BUGS_DIR);
  const root = inCourse(exercise, exercise.zoo);
  const small = (await smallBugs(root)).map(
    (bug): ZooEntry => ({
      kind: 'bug',
      name: bug.name,
      file: join(materialiseDir, exercise.id, `${bug.name}.ts`),
      summary: bug.story,
      breaks: bug.breaks,
      edits: bug.edits,
      base:
        bug.base === undefined
          ? { file: inCourse(exercise, exercise.solution), shown: 'the solution' }
          : { file: join(root, 'alternatives', `${bug.base}.ts`), shown: `alternative ${bug.base}` },
    }),
  );
  // Sorted as file names sort, so a bug keeps its place when it moves between a file and an entry.
  const key = (entry: ZooEntry): string => `${entry.name}.ts`;
  const bugs = [...fileEntries(join(root, 'bugs'), 'bug'), ...small].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return [...fileEntries(join(root, 'alternatives'), 'alternative'), ...bugs];
}

/** Why a small bug's edits do not apply, or its base (`shown`: the solution, or an alternative) with them applied. */
export function applyEdits(base: string, edits: Edit[], shown = 'the solution'): { text: string } | { problem: string } {
  if (edits.length === 0) return { problem: 'has no edits' };
  let text = base;
  for (const [index, edit] of edits.entries()) {
    const count = edit.find === '' ? 0 : text.split(edit.find).length - 1;
    if (count !== 1) {
      return { problem: `edit ${index + 1}'s find text occurs ${count} times in ${shown} (it must occur exactly once): ${JSON.stringify(edit.find.slice(0, 80))}` };
    }
    text = text.replace(edit.find, () => edit.replace);
  }
  return { text };
}

/** A small bug's base with its edits applied, or why that cannot be done. */
function smallBugSource(base: NonNullable<ZooEntry['base']>, edits: Edit[]): { text: string } | { problem: string } {
  if (!existsSync(base.file)) return { problem: `changes ${base.shown}, which the zoo does not have` };
  return applyEdits(readFileSync(base.file, 'utf8'), edits, base.shown);
}

/** The source of a zoo implementation: a small bug's is its base with its edits applied. */
export function zooSource(exercise: Exercise, entry: ZooEntry): string {
  if (!entry.edits || !entry.base) return readFileSync(entry.file, 'utf8');
  const applied = smallBugSource(entry.base, entry.edits);
  if ('problem' in applied) throw new ZooError(`${exercise.zoo}/${SMALL_BUGS_FILE}: ${entry.name} ${applied.problem}`);
  return applied.text;
}

/**
 * Writes every small bug of the zoo beside the others in its `file`; gives back, per bug name, why its edits
 * do not apply (that bug is not written).
 */
export function materialiseSmallBugs(zoo: ZooEntry[]): Map<string, string> {
  const problems = new Map<string, string>();
  for (const entry of zoo) {
    if (!entry.edits || !entry.base) continue;
    const applied = smallBugSource(entry.base, entry.edits);
    if ('problem' in applied) {
      problems.set(entry.name, applied.problem);
      continue;
    }
    mkdirSync(dirname(entry.file), { recursive: true });
    // Whole or not at all: another verify may be reading it (the same text) right now.
    const partial = `${entry.file}.${process.pid}.tmp`;
    writeFileSync(partial, applied.text);
    renameSync(partial, entry.file);
  }
  return problems;
}
