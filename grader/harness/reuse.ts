/**
 * A worker that grades a class goes on to the next (candidate, exercise) only if the one it graded left it
 * exactly as it found it. At the start of each test file the worker takes a fingerprint of everything code
 * could leave behind for the next file: the built-ins reachable from `globalThis` (and their prototypes),
 * `process`, the exports of the built-in modules learner code may import, and process listeners. At the end it compares. Any difference, or anything the guards saw (tampering, an attempt to end
 * the process, a behaviour that never returned, a real timer started outside the fake clock), marks the process dirty: the grader then ends it and the
 * next pair starts in a fresh one. Learner modules themselves are forgotten between files (`forgetModules`).
 */
import { appendFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ALLOWED_BUILTINS } from '../engine/import-rules.ts';
import { takeRealTimersStarted } from './clock.ts';

/** The marker the grader's pool looks for before it reuses a worker (grader/engine/shared-workers.ts). */
export function dirtyMarkerName(pid: number): string {
  return `dirty-${pid}`;
}

// Kept before any learner code loads.
const ownKeys = Reflect.ownKeys;
const ownDescriptor = Object.getOwnPropertyDescriptor;
const sameValue = Object.is;
const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process);
const eventNames = process.eventNames.bind(process);
const listenerCount = process.listenerCount.bind(process);

/** vitest's and chai's own bookkeeping changes from test to test; it is not state learner code leaves. */
const VOLATILE = /vitest|jest|chai|\$\$|__coverage__/i;
/** Node's own bookkeeping on `process`: the internal modules it has loaded, its IPC channel's buffers. */
const PROCESS_VOLATILE = /^process\.(?:moduleLoadList|Symbol\(kChannelHandle\)|_events|_eventsCount|channel)(?:\.|$| )/;

type Fingerprint = Map<string, unknown>;

function isWalkable(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function walk(root: unknown, name: string, into: Fingerprint, seen: Set<object>, depth: number): void {
  if (!isWalkable(root) || seen.has(root)) return;
  seen.add(root);
  const keys = ownKeys(root);
  into.set(`${name} (keys)`, keys.map(String).join('\0'));
  for (const key of keys) {
    const label = `${name}.${String(key)}`;
    if (VOLATILE.test(label) || PROCESS_VOLATILE.test(label)) continue;
    const descriptor = ownDescriptor(root, key);
    if (!descriptor) continue;
    if ('value' in descriptor) {
      into.set(label, descriptor.value);
      if (depth > 0) walk(descriptor.value, label, into, seen, depth - 1);
    } else {
      into.set(`${label} (get)`, descriptor.get);
      into.set(`${label} (set)`, descriptor.set);
    }
  }
  const prototype = Object.getPrototypeOf(root);
  if (depth > 0 && prototype !== null) walk(prototype, `${name} (prototype)`, into, seen, depth - 1);
}

function fingerprint(): Fingerprint {
  const into: Fingerprint = new Map();
  const seen = new Set<object>();
  walk(globalThis, 'globalThis', into, seen, 3);
  walk(process, 'process', into, seen, 1);
  walk(process.env, 'process.env', into, seen, 0);
  for (const name of ALLOWED_BUILTINS) walk(getBuiltin?.(`node:${name}`), `node:${name}`, into, seen, 3);
  for (const event of eventNames()) into.set(`process listeners of ${String(event)}`, listenerCount(event));
  return into;
}

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
const KEPT = ['harness', 'engine', 'course'].map((dir) => join(GRADER_DIR, dir) + sep);

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
    if (id.includes(`${sep}node_modules${sep}`) || id.startsWith(keepDir) || KEPT.some((dir) => id.startsWith(dir))) continue;
    node.promise = undefined;
    node.exports = undefined;
    node.evaluated = false;
    node.importers.clear();
  }
}

let runDir: string | undefined;
let before: Fingerprint | undefined;
let unsettledBehaviours = 0;

/** Only a worker that may be reused takes fingerprints; one that grades a single pair ends anyway. */
export function beginFile(dir: string | undefined): void {
  runDir = dir;
  unsettledBehaviours = 0;
  settleLazyGlobals();
  takeRealTimersStarted();
  before = fingerprint();
}

/** This process must not grade anything else. */
export function markDirty(reason: string): void {
  if (runDir === undefined) return;
  try {
    appendFileSync(join(runDir, dirtyMarkerName(process.pid)), reason + '\n');
  } catch {
    // The run is over and its folder gone: nothing will reuse this process.
  }
}

export function behaviourStarted(): void {
  unsettledBehaviours++;
}

export function behaviourSettled(): void {
  unsettledBehaviours--;
}

/** What the file just graded left behind, in words (empty when nothing). */
export function leftBehind(): string[] {
  if (before === undefined) return [];
  const found: string[] = [];
  if (unsettledBehaviours > 0) found.push(`${unsettledBehaviours} behaviour(s) never returned`);
  const now = fingerprint();
  const changed = [...new Set([...before.keys(), ...now.keys()])].filter((key) => !sameValue(before!.get(key), now.get(key)));
  if (changed.length > 0) found.push(`changed ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}`);
  const timers = takeRealTimersStarted();
  if (timers > 0) found.push(`started ${timers} real timer(s) outside any behaviour`);
  return found;
}

/** At the end of a test file: mark the process dirty if the file left anything behind. */
export function endFile(): void {
  if (before === undefined) return;
  const found = leftBehind();
  before = undefined;
  if (found.length > 0) markDirty(found.join('; '));
}
