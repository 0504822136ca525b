/**
 * A fingerprint of everything code could leave behind in a process for the next test file: the built-ins
 * reachable from `globalThis` and their prototypes, `process`, the exports of the built-in modules learner
 * code may import, hidden intrinsics (iterator and generator prototypes), process listeners and a few
 * process-wide settings.
 *
 * The code that takes and compares it runs in a realm of its own (`node:vm`, which learner code cannot
 * import), with its own `Array`, `Map` and `RegExp`, and hands back only a string: learner code that
 * replaces `Map.prototype.set` or `Array.prototype.join` in the graded realm cannot make it lie. It reads
 * the graded realm through property descriptors and never calls a getter there.
 */
import { runInNewContext } from 'node:vm';

export interface Fingerprinter {
  /** Take the fingerprint a file starts from. */
  begin(): void;
  /** What changed since `begin`, in words ('' when nothing). */
  changes(): string;
}

interface Roots {
  roots: Array<[string, unknown, number]>;
  extras: Array<[string, () => unknown]>;
  listeners: { names: () => Array<string | symbol>; count: (name: string | symbol) => number };
}

/** Evaluated as source in the checking realm: it must not use anything from this module's scope. */
function checker(setup: Roots) {
  const VOLATILE = /vitest|jest|chai|\$\$|__coverage__/i;
  // Objects whose methods are watched but whose insides are streams' state, which every write changes.
  const SHALLOW = /^globalThis\.console$/;
  // Node's own bookkeeping on `process`: the internal modules it has loaded, its IPC channel's buffers.
  const PROCESS_VOLATILE = /^process\.(?:moduleLoadList|Symbol\(kChannelHandle\)|_events|_eventsCount|channel)(?:\.|$| )/;
  const roots: Array<[string, unknown, number]> = [];
  for (let i = 0; i < setup.roots.length; i++) roots.push([String(setup.roots[i]![0]), setup.roots[i]![1], Number(setup.roots[i]![2])]);
  const extras: Array<[string, () => unknown]> = [];
  for (let i = 0; i < setup.extras.length; i++) extras.push([String(setup.extras[i]![0]), setup.extras[i]![1]]);
  const { names, count } = setup.listeners;

  const walkable = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';
  function walk(root: unknown, name: string, into: Map<string, unknown>, seen: Set<unknown>, depth: number): void {
    if (!walkable(root) || seen.has(root)) return;
    seen.add(root);
    const keys = Reflect.ownKeys(root);
    into.set(name + ' (keys)', keys.map((key) => String(key)).join('\0'));
    for (const key of keys) {
      const label = name + '.' + String(key);
      if (VOLATILE.test(label) || PROCESS_VOLATILE.test(label)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(root, key);
      if (!descriptor) continue;
      if ('value' in descriptor) {
        into.set(label, descriptor.value);
        if (depth > 0) walk(descriptor.value, label, into, seen, SHALLOW.test(label) ? 0 : depth - 1);
      } else {
        into.set(label + ' (get)', descriptor.get);
        into.set(label + ' (set)', descriptor.set);
      }
    }
    const prototype = Reflect.getPrototypeOf(root);
    if (depth > 0 && prototype !== null) walk(prototype, name + ' (prototype)', into, seen, depth - 1);
  }
  function take(): Map<string, unknown> {
    const into = new Map<string, unknown>();
    const seen = new Set<unknown>();
    for (const [name, root, depth] of roots) walk(root, name, into, seen, depth);
    for (const [name, read] of extras) {
      try {
        into.set(name, read());
      } catch {
        into.set(name, 'unreadable');
      }
    }
    // Indexed, not iterated: the array comes from the graded realm, whose iterator learner code can replace.
    const events = names();
    for (let i = 0; i < events.length; i++) into.set('process listeners of ' + String(events[i]), count(events[i]!));
    return into;
  }
  let before: Map<string, unknown> | undefined;
  return {
    begin(): void {
      before = take();
    },
    changes(): string {
      if (before === undefined) return '';
      const now = take();
      const changed: string[] = [];
      for (const [key, value] of now) if (!before.has(key) || !Object.is(before.get(key), value)) changed.push(key);
      for (const key of before.keys()) if (!now.has(key)) changed.push(key);
      before = undefined;
      if (changed.length === 0) return '';
      return 'changed ' + changed.slice(0, 5).join(', ') + (changed.length > 5 ? ' and ' + (changed.length - 5) + ' more' : '');
    },
  };
}

/** Built at load, before any learner code: the roots and the functions it reads through are the originals. */
export function createFingerprinter(roots: Roots): Fingerprinter {
  // `__name`: what the TypeScript transform wraps named functions in, harmless to provide.
  const make = runInNewContext(`(${checker.toString()})`, { __name: (fn: unknown) => fn }) as typeof checker;
  const made = make(roots);
  return { begin: () => made.begin(), changes: () => String(made.changes()) };
}
