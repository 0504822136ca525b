/**
 * Make every standard timer API follow the global timers, so that one
 * `vi.useFakeTimers()` drives them all. Without this a learner who imports
 * `setTimeout` from `node:timers` or `node:timers/promises`, or who uses
 * `AbortSignal.timeout`, would sleep in real time under a fake clock.
 *
 * Each bridge looks the global up at call time: real timers outside a
 * behaviour, fake ones inside.
 */
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import { syncBuiltinESMExports } from 'node:module';

function abortErrorFor(signal: AbortSignal): Error {
  // Node's own timers/promises reject with this shape.
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}

interface TimerPromiseOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

function promiseTimer<T>(
  schedule: (callback: () => void) => unknown,
  cancel: (handle: any) => void,
  value: T,
  options: TimerPromiseOptions = {},
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortErrorFor(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cancel(handle);
      reject(abortErrorFor(signal!));
    };
    const handle = schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function* promiseInterval<T>(delay: number, value: T, options: TimerPromiseOptions = {}): AsyncGenerator<T> {
  while (true) {
    yield await promiseTimer((cb) => globalThis.setTimeout(cb, delay), (h) => globalThis.clearTimeout(h), value, options);
  }
}

/**
 * Timers behind `AbortSignal.timeout` signals that have not fired yet. Node's own are unref'd and cannot be
 * cleared: code that uses them is not leaving a timer behind, so the suites do not count them (see
 * `pendingTimerCount`). Emptied whenever a new fake clock starts.
 */
const abortSignalTimers = new Set<unknown>();

export function pendingAbortSignalTimers(): number {
  return abortSignalTimers.size;
}

export function forgetAbortSignalTimers(): void {
  abortSignalTimers.clear();
}

let installed = false;

export function installTimerBridges(): void {
  if (installed) return;
  installed = true;
  const callbackApi = timers as unknown as Record<string, unknown>;
  for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']) {
    callbackApi[name] = (...args: unknown[]) => (globalThis as any)[name](...args);
  }

  const promiseApi = timersPromises as unknown as Record<string, unknown>;
  promiseApi.setTimeout = <T>(delay = 1, value?: T, options?: TimerPromiseOptions) =>
    promiseTimer((cb) => globalThis.setTimeout(cb, delay), (h) => globalThis.clearTimeout(h), value as T, options);
  promiseApi.setImmediate = <T>(value?: T, options?: TimerPromiseOptions) =>
    promiseTimer((cb) => globalThis.setImmediate(cb), (h) => globalThis.clearImmediate(h), value as T, options);
  promiseApi.setInterval = promiseInterval;
  const scheduler = promiseApi.scheduler as Record<string, unknown> | undefined;
  if (scheduler) {
    scheduler.wait = (delay: number, options?: TimerPromiseOptions) =>
      promiseTimer((cb) => globalThis.setTimeout(cb, delay), (h) => globalThis.clearTimeout(h), undefined, options);
    scheduler.yield = () =>
      promiseTimer((cb) => globalThis.setImmediate(cb), (h) => globalThis.clearImmediate(h), undefined);
  }
  syncBuiltinESMExports();

  AbortSignal.timeout = (delay: number): AbortSignal => {
    const controller = new AbortController();
    const handle: unknown = globalThis.setTimeout(() => {
      abortSignalTimers.delete(handle);
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, delay);
    abortSignalTimers.add(handle);
    return controller.signal;
  };
}
