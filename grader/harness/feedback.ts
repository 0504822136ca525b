/**
 * What a failed behaviour tells the learner. Suites never let a raw
 * assertion reach the report: every failure is a `Feedback` whose message is
 * written for a learner (what was expected, what happened, a nudge).
 */
import { inspect } from 'node:util';
import { displayPath } from '../common/shown-path.ts';

export type FeedbackKind =
  | 'wrong' // the code ran and did the wrong thing
  | 'not-implemented' // the stub's "not implemented" error
  | 'threw' // the learner's code threw where it should not have
  | 'unhandled' // a rejection or exception nobody handled
  | 'never-settled' // a promise that stayed pending after every timer ran
  | 'not-loaded' // the implementation file could not be loaded
  | 'ended-process' // the learner's code called process.exit, process.kill, ...
  | 'tampered'; // the learner's code replaced a global the suite relies on

export interface FeedbackDetails {
  expected: string;
  received: string;
  hint?: string;
}

export class Feedback extends Error {
  override name = 'Feedback';
  readonly graderFeedback: { kind: FeedbackKind } & Partial<FeedbackDetails>;

  constructor(kind: FeedbackKind, message: string, details: Partial<FeedbackDetails> = {}) {
    super(message);
    // An own enumerable property survives vitest's serialisation to the grader.
    this.graderFeedback = { kind, ...details };
  }
}

export function formatDetails({ expected, received, hint }: FeedbackDetails): string {
  const lines = [`expected: ${expected}`, `but got:  ${received}`];
  if (hint) lines.push(`hint:     ${hint}`);
  return lines.join('\n');
}

/** Fail the behaviour: the learner's code did something other than the contract asks. */
export function fail(details: FeedbackDetails): never {
  throw new Feedback('wrong', formatDetails(details), details);
}

export function check(condition: unknown, details: FeedbackDetails | (() => FeedbackDetails)): void {
  if (!condition) fail(typeof details === 'function' ? details() : details);
}

/** A value as a learner would write it: `[1, 2]`, `"a"`, `TypeError: boom`. */
export function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') {
    return 'a promise';
  }
  // An error inside a value is shown by its name and message: its stack frames are the grader's, not the learner's.
  return inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 12, maxStringLength: 80 }).replace(STACK_FRAMES, '');
}

const STACK_FRAMES = /(?:\n\s+at [^\n]*)+/g;

const NOT_IMPLEMENTED = /not implemented/i;

export function isNotImplemented(error: unknown): boolean {
  return error instanceof Error && NOT_IMPLEMENTED.test(error.message);
}

/** A stub's "not implemented" error is never an answer: let it reach the behaviour as such. */
export function rethrowIfNotImplemented(error: unknown): void {
  if (isNotImplemented(error)) throw error;
}

/** Where in the learner's files an error was thrown, if the stack says. */
export function learnerLocation(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (/node_modules|\/grader\/(harness|suites)\//.test(file) || file.startsWith('node:')) continue;
    return `${displayPath(file)}:${match[2]}:${match[3]}`;
  }
  return undefined;
}

/** Turn anything a behaviour threw into learner-facing feedback. */
export function toFeedback(error: unknown): Feedback {
  if (error instanceof Feedback) return error;
  const where = learnerLocation(error);
  const at = where ? ` (at ${where})` : '';
  if (isNotImplemented(error)) {
    const source = where ? `${where} still throws` : 'your code still throws';
    return new Feedback('not-implemented', `not implemented yet: ${source} "${(error as Error).message}"`);
  }
  const details = {
    expected: 'your code to run without throwing here',
    received: `it threw ${show(error)}${at}`,
    hint: 'read the error above; the line it names is where to start looking',
  };
  return new Feedback('threw', formatDetails(details), details);
}

export function unhandledFeedback(unhandled: { reason: unknown; origin: 'rejection' | 'exception' }, when?: string): Feedback {
  const { reason, origin } = unhandled;
  const where = learnerLocation(reason);
  const at = `${when ? ` ${when}` : ''}: ${show(reason)}${where ? ` (at ${where})` : ''}`;
  const details =
    origin === 'rejection'
      ? {
          expected: 'every promise your code creates to have its rejection handled',
          received: `an unhandled rejection${at}`,
          hint:
            'a default Node process crashes on this. Attach a .catch() (or await it) to every promise you start and do not return; ' +
            'remember that promise.finally(...) returns a new promise that rejects too',
        }
      : {
          expected: 'no exception thrown where nothing can catch it',
          received: `an uncaught exception${at}, thrown from a callback (a timer, process.nextTick, queueMicrotask, an event listener)`,
          hint: 'a default Node process crashes on this. Catch errors inside callbacks and pass them on: reject a promise, or call an error callback',
        };
  return new Feedback('unhandled', formatDetails(details), details);
}

/** The learner's code tried to end the process that grades it. */
export function endedProcessFeedback(call: string, when: string): Feedback {
  return new Feedback(
    'ended-process',
    `your code called ${call} ${when}: that ends the process, here the grader's and in a real program your whole server's. ` +
      'Return a value or throw an error instead',
  );
}

/** The learner's code changed the environment the suite measures with (see guards.ts). */
export function tamperedFeedback(what: string[], when: string): Feedback {
  return new Feedback(
    'tampered',
    `your code ${what.join('; ')} ${when}. The grader cannot trust results from code that changes the environment ` +
      'it measures with: use the built-ins, do not reassign them, and leave the process alone',
  );
}
