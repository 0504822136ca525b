/**
 * The original stub of an exercise, for `reset` and for telling an untouched
 * exercise from one the learner has started.
 *
 * The stub file is also the learner's file, so the original comes from the
 * course's git history. Neither "HEAD" (wrong once the learner commits their
 * work) nor "the commit that added the file" (wrong once the course updates a
 * stub) is reliable on its own. The rule used here:
 *
 *   the newest committed version of the file in which no function the course
 *   left unimplemented has been implemented: a version whose set of
 *   `Not implemented yet: <name>` markers is a strict subset of an older
 *   version's set is the learner's work, and is skipped.
 *
 * A learner's commit that implements anything drops a marker (skipped); a
 * course update that renames or adds functions keeps or changes the set
 * (accepted). Two git processes whatever the length of the history.
 *
 * The learner edition (`release`) may be unzipped where there is no git, so it
 * ships each original stub under grader/stubs/. That copy counts as the oldest
 * version: without git history it is the answer, and with history (a learner
 * who put the edition in git) the same rule applies, so a first commit that
 * already holds their work is still skipped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePath, type Exercise } from '../course/manifest.ts';

/** `origin` says where the original came from, for people: `commit 1a2b3c4` or `grader/stubs/01-pool/pool.ts`. */
export type PristineResult = { ok: true; content: string; origin: string } | { ok: false; reason: string };

/** Where the learner edition keeps the original stubs, laid out like exercises/. */
export const SHIPPED_STUBS = 'grader/stubs';

/** `grader/stubs/01-pool/pool.ts`, relative to the course's root. */
export function shippedStubPath(exercise: Pick<Exercise, 'stub'>): string {
  return join(SHIPPED_STUBS, workspacePath(exercise));
}

function readShippedStub(exercise: Pick<Exercise, 'stub'>, root: string): string | undefined {
  try {
    return readFileSync(join(root, shippedStubPath(exercise)), 'utf8');
  } catch {
    return undefined;
  }
}

const MARKER = /Not implemented yet: ([\w$.]+)/g;

export function markers(text: string): Set<string> {
  return new Set([...text.matchAll(MARKER)].map((match) => match[1]!));
}

function strictSubset(a: Set<string>, b: Set<string>): boolean {
  return a.size < b.size && [...a].every((name) => b.has(name));
}

/** Versions newest first → the index of the original stub (see the rule above). */
export function choosePristine(versions: string[]): number {
  const sets = versions.map(markers);
  for (let i = 0; i < versions.length; i++) {
    const implemented = sets.slice(i + 1).some((older) => strictSubset(sets[i]!, older));
    if (!implemented) return i;
  }
  return versions.length - 1;
}

function git(args: string[], root: string, input?: string): Buffer {
  return execFileSync('git', args, { cwd: root, input, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

/** `git cat-file --batch` output → the contents, in request order (undefined for a missing object). */
function parseBatch(output: Buffer, count: number): Array<string | undefined> {
  const contents: Array<string | undefined> = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const end = output.indexOf(0x0a, at);
    const header = output.subarray(at, end).toString();
    at = end + 1;
    const [, type, size] = header.split(' ');
    if (type === undefined || size === undefined || header.endsWith(' missing')) {
      contents.push(undefined);
      continue;
    }
    const length = Number(size);
    contents.push(output.subarray(at, at + length).toString('utf8'));
    at += length + 1;
  }
  return contents;
}

type Version = { content: string; origin: string };
type History = { ok: true; versions: Version[] } | { ok: false; reason: string };

/** Every committed version of the stub, newest first. */
function gitHistory(exercise: Pick<Exercise, 'stub'>, root: string): History {
  let log: string;
  try {
    log = git(['log', '--format=commit %H', '--name-only', '--follow', '--', exercise.stub], root).toString();
  } catch {
    return { ok: false, reason: `the original stub comes from the course's git history, and ${root} is not a git clone (or git is not installed)` };
  }
  const entries: Array<{ commit: string; path: string }> = [];
  let commit: string | undefined;
  for (const line of log.split('\n')) {
    if (line.startsWith('commit ')) commit = line.slice('commit '.length);
    else if (line.trim() !== '' && commit !== undefined) {
      entries.push({ commit, path: line.trim() });
      commit = undefined;
    }
  }
  if (entries.length === 0) return { ok: false, reason: `${exercise.stub} has never been committed, so git has no original stub for it` };
  let contents: Array<string | undefined>;
  try {
    contents = parseBatch(git(['cat-file', '--batch'], root, entries.map((e) => `${e.commit}:${e.path}\n`).join('')), entries.length);
  } catch {
    return { ok: false, reason: `git could not read the history of ${exercise.stub}` };
  }
  // Commits that deleted the file have no version of it.
  const versions = entries.flatMap((entry, i): Version[] => {
    const content = contents[i];
    return content === undefined ? [] : [{ content, origin: `commit ${entry.commit.slice(0, 7)}` }];
  });
  if (versions.length === 0) return { ok: false, reason: `git has no readable version of ${exercise.stub}` };
  return { ok: true, versions };
}

export function pristineStub(exercise: Pick<Exercise, 'stub'>, root: string): PristineResult {
  const history = gitHistory(exercise, root);
  const shipped = readShippedStub(exercise, root);
  if (!history.ok && shipped === undefined) return history;
  const versions = [...(history.ok ? history.versions : []), ...(shipped === undefined ? [] : [{ content: shipped, origin: shippedStubPath(exercise) }])];
  const chosen = versions[choosePristine(versions.map((v) => v.content))]!;
  return { ok: true, content: chosen.content, origin: chosen.origin };
}
