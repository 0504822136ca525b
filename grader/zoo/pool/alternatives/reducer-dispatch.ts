/**
 * An explicit state machine: a pure reducer over (state, event) -> { state, effects } and a tiny dispatcher.
 *
 * Every change (call, started, settled, clear, resize) is an event; `reduce` never calls a function or touches
 * a promise, it only names the jobs to launch or abort, and the dispatcher performs those effects. The waiting
 * line is a persistent two-list queue, so the reducer stays pure and O(1) amortised. A slot is reserved when a
 * job is admitted, but `activeCount` counts only jobs whose fn has really started. mapLimit is a self-scheduling
 * chain of limiter tasks (each takes one item, enqueues its successor, then maps); a bad concurrency rejects.
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

type Cons<T> = { readonly head: T; readonly tail: Cons<T> } | null;

interface Line<T> {
  readonly front: Cons<T>;
  readonly back: Cons<T>;
  readonly size: number;
}

const emptyLine: Line<never> = { front: null, back: null, size: 0 };

function enqueue<T>(line: Line<T>, item: T): Line<T> {
  return { front: line.front, back: { head: item, tail: line.back }, size: line.size + 1 };
}

function dequeue<T>(line: Line<T>): readonly [T, Line<T>] | undefined {
  let { front, back } = line;
  if (front === null) {
    for (; back !== null; back = back.tail) front = { head: back.head, tail: front };
  }
  if (front === null) return undefined;
  return [front.head, { front: front.tail, back, size: line.size - 1 }];
}

function drain<T>(line: Line<T>): T[] {
  const out: T[] = [];
  for (let c = line.front; c !== null; c = c.tail) out.push(c.head);
  const rest: T[] = [];
  for (let c = line.back; c !== null; c = c.tail) rest.push(c.head);
  return out.concat(rest.reverse());
}

interface Job {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

interface State {
  readonly limit: number;
  readonly launching: number;
  readonly running: number;
  readonly waiting: Line<Job>;
}

type Event =
  | { readonly type: 'call'; readonly job: Job }
  | { readonly type: 'started' }
  | { readonly type: 'settled' }
  | { readonly type: 'clear' }
  | { readonly type: 'resize'; readonly limit: number };

type Effect = { readonly type: 'launch'; readonly job: Job } | { readonly type: 'abort'; readonly job: Job };

interface Transition {
  readonly state: State;
  readonly effects: readonly Effect[];
}

function admit(state: State): Transition {
  const effects: Effect[] = [];
  let next = state;
  while (next.launching + next.running < next.limit) {
    const taken = dequeue(next.waiting);
    if (taken === undefined) break;
    effects.push({ type: 'launch', job: taken[0] });
    next = { ...next, launching: next.launching + 1, waiting: taken[1] };
  }
  return { state: next, effects };
}

function reduce(state: State, event: Event): Transition {
  switch (event.type) {
    case 'call':
      return admit({ ...state, waiting: enqueue(state.waiting, event.job) });
    case 'started':
      return { state: { ...state, launching: state.launching - 1, running: state.running + 1 }, effects: [] };
    case 'settled':
      return admit({ ...state, running: state.running - 1 });
    case 'resize':
      return admit({ ...state, limit: event.limit });
    case 'clear':
      return {
        state: { ...state, waiting: emptyLine },
        effects: drain(state.waiting).map((job): Effect => ({ type: 'abort', job })),
      };
  }
}

function checkConcurrency(value: unknown): number {
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 1)) return value;
  throw new TypeError(`Expected concurrency to be an integer >= 1 or Infinity, got ${String(value)}`);
}

export function createLimiter(concurrency: number): Limiter {
  let state: State = { limit: checkConcurrency(concurrency), launching: 0, running: 0, waiting: emptyLine };

  const dispatch = (event: Event): void => {
    const transition = reduce(state, event);
    state = transition.state;
    transition.effects.forEach(perform);
  };

  const perform = (effect: Effect): void => {
    const { job } = effect;
    if (effect.type === 'abort') {
      job.reject(new DOMException('The call was cleared from the queue before it started', 'AbortError'));
      return;
    }
    queueMicrotask(() => {
      dispatch({ type: 'started' });
      new Promise<unknown>((settle) => settle(job.run())).then(
        (value) => {
          job.resolve(value);
          dispatch({ type: 'settled' });
        },
        (reason: unknown) => {
          job.reject(reason);
          dispatch({ type: 'settled' });
        },
      );
    });
  };

  const limit = <A extends unknown[], R>(
    fn: (...args: A) => R | PromiseLike<R>,
    ...args: A
  ): Promise<Awaited<R>> =>
    new Promise<Awaited<R>>((resolve, reject) => {
      dispatch({ type: 'call', job: { run: () => fn(...args), resolve: (v) => resolve(v as Awaited<R>), reject } });
    });

  return Object.defineProperties(limit, {
    activeCount: { get: () => state.running, enumerable: true },
    pendingCount: { get: () => state.waiting.size, enumerable: true },
    concurrency: {
      get: () => state.limit,
      set: (value: number) => dispatch({ type: 'resize', limit: checkConcurrency(value) }),
      enumerable: true,
    },
    clearQueue: { value: () => dispatch({ type: 'clear' }), enumerable: true },
  }) as Limiter;
}

function cursor<T>(items: Iterable<T> | AsyncIterable<T>): () => IteratorResult<T> | Promise<IteratorResult<T>> {
  const asyncFactory = (items as Partial<AsyncIterable<T>> | null | undefined)?.[Symbol.asyncIterator];
  if (typeof asyncFactory === 'function') {
    const iterator = asyncFactory.call(items);
    return () => iterator.next();
  }
  const iterator = (items as Iterable<T>)[Symbol.iterator]();
  return () => iterator.next();
}

export async function mapLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T, index: number) => R | PromiseLike<R>,
): Promise<Awaited<R>[]> {
  const limit = createLimiter(concurrency);
  const pull = cursor(items);

  return new Promise<Awaited<R>[]>((resolve, reject) => {
    const results: Awaited<R>[] = [];
    let taken = 0;
    let inFlight = 0;
    let failed = false;

    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      limit.clearQueue();
      reject(error);
    };

    const step = async (): Promise<void> => {
      if (failed) return;
      const next = await pull();
      if (next.done || failed) return;
      const index = taken++;
      schedule();
      results[index] = await mapper(next.value, index);
    };

    const schedule = (): void => {
      inFlight += 1;
      limit(step).then(() => {
        inFlight -= 1;
        if (inFlight === 0 && !failed) resolve(results);
      }, fail);
    };

    schedule();
  });
}
