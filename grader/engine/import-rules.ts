/**
 * What a learner's file may import, shared by the import guard (in the grader) and the process guards
 * (in the grading workers), which must not load the guard's own dependencies.
 */
import { builtinModules } from 'node:module';

/** Marks the refusal, so that the harness can word the load error for a learner. */
export const IMPORT_REFUSED = 'import refused by the grader';

/**
 * Node's built-in modules an exercise may use. The exercises need no files, processes, network or module
 * loader, and each of those could reach past the grader (its files, its process, vitest's own copy).
 */
export const ALLOWED_BUILTINS: ReadonlySet<string> = new Set([
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'diagnostics_channel', 'events', 'perf_hooks',
  'stream', 'stream/promises', 'stream/web', 'string_decoder', 'timers', 'timers/promises', 'url', 'util',
  'util/types',
]);

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** `node:fs` → `fs`; undefined when `source` is not one of Node's built-in modules. */
export function builtinName(source: string): string | undefined {
  const name = source.startsWith('node:') ? source.slice('node:'.length) : source;
  return source.startsWith('node:') || BUILTINS.has(name) ? name : undefined;
}

