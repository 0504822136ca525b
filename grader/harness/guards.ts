/**
 * Learner code runs in the process that grades it. Installed before any
 * learner code loads, these guards stop it from ending that process (or
 * signalling the grader) and remember that it tried: such code never passes,
 * even if it catches the error the guard throws.
 */

import { ALLOWED_BUILTINS, builtinName } from '../engine/import-rules.ts';
import { HIDDEN_INTRINSICS } from './intrinsics.ts';
import { unhandledListenersRemoved } from './unhandled.ts';

let endedBy: string | undefined;
// Kept before learner code loads: the comparison must not use a replaced `Object.is`.
const sameValue = Object.is;

/** What the learner's code called to end the process since the last call, if it did: `process.exit(0)`. */
export function takeProcessEndAttempt(): string | undefined {
  const call = endedBy;
  endedBy = undefined;
  return call;
}

class ProcessEndRefused extends Error {
  override name = 'ProcessEndRefused';
}

function describePid(pid: unknown): string {
  if (pid === process.pid) return 'process.pid';
  if (pid === process.ppid) return 'process.ppid';
  return String(pid);
}

let forbiddenUse: string | undefined;

/** A process feature the learner's code used that the exercises never need (see installProcessGuards), since the last call. */
function takeForbiddenUse(): string | undefined {
  const use = forbiddenUse;
  forbiddenUse = undefined;
  return use;
}

// Kept at the first install, before any learner code loads.
const realGetBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process);

const realReport = process.report;

function guardedReport(forbid: (use: string) => never): object {
  return new Proxy(realReport, {
    get: (target, key) =>
      key === 'writeReport' ? () => forbid('process.report.writeReport()') : Reflect.get(target, key, target),
    set: (_target, key) => forbid(`setting process.report.${String(key)}`),
    defineProperty: (_target, key) => forbid(`setting process.report.${String(key)}`),
  });
}

/**
 * Installed before each test file: vitest puts its own `process.exit` back after every file, and a worker
 * that grades a class runs many files.
 */
export function installProcessGuards(): void {
  const refuse = (call: string): never => {
    endedBy ??= call;
    throw new ProcessEndRefused(`${call} is not allowed while grading: the grader runs in this process`);
  };
  const forbid = (use: string): never => {
    forbiddenUse ??= use;
    throw new ProcessEndRefused(`${use} is not allowed while grading`);
  };
  // The ways around the import guard (grader/engine/import-guard.ts) and around the guards below.
  const getBuiltinModule = realGetBuiltinModule;
  if (getBuiltinModule) {
    Reflect.set(process, 'getBuiltinModule', (id: string) => {
      const name = builtinName(String(id)) ?? String(id);
      return ALLOWED_BUILTINS.has(name) ? getBuiltinModule(id) : forbid(`process.getBuiltinModule(${JSON.stringify(id)})`);
    });
  }
  // Messages to the grader's own process (vitest keeps its own reference; `_send`, which that reference
  // calls, stays), files written by a diagnostic
  // report, and process-wide settings: none is needed by an exercise, each could reach other learners.
  Reflect.set(process, 'send', () => forbid('process.send()'));
  Reflect.set(process, 'disconnect', () => forbid('process.disconnect()'));
  Reflect.set(process, 'umask', () => forbid('process.umask()'));
  for (const name of ['setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups']) {
    Reflect.set(process, name, () => forbid(`process.${name}()`));
  }
  // Reading a report is harmless (some libraries look up the C library in it); writing one writes a file.
  Object.defineProperty(process, 'report', { configurable: true, value: guardedReport(forbid) });
  Reflect.set(process, 'binding', (name: string) => forbid(`process.binding(${JSON.stringify(name)})`));
  Reflect.set(process, '_linkedBinding', (name: string) => forbid(`process._linkedBinding(${JSON.stringify(name)})`));
  Reflect.set(process, 'dlopen', () => forbid('process.dlopen()'));
  Reflect.set(process, 'chdir', (dir: string) => forbid(`process.chdir(${JSON.stringify(dir)})`));
  Reflect.set(process, 'setUncaughtExceptionCaptureCallback', () => forbid('process.setUncaughtExceptionCaptureCallback()'));
  Reflect.set(process, '_kill', (pid: number, signal?: number) => refuse(`process._kill(${describePid(pid)}, ${String(signal)})`));
  const args = (...values: unknown[]): string => values.filter((v) => v !== undefined).map((v) => JSON.stringify(v)).join(', ');
  process.exit = ((code?: number | string | null) => refuse(`process.exit(${args(code)})`)) as typeof process.exit;
  process.abort = (() => refuse('process.abort()')) as typeof process.abort;
  process.kill = ((pid: number, signal?: string | number) =>
    refuse(`process.kill(${[describePid(pid), args(signal)].filter(Boolean).join(', ')})`)) as typeof process.kill;
  // Undocumented, but reachable: what process.exit calls underneath.
  Reflect.set(process, 'reallyExit', () => refuse('process.reallyExit()'));
}

/**
 * vitest captures `console` and reports each line with the behaviour that printed it; a raw
 * `process.stdout.write` would bypass it. Route those through `console` too, so everything the
 * learner's code prints is shown beside its behaviour and never reaches the grader's own output.
 */
let writesCaptured = false;

export function captureRawWrites(): void {
  if (writesCaptured) return;
  writesCaptured = true;
  const route = (print: (text: string) => void) =>
    ((chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      print(text.endsWith('\n') ? text.slice(0, -1) : text);
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = route((text) => console.log(text));
  process.stderr.write = route((text) => console.error(text));
}

/**
 * Globals the suites and the fake clock rely on, and the built-ins any code leans on. Learner code that
 * replaces one (a global `setTimeout` that runs at once, a `Promise` subclass, an `Array.prototype.includes`
 * that always says yes) could make the suite see something other than what the code really does, so the
 * grader refuses to grade it rather than trust it.
 */
const WATCHED_GLOBALS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['Promise', () => globalThis.Promise],
  ['setTimeout', () => globalThis.setTimeout],
  ['clearTimeout', () => globalThis.clearTimeout],
  ['setInterval', () => globalThis.setInterval],
  ['clearInterval', () => globalThis.clearInterval],
  ['setImmediate', () => globalThis.setImmediate],
  ['clearImmediate', () => globalThis.clearImmediate],
  ['queueMicrotask', () => globalThis.queueMicrotask],
  ['structuredClone', () => globalThis.structuredClone],
  ['Date', () => globalThis.Date],
  ['performance', () => globalThis.performance],
  ['AbortController', () => globalThis.AbortController],
  ['AbortSignal', () => globalThis.AbortSignal],
  ['EventTarget', () => globalThis.EventTarget],
  ['Error', () => globalThis.Error],
  ['TypeError', () => globalThis.TypeError],
  ['RangeError', () => globalThis.RangeError],
  ['DOMException', () => globalThis.DOMException],
  ['process.nextTick', () => process.nextTick],
  ['process.exit', () => process.exit],
  ['process.kill', () => process.kill],
  ['process.abort', () => process.abort],
  ['process.emit', () => process.emit],
  ['process.on', () => process.on],
];

/** Objects whose own properties (methods, and which properties exist at all) must stay as they were. */
const WATCHED_OBJECTS: ReadonlyArray<readonly [string, object]> = [
  ['Object', Object],
  ['Object.prototype', Object.prototype],
  ['Function.prototype', Function.prototype],
  ['Array', Array],
  ['Array.prototype', Array.prototype],
  ['Promise', Promise],
  ['Promise.prototype', Promise.prototype],
  ['Math', Math],
  ['JSON', JSON],
  ['Reflect', Reflect],
  ['Number', Number],
  ['String.prototype', String.prototype],
  ['Map.prototype', Map.prototype],
  ['Set.prototype', Set.prototype],
  ['WeakMap.prototype', WeakMap.prototype],
  ['Symbol', Symbol],
  ['Error', Error],
  ['Error.prototype', Error.prototype],
  ['EventTarget.prototype', EventTarget.prototype],
  ['AbortController.prototype', AbortController.prototype],
  ['AbortSignal', AbortSignal],
  ['AbortSignal.prototype', AbortSignal.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['String', String],
  ['Symbol.prototype', Symbol.prototype],
  ['Date', Date],
  ['Date.prototype', Date.prototype],
  ['RegExp.prototype', RegExp.prototype],
  ['Function', Function],
  ['Map', Map],
  ['Set', Set],
  ['WeakSet.prototype', WeakSet.prototype],
  ['WeakRef.prototype', WeakRef.prototype],
  ['ArrayBuffer.prototype', ArrayBuffer.prototype],
  ['%TypedArray%.prototype', Object.getPrototypeOf(Uint8Array.prototype) as object],
  ['BigInt', BigInt],
  ['Atomics', Atomics],
  ['Intl', Intl],
  ['Event.prototype', Event.prototype],
  ['console', console],
  // Prototypes no global names, which every `for await`, generator and `break` goes through.
  ...HIDDEN_INTRINSICS,
];

// Kept before learner code loads, like `sameValue`.
const ownKeys = Reflect.ownKeys;
const ownDescriptor = Object.getOwnPropertyDescriptor;

export type GlobalsSnapshot = ReadonlyMap<string, unknown>;

/** The watched globals and built-in properties as they are now. */
export function snapshotGlobals(): GlobalsSnapshot {
  const values = new Map<string, unknown>();
  for (const [name, get] of WATCHED_GLOBALS) values.set(name, get());
  for (const [name, object] of WATCHED_OBJECTS) {
    const keys = ownKeys(object);
    values.set(`${name} (its properties)`, keys.map(String).join('\0'));
    for (const key of keys) {
      const descriptor = ownDescriptor(object, key);
      const label = `${name}.${String(key)}`;
      if (descriptor && 'value' in descriptor) values.set(label, descriptor.value);
      else if (descriptor) {
        values.set(`${label} (getter)`, descriptor.get);
        values.set(`${label} (setter)`, descriptor.set);
      }
    }
  }
  return values;
}

/** The watched globals that are no longer what they were in `snapshot`. */
function changedGlobals(snapshot: GlobalsSnapshot): string[] {
  const now = snapshotGlobals();
  const changed: string[] = [];
  for (const [name, value] of now) {
    if (!sameValue(value, snapshot.get(name))) changed.push(name);
  }
  return changed;
}

/**
 * Everything learner code did since `snapshot` that the grader cannot grade through, in words:
 * "replaced `Array.prototype.includes`", "used process.binding("fs")".
 */
export function tamperingSince(snapshot: GlobalsSnapshot): string[] {
  const found: string[] = [];
  const changed = changedGlobals(snapshot);
  if (changed.length > 0) found.push(`replaced ${changed.slice(0, 5).map((name) => `\`${name}\``).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}`);
  const use = takeForbiddenUse();
  if (use) found.push(`used ${use}`);
  if (unhandledListenersRemoved()) found.push("removed the listeners that report unhandled errors (process.on('unhandledRejection'))");
  return found;
}
