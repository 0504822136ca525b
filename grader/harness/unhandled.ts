/**
 * Unhandled rejections and uncaught exceptions raised by learner code. With a
 * listener of ours in place vitest leaves them to us. One raised while a
 * behaviour runs fails that behaviour; one raised while the file loads, or
 * between behaviours, is set aside and fails the whole exercise at the end.
 */
export interface Unhandled {
  reason: unknown;
  /** An unhandled promise rejection, or an exception thrown where nothing could catch it (a timer, nextTick). */
  origin: 'rejection' | 'exception';
}

const seen: Unhandled[] = [];
const outside: Unhandled[] = [];

// Kept before learner code loads (and before fake timers replace the global).
const realSetImmediate = globalThis.setImmediate;

const onRejection = (reason: unknown): void => {
  seen.push({ reason, origin: 'rejection' });
};

const onException = (error: unknown): void => {
  seen.push({ reason: error, origin: 'exception' });
  // A callback that throws from process.nextTick stops Node's tick queue and the microtasks
  // behind it until the next callback of the event loop; with the clock faked there may be
  // none, and the behaviour would wait for nothing. Give the loop one.
  realSetImmediate(() => {});
};

// Kept before learner code loads.
const listenersOf = process.listeners.bind(process);

let listening = false;

export function listenForUnhandled(): void {
  if (listening) return;
  listening = true;
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
}

/** Whether learner code removed the listeners that see its unhandled errors (and so could hide them). */
export function unhandledListenersRemoved(): boolean {
  return !listenersOf('unhandledRejection').includes(onRejection) || !listenersOf('uncaughtException').includes(onException);
}

/** Everything raised since the last call. */
export function takeUnhandled(): Unhandled[] {
  return seen.splice(0);
}

/** A behaviour is starting: whatever was raised before it belongs to no behaviour. */
export function setAsideUnhandled(): void {
  outside.push(...seen.splice(0));
}

/** Everything raised outside any behaviour, up to now. */
export function takeOutsideUnhandled(): Unhandled[] {
  return [...outside.splice(0), ...seen.splice(0)];
}
