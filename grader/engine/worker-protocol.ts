/**
 * The protocol between the grader and its grading workers, in one place: what the grader hands a worker
 * (the context it `provide`s, or writes into a generated test file), and what a worker leaves in the run
 * folder for the grader (its pid and current step for the watchdog, a clean or dirty marker for reuse),
 * and the token by which a behaviour's pass is known to be the harness's own.
 *
 * Both sides load this module: the grader (engine/) and the harness inside each worker. So it imports
 * nothing at run time, and holds only names and shapes.
 */

/** Which candidate and exercise a test file grades, as the harness reads it (grader/harness/context.ts). */
export interface GradingContext {
  runDir: string | undefined;
  candidate: string | undefined;
  /** Exercise id → the implementation file, as the learner knows it. */
  files: Record<string, string> | undefined;
  /** Exercise id → the absolute path to import; absent when the suite's own `@impl` alias points there. */
  imports?: Record<string, string>;
  shuffleSeed: number | undefined;
}

declare module 'vitest' {
  interface TaskMeta {
    points?: number;
    /** Position in the suite as written: reports keep this order even when the run was shuffled. */
    order?: number;
    /** Written by the harness when the behaviour's checks passed: the run's verdict token (below). */
    graderVerdict?: string;
  }
  interface ProvidedContext {
    graderRunDir: string;
    graderCandidate: string;
    /** Exercise id → the implementation file, as the learner knows it. */
    graderFiles: Record<string, string>;
    /** When set, the behaviours of each task run in an order shuffled with this seed. */
    graderShuffleSeed: number | undefined;
    graderVerdictToken: string | undefined;
  }
}

let token: string | undefined;

/**
 * Given to the grading workers (`provide`); the harness writes it into a behaviour's meta only when the
 * behaviour's own checks passed. A test that vitest reports as passed without it was made to pass by
 * something else: learner code that reached into the test runner. Not a secret from code determined to find
 * it, but no honest mistake or casual hack gets past it. Made on first use, in the grader's process only.
 */
export function verdictToken(): string {
  token ??= globalThis.crypto.randomUUID();
  return token;
}

/** What a project grading one candidate provides to its workers. */
export function candidateContext(context: { runDir: string; candidate: string; files: Record<string, string>; shuffleSeed: number | undefined }) {
  return {
    graderRunDir: context.runDir,
    graderCandidate: context.candidate,
    graderFiles: context.files,
    graderShuffleSeed: context.shuffleSeed,
    graderVerdictToken: verdictToken(),
  };
}

/** What the project shared by a class provides: each generated file names its own candidate (pairFileSource). */
export function sharedContext(runDir: string) {
  return { graderRunDir: runDir, graderVerdictToken: verdictToken() };
}

/** A generated test file for one (candidate, exercise) pair: enter its context, then load the suite. */
export function pairFileSource(contextModule: string, context: GradingContext, suite: string): string {
  return (
    `import { enterGrading } from ${JSON.stringify(contextModule)};\n` +
    `enterGrading(${JSON.stringify(context)});\n` +
    `await import(${JSON.stringify(suite)});\n`
  );
}

/** The watchdog's name for one (candidate, exercise) pair, and the stem of its files in the run folder. */
export function watchdogKey(candidateId: string, exerciseId: string): string {
  return `${encodeURIComponent(candidateId)}--${exerciseId}`;
}

const PID_SUFFIX = '.pid';
const STEP_SUFFIX = '.step';

/** The file in which the worker grading this pair writes its process id, before any learner code loads. */
export function pidFileName(candidateId: string, exerciseId: string): string {
  return watchdogKey(candidateId, exerciseId) + PID_SUFFIX;
}

/** The pair a pid file in the run folder belongs to (its watchdog key), or undefined for any other file. */
export function keyOfPidFile(name: string): string | undefined {
  return name.endsWith(PID_SUFFIX) ? name.slice(0, -PID_SUFFIX.length) : undefined;
}

/** Beside the pid file: what the worker is running for this pair (a behaviour's name, or LOADING_STEP). */
export function stepFileName(key: string): string {
  return key + STEP_SUFFIX;
}

/** The step announced while the learner's file loads, before any behaviour runs. */
export const LOADING_STEP = '(loading the file)';

/** A reusable worker writes this after each file it leaves clean: `clean-<pid>-<files graded so far>`. */
export function cleanMarkerName(pid: number, files: number): string {
  return `clean-${pid}-${files}`;
}

/** Why the worker must not be reused, for whoever debugs a run. */
export function dirtyMarkerName(pid: number): string {
  return `dirty-${pid}`;
}
