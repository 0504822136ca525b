/**
 * A linked-list queue whose dequeue forgets to reset the tail when it takes the last node
 *
 * Taking the last waiting call leaves `head` undefined but `tail` still pointing at the node just taken.
 * The next call made after the queue has emptied is linked behind that stale node, so `head` never sees
 * it: the pump finds no node and crashes, and the call never runs. Calls made before the queue first
 * empties work, which is all a suite that makes every call up front ever tries.
 * @breaks calls made after the waiting queue has emptied still start, once each and in order
 */


export interface Limiter {
  <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>>;
  /** Calls whose `fn` has started and not yet settled. */
  readonly activeCount: number;
  /** Calls waiting for a free slot. */
  readonly pendingCount: number;
  /** Can be changed at any time; same validation as `createLimiter`. */
  concurrency: number;
  /** Rejects every waiting call with an error whose `name` is "AbortError"; running calls are untouched. */
  clearQueue(): void;
}

function checkConcurrency(value: unknown): number {
  if (typeof value !== 'number' || !(value === Infinity || (Number.isInteger(value) && value >= 1))) {
    throw new TypeError('concurrency must be a positive integer or Infinity');
  }
  return value;
}

interface QueueNode {
  run: () => void;
  abort: (reason: unknown) => void;
  next: QueueNode | undefined;
}

class LimiterCore {
  private head: QueueNode | undefined = undefined;
  private tail: QueueNode | undefined = undefined;
  private size = 0;
  private running = 0;
  private max: number;

  constructor(concurrency: number) {
    this.max = checkConcurrency(concurrency);
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.size;
  }

  get concurrency(): number {
    return this.max;
  }

  set concurrency(value: number) {
    this.max = checkConcurrency(value);
    this.pumpLater();
  }

  schedule<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, args: A): Promise<Awaited<R>> {
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.enqueue({
        run: () => {
          this.running++;
          // The executor turns a synchronous throw into a rejection and adopts thenables.
          new Promise<Awaited<R>>((inner) => inner(fn(...args) as Awaited<R>))
            .then(resolve, reject)
            .then(() => {
              this.running--;
              this.pump();
            });
        },
        abort: reject,
        next: undefined,
      });
      this.pumpLater();
    });
  }

  clear(): void {
    let node = this.head;
    this.head = this.tail = undefined;
    this.size = 0;
    while (node !== undefined) {
      const error = new Error('Removed from the queue');
      error.name = 'AbortError';
      node.abort(error);
      node = node.next;
    }
  }

  private enqueue(node: QueueNode): void {
    if (this.tail === undefined) {
      this.head = this.tail = node;
    } else {
      this.tail.next = node;
      this.tail = node;
    }
    this.size++;
  }

  private dequeue(): QueueNode | undefined {
    const node = this.head;
    if (node !== undefined) {
      this.head = node.next;
      this.size--;
    }
    return node;
  }

  private pumpLater(): void {
    Promise.resolve().then(() => this.pump());
  }

  private pump(): void {
    while (this.running < this.max && this.size > 0) {
      this.dequeue()!.run();
    }
  }
}

export function createLimiter(concurrency: number): Limiter {
  const core = new LimiterCore(concurrency);
  const limit = <A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A) =>
    core.schedule(fn, args);
  Object.defineProperty(limit, 'activeCount', { get: () => core.active });
  Object.defineProperty(limit, 'pendingCount', { get: () => core.waiting });
  Object.defineProperty(limit, 'concurrency', {
    get: () => core.concurrency,
    set: (value: number) => {
      core.concurrency = value;
    },
  });
  Object.defineProperty(limit, 'clearQueue', { value: () => core.clear() });
  return limit as Limiter;
}

export function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  try {
    checkConcurrency(concurrency);
  } catch (error) {
    return Promise.reject(error);
  }
  const source = items as Partial<AsyncIterable<T>> & Partial<Iterable<T>>;
  const iterator: Iterator<T> | AsyncIterator<T> =
    typeof source[Symbol.asyncIterator] === 'function'
      ? source[Symbol.asyncIterator]!()
      : source[Symbol.iterator]!();

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    let taken = 0;
    let inFlight = 0;
    let reading = false;
    let ended = false;
    let stopped = false;

    const stop = (error: unknown): void => {
      if (stopped) return;
      stopped = true;
      reject(error);
      // Give a generator the chance to run its `finally`; nothing it does changes the outcome.
      Promise.resolve()
        .then(() => iterator.return?.())
        .then(undefined, () => undefined);
    };

    const launch = (): void => {
      if (stopped || ended || reading || inFlight >= concurrency) return;
      reading = true;
      Promise.resolve()
        .then(() => iterator.next())
        .then(
          (step) => {
            reading = false;
            if (stopped) return;
            if (step.done) {
              ended = true;
              if (inFlight === 0) resolve(results);
              return;
            }
            const index = taken++;
            inFlight++;
            Promise.resolve()
              .then(() => mapper(step.value, index))
              .then(
                (value) => {
                  results[index] = value as Awaited<R>;
                  inFlight--;
                  if (stopped) return;
                  if (ended && inFlight === 0) resolve(results);
                  else launch();
                },
                stop,
              );
            launch();
          },
          (error: unknown) => {
            reading = false;
            stop(error);
          },
        );
    };

    launch();
  });
}
