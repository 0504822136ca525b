/**
 * Watching the promises the learner's code returns without ever waiting on
 * them in real time: a handler is attached at once (so a rejection we expect
 * is never "unhandled"), and the state is read after the clock has moved.
 */
import { Feedback, formatDetails, rethrowIfNotImplemented, show } from './feedback.ts';

export type Outcome<T> =
  | { state: 'pending' }
  | { state: 'fulfilled'; value: T }
  | { state: 'rejected'; reason: unknown };

export interface Tracked<T> {
  readonly outcome: Outcome<T>;
  readonly isPromise: boolean;
}

export function track<T>(value: PromiseLike<T> | T): Tracked<Awaited<T>> {
  let outcome: Outcome<Awaited<T>> = { state: 'pending' };
  const isPromise = value !== null && typeof value === 'object' && typeof (value as PromiseLike<T>).then === 'function';
  if (isPromise) {
    Promise.resolve(value as PromiseLike<Awaited<T>>).then(
      (v) => (outcome = { state: 'fulfilled', value: v }),
      (reason: unknown) => (outcome = { state: 'rejected', reason }),
    );
  } else {
    outcome = { state: 'fulfilled', value: value as Awaited<T> };
  }
  return {
    get outcome() {
      return outcome;
    },
    isPromise,
  };
}

function neverSettled(what: string): Feedback {
  const details = {
    expected: `${what} to settle`,
    received: 'it was still pending after every timer had run: it will never settle',
    hint: 'some path through your code never calls resolve or reject; a caller awaiting it would hang forever',
  };
  return new Feedback('never-settled', formatDetails(details), details);
}

/** The value, or a learner-facing failure when the promise rejected or is pending. */
export function fulfilledValue<T>(tracked: Tracked<T>, what: string): T {
  const { outcome } = tracked;
  if (outcome.state === 'pending') throw neverSettled(what);
  if (outcome.state === 'rejected') {
    rethrowIfNotImplemented(outcome.reason);
    const details = { expected: `${what} to resolve`, received: `it rejected with ${show(outcome.reason)}` };
    throw new Feedback('wrong', formatDetails(details), details);
  }
  return outcome.value;
}

/** The rejection reason, or a learner-facing failure when it resolved or is pending. */
export function rejectionReason(tracked: Tracked<unknown>, what: string): unknown {
  const { outcome } = tracked;
  if (outcome.state === 'pending') throw neverSettled(what);
  if (outcome.state === 'fulfilled') {
    const details = { expected: `${what} to reject`, received: `it resolved with ${show(outcome.value)}` };
    throw new Feedback('wrong', formatDetails(details), details);
  }
  rethrowIfNotImplemented(outcome.reason);
  return outcome.reason;
}

/** What a synchronous call did: returned a value or threw (a stub's "not implemented" passes straight through). */
export function attempt(f: () => unknown): { threw: true; error: unknown } | { threw: false; value: unknown } {
  try {
    return { threw: false, value: f() };
  } catch (error) {
    rethrowIfNotImplemented(error);
    return { threw: true, error };
  }
}

export function assertPromise(tracked: Tracked<unknown>, what: string): void {
  if (!tracked.isPromise) {
    const details = { expected: `${what} to return a promise`, received: 'it returned something that is not a promise' };
    throw new Feedback('wrong', formatDetails(details), details);
  }
}
