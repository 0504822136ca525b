/**
 * Unhandled rejections and uncaught exceptions raised by learner code. With a
 * listener of ours in place vitest leaves them to us; behaviours turn them
 * into failures, and anything raised between behaviours fails the module.
 */
export interface Unhandled {
  reason: unknown;
}

const seen: Unhandled[] = [];

export function listenForUnhandled(): void {
  process.on('unhandledRejection', (reason) => seen.push({ reason }));
  process.on('uncaughtException', (error) => seen.push({ reason: error }));
}

export function takeUnhandled(): Unhandled[] {
  return seen.splice(0);
}
