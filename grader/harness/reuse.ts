/**
 * A worker that grades a class goes on to the next (candidate, exercise) only if the one it graded left it
 * exactly as it found it. The file starts from a fingerprint of the process (fingerprint.ts); at its end
 * the worker compares, and only when nothing changed, no behaviour was left running, no real timer was
 * started outside the fake clock and the guards saw nothing (tampering, an attempt to end the process, an
 * API with lasting effects) does it leave a "clean" marker for the grader's pool (shared-workers.ts).
 * Without that marker, whatever the reason (even this check failing), the process is ended and the next
 * pair starts in a fresh one. Learner modules themselves are forgotten between files (`forgetModules`).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { isInside } from '../common/inside.ts';
import { ALLOWED_BUILTINS } from '../engine/import-rules.ts';
import { cleanMarkerName, dirtyMarkerName } from '../engine/worker-protocol.ts';
import { takeRealTimersStarted } from './clock.ts';
import { createFingerprinter, type Fingerprinter } from './fingerprint.ts';
import { HIDDEN_INTRINSICS } from './intrinsics.ts';

// Kept before any learner code loads.
const ownKeys = Reflect.ownKeys;
const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process);

/**
 * Made at the first file of a worker that may be reused, which starts before any learner code has run in
 * the process; a worker that grades a single pair (`grade`) never pays for it.
 */
const makeFingerprinter = (): Fingerprinter => {
  const events = getBuiltin?.('node:events') as { defaultMaxListeners?: number } | undefined;
  return createFingerprinter({
    roots: [
      ['globalThis', globalThis, 3],
      ['process', process, 1],
      ['process.env', process.env, 0],
      ...HIDDEN_INTRINSICS.map(([name, intrinsic]): [string, unknown, number] => [name, intrinsic, 1]),
      // Exports, their classes' statics and prototypes, and those prototypes' methods.
      ...[...ALLOWED_BUILTINS].map((name): [string, unknown, number] => [`node:${name}`, getBuiltin?.(`node:${name}`), 2]),
    ],
    // Settings kept behind accessors, which the walk sees only as the same getter.
    extras: [
      ['process.exitCode', () => process.exitCode],
      ['process.title', () => process.title],
      ['EventEmitter.defaultMaxListeners', () => events?.defaultMaxListeners],
    ],
    listeners: { names: process.eventNames.bind(process), count: process.listenerCount.bind(process) },
  });
};
let fingerprinter: Fingerprinter | undefined;

/**
 * Node defines some globals (`DOMException`, `fetch`...) as getters that replace themselves with a value
 * on first use: use them all once, so that first use by learner code is not taken for a change.
 */
function settleLazyGlobals(): void {
  for (const key of ownKeys(globalThis)) {
    try {
      void (globalThis as Record<PropertyKey, unknown>)[key];
    } catch {
      // A getter that throws stays a getter: the fingerprint sees it unchanged.
    }
  }
}

/** The grader's own modules stay loaded (they hold the guards and the clock); everything else is per file. */
const GRADER_DIR = resolve(import.meta.dirname, '..');
const KEPT = ['harness', 'engine', 'course', 'common'].map((dir) => join(GRADER_DIR, dir));

interface EvaluatedModule {
  promise?: unknown;
  exports?: unknown;
  evaluated: boolean;
  importers: Set<string>;
}

/**
 * Forget the suite and the previous candidate's modules, as vitest does between isolated files, so that the
 * next file loads its suite and its learner's code afresh. vitest keeps its module registry in its worker
 * state; this is the same reset as its own `vi.resetModules()`, minus the grader's modules.
 */
export function forgetModules(keepDir: string): void {
  const registry = (globalThis as { __vitest_worker__?: { evaluatedModules?: { idToModuleMap: Map<string, EvaluatedModule> } } })
    .__vitest_worker__?.evaluatedModules?.idToModuleMap;
  if (!registry) return;
  for (const [id, node] of registry) {
    if (id.includes(`${sep}node_modules${sep}`) || isInside(id, keepDir) || KEPT.some((dir) => isInside(id, dir))) continue;
    node.promise = undefined;
    node.exports = undefined;
    node.evaluated = false;
    node.importers.clear();
  }
}

let runDir: string | undefined;
let filesGraded = 0;
let dirty = false;
let unsettledBehaviours = 0;

/** Only a worker that may be reused checks itself; one that grades a single pair ends anyway. */
export function beginFile(dir: string | undefined): void {
  runDir = dir;
  filesGraded++;
  unsettledBehaviours = 0;
  settleLazyGlobals();
  takeRealTimersStarted();
  fingerprinter ??= makeFingerprinter();
  fingerprinter.begin();
}

/** This process must not grade anything else. */
export function markDirty(reason: string): void {
  dirty = true;
  if (runDir === undefined) return;
  try {
    appendFileSync(join(runDir, dirtyMarkerName(process.pid)), reason + '\n');
  } catch {
    // Without a clean marker the process is not reused anyway.
  }
}

export function behaviourStarted(): void {
  unsettledBehaviours++;
}

export function behaviourSettled(): void {
  unsettledBehaviours--;
}

/** At the end of a test file: leave the clean marker only if the file left nothing behind. */
export function endFile(): void {
  if (runDir === undefined) return;
  const found: string[] = [];
  if (unsettledBehaviours > 0) found.push(`${unsettledBehaviours} behaviour(s) never returned`);
  const changes = fingerprinter?.changes() ?? '';
  if (changes !== '') found.push(changes);
  const timers = takeRealTimersStarted();
  if (timers > 0) found.push(`started ${timers} real timer(s) outside any behaviour`);
  if (found.length > 0) markDirty(found.join('; '));
  if (!dirty) writeFileSync(join(runDir, cleanMarkerName(process.pid, filesGraded)), '');
}
