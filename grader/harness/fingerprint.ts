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

  /** One object as it was seen: its own keys, then for each a value (or a getter and a setter). */
  interface Seen {
    name: string;
    keys: PropertyKey[];
    values: unknown[];
  }
  const walkable = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function';
  // Which keys to skip depends only on the object's name and the key, so it is worked out once per pair.
  const skipped = new Map<string, boolean>();
  function skip(label: string): boolean {
    let result = skipped.get(label);
    if (result === undefined) {
      result = VOLATILE.test(label) || PROCESS_VOLATILE.test(label);
      skipped.set(label, result);
    }
    return result;
  }
  function walk(root: unknown, name: string, into: Seen[], visited: Set<unknown>, depth: number): void {
    if (!walkable(root) || visited.has(root)) return;
    visited.add(root);
    const keys = Reflect.ownKeys(root);
    const values: unknown[] = [];
    const next: Array<[unknown, string, number]> = [];
    for (const key of keys) {
      const label = name + '.' + String(key);
      if (skip(label)) {
        values.push(undefined, undefined);
        continue;
      }
      const descriptor = Reflect.getOwnPropertyDescriptor(root, key);
      if (!descriptor) values.push(undefined, undefined);
      else if ('value' in descriptor) {
        values.push(descriptor.value, undefined);
        if (depth > 0 && walkable(descriptor.value)) next.push([descriptor.value, label, SHALLOW.test(label) ? 0 : depth - 1]);
      } else values.push(descriptor.get, descriptor.set);
    }
    into.push({ name, keys, values });
    for (const [value, label, childDepth] of next) walk(value, label, into, visited, childDepth);
    const prototype = Reflect.getPrototypeOf(root);
    if (depth > 0 && prototype !== null) walk(prototype, name + ' (prototype)', into, visited, depth - 1);
  }
  function take(): Seen[] {
    const into: Seen[] = [];
    const visited = new Set<unknown>();
    for (const [name, root, depth] of roots) walk(root, name, into, visited, depth);
    const settings: unknown[] = [];
    const settingNames: string[] = [];
    for (const [name, read] of extras) {
      settingNames.push(name);
      try {
        settings.push(read());
      } catch {
        settings.push('unreadable');
      }
    }
    // Indexed, not iterated: the array comes from the graded realm, whose iterator learner code can replace.
    const events = names();
    for (let i = 0; i < events.length; i++) {
      settingNames.push('process listeners of ' + String(events[i]));
      settings.push(count(events[i]!));
    }
    into.push({ name: 'settings', keys: settingNames, values: settings });
    return into;
  }
  function differences(before: Seen[], now: Seen[]): string[] {
    const changed: string[] = [];
    const length = Math.max(before.length, now.length);
    for (let i = 0; i < length && changed.length <= 5; i++) {
      const a = before[i];
      const b = now[i];
      if (a === undefined || b === undefined || a.name !== b.name) {
        changed.push((a ?? b)!.name);
        break; // the walks diverged: the rest would only repeat it
      }
      if (a.keys.length !== b.keys.length || a.keys.some((key, k) => !Object.is(key, b.keys[k]))) {
        changed.push(a.name + ' (its keys)');
        continue;
      }
      for (let v = 0; v < a.values.length; v++) {
        if (!Object.is(a.values[v], b.values[v])) {
          changed.push(a.name === 'settings' ? String(a.keys[v >> 1]) : a.name + '.' + String(a.keys[v >> 1]));
          break;
        }
      }
    }
    return changed;
  }
  let before: Seen[] | undefined;
  return {
    begin(): void {
      before = take();
    },
    changes(): string {
      if (before === undefined) return '';
      const changed = differences(before, take());
      before = undefined;
      if (changed.length === 0) return '';
      return 'changed ' + changed.slice(0, 5).join(', ') + (changed.length > 5 ? ' and more' : '');
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
