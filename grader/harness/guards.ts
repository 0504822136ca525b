/**
 * Learner code runs in the process that grades it. Installed before any
 * learner code loads, these guards stop it from ending that process (or
 * signalling the grader) and remember that it tried: such code never passes,
 * even if it catches the error the guard throws.
 */

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

export function installProcessGuards(): void {
  const refuse = (call: string): never => {
    endedBy ??= call;
    throw new ProcessEndRefused(`${call} is not allowed while grading: the grader runs in this process`);
  };
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
export function captureRawWrites(): void {
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
 * Globals the suites and the fake clock rely on. Learner code that replaces
 * one (a global `setTimeout` that runs at once, a `Promise` subclass) could
 * make the suite see something other than what a learner's code really does,
 * so the grader refuses to grade it rather than trust it.
 */
const WATCHED: ReadonlyArray<readonly [string, () => unknown]> = [
  ['Promise', () => globalThis.Promise],
  ['Promise.prototype.then', () => Promise.prototype.then],
  ['Promise.prototype.catch', () => Promise.prototype.catch],
  ['Promise.prototype.finally', () => Promise.prototype.finally],
  ['Promise.resolve', () => Promise.resolve],
  ['Promise.reject', () => Promise.reject],
  ['Promise.all', () => Promise.all],
  ['Promise.allSettled', () => Promise.allSettled],
  ['Promise.race', () => Promise.race],
  ['Promise.any', () => Promise.any],
  ['setTimeout', () => globalThis.setTimeout],
  ['clearTimeout', () => globalThis.clearTimeout],
  ['setInterval', () => globalThis.setInterval],
  ['clearInterval', () => globalThis.clearInterval],
  ['setImmediate', () => globalThis.setImmediate],
  ['clearImmediate', () => globalThis.clearImmediate],
  ['queueMicrotask', () => globalThis.queueMicrotask],
  ['process.nextTick', () => process.nextTick],
  ['process.exit', () => process.exit],
  ['process.kill', () => process.kill],
  ['process.abort', () => process.abort],
  ['Date', () => globalThis.Date],
  ['Date.now', () => Date.now],
  ['AbortController', () => globalThis.AbortController],
  ['AbortSignal', () => globalThis.AbortSignal],
  ['AbortSignal.timeout', () => AbortSignal.timeout],
  ['EventTarget.prototype.addEventListener', () => EventTarget.prototype.addEventListener],
  ['EventTarget.prototype.removeEventListener', () => EventTarget.prototype.removeEventListener],
  ['EventTarget.prototype.dispatchEvent', () => EventTarget.prototype.dispatchEvent],
  ['Error', () => globalThis.Error],
  ['Object.is', () => Object.is],
  ['Object.freeze', () => Object.freeze],
  ['Object.defineProperty', () => Object.defineProperty],
  ['Object.getPrototypeOf', () => Object.getPrototypeOf],
  ['Function.prototype.call', () => Function.prototype.call],
  ['Function.prototype.apply', () => Function.prototype.apply],
  ['Function.prototype.bind', () => Function.prototype.bind],
  ['Reflect.apply', () => Reflect.apply],
  ['Array.prototype.push', () => Array.prototype.push],
  ['JSON.stringify', () => JSON.stringify],
];

export type GlobalsSnapshot = ReadonlyMap<string, unknown>;

export function snapshotGlobals(): GlobalsSnapshot {
  return new Map(WATCHED.map(([name, read]) => [name, read()]));
}

/** The watched globals that are no longer what they were in `snapshot`. */
export function changedGlobals(snapshot: GlobalsSnapshot): string[] {
  return WATCHED.filter(([name, read]) => !sameValue(read(), snapshot.get(name))).map(([name]) => name);
}
