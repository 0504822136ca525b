/**
 * Awaits what input returns only when it is `instanceof Promise`: a rejecting thenable is never retried
 *
 * A non-Promise PromiseLike is taken as a success and handed to resolve(), which adopts its rejection: retry rejects after one call.
 * @breaks a thenable from input that rejects is a failed attempt, retried like a rejected promise
 */

export class AbortError extends Error {
  override readonly name = 'AbortError';
  readonly originalError: Error;

  constructor(messageOrError: string | Error) {
    super(typeof messageOrError === 'string' ? messageOrError : messageOrError.message);
    if (messageOrError instanceof Error) {
      this.originalError = messageOrError;
    } else {
      this.originalError = new Error(messageOrError);
    }
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

function checkNum(name: string, v: unknown, allowInf: boolean) {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0 || (!allowInf && v === Infinity && false)) {
    throw new TypeError(`${name} must be a non-negative number`);
  }
}

export async function retry<R>(
  input: (attemptNumber: number) => R | PromiseLike<R>,
  options: RetryOptions = {},
): Promise<Awaited<R>> {
  const retries = options.retries ?? 10;
  const minTimeout = options.minTimeout ?? 1000;
  const maxTimeout = options.maxTimeout ?? Infinity;
  const factor = options.factor ?? 2;
  checkNum('retries', retries, true);
  checkNum('minTimeout', minTimeout, true);
  checkNum('maxTimeout', maxTimeout, true);
  checkNum('factor', factor, true);
  const { randomize = false, onFailedAttempt, shouldRetry, signal } = options;

  if (signal?.aborted) throw signal.reason;

  return new Promise<Awaited<R>>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake: (() => void) | undefined;
    const finish = (ok: boolean, v: unknown) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (ok) resolve(v as Awaited<R>); else reject(v);
    };
    const onAbort = () => finish(false, signal!.reason);
    signal?.addEventListener('abort', onAbort);

    (async () => {
      for (let n = 1; ; n++) {
        let value: Awaited<R>;
        try {
          { const x = input(n); value = (x instanceof Promise ? await x : x) as Awaited<R>; }
        } catch (err) {
          if (settled) return;
          if (err instanceof AbortError) return finish(false, err.originalError);
          const retriesLeft = Math.max(0, retries + 1 - n);
          const attempt: FailedAttempt = { error: err as Error, attemptNumber: n, retriesLeft };
          if (onFailedAttempt) await onFailedAttempt(attempt);
          if (settled) return;
          if (retriesLeft <= 0) return finish(false, err);
          if (shouldRetry && !(await shouldRetry(attempt))) return finish(false, err);
          if (settled) return;
          const r = randomize ? 1 + Math.random() : 1;
          const delay = Math.min(maxTimeout, Math.round(r * minTimeout * factor ** (n - 1)));
          await new Promise<void>((res) => { wake = res; timer = setTimeout(() => { timer = undefined; res(); }, delay); });
          if (settled) return;
          continue;
        }
        return finish(true, value);
      }
    })().catch((e) => finish(false, e));
  });
}
