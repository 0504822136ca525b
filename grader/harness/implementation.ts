/**
 * Loading the learner's file. A file that does not parse, throws while it
 * loads, or lacks an export must not crash the suite: every behaviour then
 * reports the same load failure, and the grader marks the exercise `error`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { pidFileName } from '../engine/watchdog.ts';
import { Feedback, learnerLocation } from './feedback.ts';

let loadFailure: Feedback | undefined;

export function currentLoadFailure(): Feedback | undefined {
  return loadFailure;
}

/** Tell the grader's watchdog which process runs this exercise, before any learner code runs. */
function announceToWatchdog(exercise: string): void {
  const runDir = inject('graderRunDir');
  const candidate = inject('graderCandidate');
  if (!runDir || !candidate) return; // a bare `vitest run` has no watchdog
  writeFileSync(join(runDir, pidFileName(candidate, exercise)), String(process.pid));
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** "file:line:col: syntax error: words", and the line itself with a caret under the spot. */
function describeSyntaxError(text: string): string | undefined {
  const words = /\[PARSE_ERROR\]\s*(.+)/.exec(text)?.[1] ?? /SyntaxError: (.+)/.exec(text)?.[1];
  const where = /\[\s*([^\s\]]+):(\d+):(\d+)\s*\]/.exec(text);
  if (!words || !where) return undefined;
  const [, file, line, column] = where;
  let excerpt = '';
  try {
    const source = readFileSync(resolve(process.cwd(), file!), 'utf8').split('\n')[Number(line) - 1];
    if (source !== undefined) {
      const gutter = `${line} | `;
      excerpt = `\n    ${gutter}${source}\n    ${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, Number(column) - 1))}^`;
    }
  } catch {
    // Without the source the location alone still helps.
  }
  return `${file}:${line}:${column}: syntax error: ${words.trim()}${excerpt}`;
}

function describeLoadError(error: unknown, file: string): string {
  const raw = (error instanceof Error ? error.message : String(error)).replace(ANSI, '');
  const text = raw.split(process.cwd() + '/').join('');
  const syntax = describeSyntaxError(text);
  if (syntax) return syntax;
  const name = error instanceof Error ? error.name : 'Error';
  const where = learnerLocation(error);
  return `${file} threw ${name}: ${text.split('\n')[0]} while loading${where ? ` (at ${where})` : ''}`;
}

export interface ImplementationSpec {
  exercise: string;
  /** The file as the learner knows it, for messages, when the grader does not say: `exercises/01-pool/pool.ts`. */
  file: string;
  load: () => Promise<Record<string, unknown>>;
  /** Export name → what it must be. */
  exports: Record<string, 'function'>;
}

export async function loadImplementation<M>(spec: ImplementationSpec): Promise<M> {
  announceToWatchdog(spec.exercise);
  // The grader knows where the file really is (exercises/, a workspace, the zoo).
  const file = inject('graderFiles')?.[spec.exercise] ?? spec.file;
  let module: Record<string, unknown>;
  try {
    module = await spec.load();
  } catch (error) {
    loadFailure = new Feedback('not-loaded', describeLoadError(error, file));
    return {} as M;
  }
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(spec.exports)) {
    if (typeof module[name] === kind) continue;
    const inDefault = (module.default as Record<string, unknown> | undefined)?.[name];
    problems.push(
      inDefault !== undefined
        ? `\`${name}\` is inside the default export; export it by name (\`export function ${name}\`)`
        : module[name] === undefined
          ? `there is no export named \`${name}\` (expected a ${kind}; check the spelling)`
          : `the export \`${name}\` is not a ${kind}`,
    );
  }
  if (problems.length > 0) {
    loadFailure = new Feedback('not-loaded', `${file}: ${problems.join('; ')}`);
  }
  return module as M;
}

