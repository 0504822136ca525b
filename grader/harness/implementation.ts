/**
 * Loading the learner's file. A file that does not parse, throws while it
 * loads, or lacks an export must not crash the suite: every behaviour then
 * reports the same load failure, and the grader marks the exercise `error`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripTerminalCodes } from '../common/terminal-codes.ts';
import { IMPORT_REFUSED } from '../engine/import-rules.ts';
import { LOADING_STEP, pidFileName, stepFileName, watchdogKey } from '../engine/worker-protocol.ts';
import { advance, useFakeClock, useRealClock } from './clock.ts';
import { endedProcessFeedback, Feedback, learnerLocation, show, tamperedFeedback } from './feedback.ts';
import { gradingContext } from './context.ts';
import { snapshotGlobals, takeProcessEndAttempt, tamperingSince } from './guards.ts';
import { markDirty } from './reuse.ts';
import { takeUnhandled, type Unhandled } from './unhandled.ts';

let loadFailure: Feedback | undefined;

export function currentLoadFailure(): Feedback | undefined {
  return loadFailure;
}

/** A reused worker starts a new file: the previous candidate's failure is not this one's. */
export function resetLoadFailure(): void {
  loadFailure = undefined;
}

/** Tell the grader's watchdog which process runs this exercise, before any learner code runs. */
let stepFile: string | undefined;

function announceToWatchdog(exercise: string): void {
  const { runDir, candidate } = gradingContext();
  stepFile = undefined;
  if (!runDir || !candidate) return; // a bare `vitest run` has no watchdog
  stepFile = join(runDir, stepFileName(watchdogKey(candidate, exercise)));
  announceStep(LOADING_STEP);
  writeFileSync(join(runDir, pidFileName(candidate, exercise)), String(process.pid));
}

/**
 * Tell the watchdog what runs now (a behaviour's name, or the file loading), synchronously, before it
 * runs: if the process is stopped, the report names where, whatever had been reported by then.
 */
export function announceStep(step: string): void {
  if (stepFile === undefined) return;
  try {
    writeFileSync(stepFile, step);
  } catch {
    // Without it the report only lacks the name of the step.
  }
}

/** "file:line:col: syntax error: words", and the line itself with a caret under the spot. */
function describeSyntaxError(text: string): string | undefined {
  const words = /\[PARSE_ERROR\]\s*(.+)/.exec(text)?.[1] ?? /SyntaxError: (.+)/.exec(text)?.[1];
  const where = /\[\s*([^\s\]]+):(\d+):(\d+)\s*\]/.exec(text);
  if (!words || !where) return undefined;
  const [, reported, line, column] = where;
  // Shown relative to the repository when inside it, absolute otherwise (never "../../tmp/...").
  const file = reported!.startsWith('..') ? resolve(process.cwd(), reported!) : reported!;
  let excerpt = '';
  try {
    const source = readFileSync(resolve(process.cwd(), file), 'utf8').split('\n')[Number(line) - 1];
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
  const raw = stripTerminalCodes(error instanceof Error ? error.message : String(error));
  const text = raw.split(process.cwd() + '/').join('');
  const refused = text.indexOf(IMPORT_REFUSED);
  if (refused >= 0) return text.slice(refused + IMPORT_REFUSED.length + 2).split('\n')[0]!;
  const syntax = describeSyntaxError(text);
  if (syntax) return syntax;
  const name = error instanceof Error ? error.name : 'Error';
  const where = learnerLocation(error);
  return `${file} threw ${name}: ${text.split('\n')[0]} while loading${where ? ` (at ${where})` : ''}`;
}

export interface ImplementationSpec {
  /** The suite's own `import.meta.url`: its name, `<id>.suite.ts`, says which exercise it grades. */
  suite: string;
  load: () => Promise<Record<string, unknown>>;
  /** Export name → what it must be. */
  exports: Record<string, 'function'>;
}

/** Fake time run while the file loads, so that timers it starts at import fire (deterministically) before grading. */
const IMPORT_TIMERS_MS = 60_000;

interface Loaded {
  module?: Record<string, unknown>;
  error?: unknown;
  unhandled: Unhandled[];
  endedBy?: string;
  tampering: string[];
}

/**
 * Import the learner's file on the fake clock, then let the timers it started fire, so anything it
 * throws or leaves unhandled while loading is seen here, every run, and not in a random behaviour.
 */
async function importOnFakeClock(load: () => Promise<Record<string, unknown>>): Promise<Loaded> {
  useFakeClock();
  const globals = snapshotGlobals();
  const loaded: Loaded = { unhandled: [], tampering: [] };
  try {
    try {
      loaded.module = await load();
    } catch (error) {
      loaded.error = error;
    }
    try {
      await advance(IMPORT_TIMERS_MS);
    } catch (error) {
      // Thrown by a timer the file started: in a real process, an uncaught exception.
      loaded.unhandled.push({ reason: error, origin: 'exception' });
    }
  } finally {
    loaded.endedBy = takeProcessEndAttempt();
    loaded.tampering = tamperingSince(globals);
    loaded.unhandled.push(...takeUnhandled());
    useRealClock();
  }
  return loaded;
}

/** `file:///…/grader/suites/circuit-breaker.suite.ts` (or the learner edition's `.suite.js`) → `circuit-breaker`. */
export function exerciseOfSuite(suiteUrl: string): string {
  const name = basename(fileURLToPath(suiteUrl));
  const id = /^(.+)\.suite\.[cm]?[jt]s$/.exec(name)?.[1];
  if (id === undefined) throw new Error(`grader: a hidden suite is named <exercise id>.suite.ts, not ${name}`);
  return id;
}

export async function loadImplementation<M>(spec: ImplementationSpec): Promise<M> {
  const exercise = exerciseOfSuite(spec.suite);
  announceToWatchdog(exercise);
  // The grader knows where the file really is (exercises/, a workspace, the zoo); a bare vitest run does not.
  const context = gradingContext();
  const file = context.files?.[exercise] ?? `the ${exercise} implementation`;
  const path = context.imports?.[exercise];
  const loaded = await importOnFakeClock(path === undefined ? spec.load : () => import(/* @vite-ignore */ path));
  if (loaded.endedBy || loaded.tampering.length > 0) markDirty(`while ${file} loaded: ${loaded.endedBy ?? loaded.tampering.join('; ')}`);
  if (loaded.endedBy) {
    loadFailure = endedProcessFeedback(loaded.endedBy, `while ${file} loaded`);
    return {} as M;
  }
  if (loaded.tampering.length > 0) {
    loadFailure = tamperedFeedback(loaded.tampering, `while ${file} loaded`);
    return {} as M;
  }
  if (loaded.error !== undefined || loaded.module === undefined) {
    loadFailure = new Feedback('not-loaded', describeLoadError(loaded.error, file));
    return {} as M;
  }
  const [unhandled] = loaded.unhandled;
  if (unhandled !== undefined) {
    const where = learnerLocation(unhandled.reason);
    const what = unhandled.origin === 'rejection' ? 'a promise rejection nobody handled' : 'an exception nobody caught';
    loadFailure = new Feedback(
      'not-loaded',
      `${file} raised ${what} while it loaded: ${show(unhandled.reason)}${where ? ` (at ${where})` : ''}. ` +
        'A default Node process crashes on this; handle it, or do not start work when the file is imported',
    );
    return {} as M;
  }
  const module = loaded.module;
  const problems: string[] = [];
  for (const [name, kind] of Object.entries(spec.exports)) {
    if (typeof module[name] === kind) continue;
    const fallback = module.default as Record<string, unknown> | undefined;
    const defaultIsIt = typeof fallback === 'function' && (fallback as { name?: unknown }).name === name;
    const inDefault = fallback?.[name] ?? (defaultIsIt ? fallback : undefined);
    problems.push(
      inDefault === fallback && inDefault !== undefined
        ? `\`${name}\` is the default export; export it by name (\`export function ${name}\`, without \`default\`)`
        : inDefault !== undefined
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

