/**
 * Passes one FailedAttempt object to the hooks for every attempt, changing its fields each time: a kept object shows later values
 *
 * From red team 2 (shared-ctx-object). The values are right when each hook is called, but a hook that keeps the
 * object it was given sees it turn into the next attempt's { error, attemptNumber, retriesLeft }.
 * @breaks calls onFailedAttempt after every failed attempt, the last one too, with { error, attemptNumber, retriesLeft }
 * @breaks calls shouldRetry after onFailedAttempt, only while retries are left, then waits the delay
 */

export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    const original = messageOrError instanceof Error ? messageOrError : new Error(messageOrError);
    super(original.message);
    this.originalError = original;
  }
}

export interface FailedAttempt {
  readonly error: Error;
  readonly attemptNumber: number;
  readonly retriesLeft: number;
}

export interface RetryOptions {
  retries?: number;
  minTimeout?: number;
  maxTimeout?: number;
  factor?: number;
  randomize?: boolean;
  onFailedAttempt?: (attempt: FailedAttempt) => void | Promise<void>;
  shouldRetry?: (attempt: FailedAttempt) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}

function num(name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new TypeError(`${name} must be a non-negative number`);
  return v;
}

function withAbort<T>(p: PromiseLike<T> | T, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return Promise.resolve(p);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(p).then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  const retries = num('retries', options.retries ?? 10);
  const minTimeout = num('minTimeout', options.minTimeout ?? 1000);
  const maxTimeout = num('maxTimeout', options.maxTimeout ?? Infinity);
  const factor = num('factor', options.factor ?? 2);
  const { randomize = false, onFailedAttempt, shouldRetry, signal } = options;

  signal?.throwIfAborted();
  const sharedCtx = {} as { error: Error; attemptNumber: number; retriesLeft: number };
  for (let attempt = 1; ; attempt++) {
    let value: Awaited<R>;
    try {
      value = (await withAbort(new Promise<R>((res) => res(input(attempt) as R)), signal)) as Awaited<R>;
      signal?.throwIfAborted();
      return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AbortError) throw error.originalError;
      const retriesLeft = retries - attempt + 1;
      Object.assign(sharedCtx, { error: error as Error, attemptNumber: attempt, retriesLeft });
      const ctx = sharedCtx as FailedAttempt;
      if (onFailedAttempt) await onFailedAttempt(ctx);
      if (retriesLeft <= 0) throw error;
      if (shouldRetry && !(await shouldRetry(ctx))) throw error;
      signal?.throwIfAborted();
      const r = randomize ? 1 + Math.random() : 1;
      const delay = Math.min(maxTimeout, Math.round(r * minTimeout * factor ** (attempt - 1)));
      await sleep(delay, signal);
    }
  }
}
