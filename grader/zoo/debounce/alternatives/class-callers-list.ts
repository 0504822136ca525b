/**
 * A class holding the burst's callers in an array of resolve/reject pairs, settled one by one
 *
 * `debounceAsync` builds a `Debouncer` and returns a regular function that forwards `this` and the
 * arguments to it. The trailing burst is an array of `{ resolve, reject }`, swapped for a fresh array
 * when fn is invoked; the invocation's outcome is awaited once and then handed to each caller. The
 * abort listener is a bound method, added when the array goes from empty to one caller.
 */

export interface DebounceOptions {
  /** Call `fn` at the start of a burst instead of at its end. Default false. */
  before?: boolean;
  /** Aborting rejects every caller still waiting with `signal.reason`. */
  signal?: AbortSignal;
}

interface Caller<T> {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

class Debouncer<This, A extends unknown[], R> {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #callers: Caller<Awaited<R>>[] = [];
  #latest: { thisArg: This; args: A } | null = null;
  #leading: Promise<Awaited<R>> | null = null;
  readonly #onAbort = this.abort.bind(this);

  constructor(
    private readonly fn: (this: This, ...args: A) => R | PromiseLike<R>,
    private readonly delay: number,
    private readonly leadingEdge: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {}

  call(thisArg: This, args: A): Promise<Awaited<R>> {
    if (this.signal?.aborted) return Promise.reject(this.signal.reason);
    return this.leadingEdge ? this.callLeading(thisArg, args) : this.callTrailing(thisArg, args);
  }

  private async run(thisArg: This, args: A): Promise<Awaited<R>> {
    return await this.fn.apply(thisArg, args);
  }

  private callLeading(thisArg: This, args: A): Promise<Awaited<R>> {
    const starts = this.#timer === null;
    if (!starts) clearTimeout(this.#timer!);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#leading = null;
    }, this.delay);
    if (starts) {
      // The burst exists before fn runs, so a call fn makes itself joins it.
      let settle!: (outcome: Promise<Awaited<R>>) => void;
      this.#leading = new Promise<Awaited<R>>((resolve) => (settle = resolve));
      settle(this.run(thisArg, args));
    }
    return this.#leading!;
  }

  private callTrailing(thisArg: This, args: A): Promise<Awaited<R>> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#latest = { thisArg, args };
    this.#timer = setTimeout(() => this.fire(), this.delay);
    return new Promise<Awaited<R>>((resolve, reject) => {
      if (this.#callers.length === 0) this.signal?.addEventListener('abort', this.#onAbort);
      this.#callers.push({ resolve, reject });
    });
  }

  private fire(): void {
    const callers = this.#callers;
    const { thisArg, args } = this.#latest!;
    this.#callers = [];
    this.#latest = null;
    this.#timer = null;
    this.signal?.removeEventListener('abort', this.#onAbort);
    this.run(thisArg, args).then(
      (value) => callers.forEach((caller) => caller.resolve(value)),
      (error: unknown) => callers.forEach((caller) => caller.reject(error)),
    );
  }

  private abort(): void {
    this.signal?.removeEventListener('abort', this.#onAbort);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#latest = null;
    const callers = this.#callers;
    this.#callers = [];
    for (const caller of callers) caller.reject(this.signal!.reason);
  }
}

export function debounceAsync<This, A extends unknown[], R>(
  fn: (this: This, ...args: A) => R | PromiseLike<R>,
  wait: number,
  options?: DebounceOptions,
): (this: This, ...args: A) => Promise<Awaited<R>> {
  if (typeof wait !== 'number' || Number.isNaN(wait) || wait === Infinity || wait === -Infinity) {
    throw new TypeError('wait must be a finite number');
  }
  const debouncer = new Debouncer(fn, wait < 0 ? 0 : wait, options?.before === true, options?.signal);
  return function (this: This, ...args: A) {
    return debouncer.call(this, args);
  };
}
