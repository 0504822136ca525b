/**
 * Practice tests for exercise 01 — pool. Run them with `npx vitest exercises/01-pool`.
 *
 * They check the basics only: passing them means you are on your way, not that you are done.
 * The grader (`npm run grade -- pool`) checks the whole contract: errors, the queue order,
 * the counters, changing concurrency, clearQueue, lazy input, and more.
 *
 * Every test settles its tasks by hand (a "deferred" promise), so nothing depends on real time.
 */
import { describe, it, expect } from 'vitest';
import { createLimiter, mapLimit } from './pool.ts';

/** A promise you resolve yourself, whenever the test decides the task is done. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Let every pending promise callback run (one turn of the event loop; no timer involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
  it("resolves with whatever fn returns, and passes fn the extra arguments", async () => {
    const limit = createLimiter(2);
    await expect(limit((a: number, b: number) => a + b, 2, 3)).resolves.toBe(5);
    await expect(limit(async () => 'from a promise')).resolves.toBe('from a promise');
  });

  it('runs at most 2 calls at once with concurrency 2, and starts the next when one finishes', async () => {
    const limit = createLimiter(2);
    const tasks = [deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const results = tasks.map((task, i) =>
      limit(() => {
        started.push(i);
        return task.promise;
      }),
    );

    await settle();
    expect(started).toEqual([0, 1]); // the third call waits for a free slot

    tasks[0]!.resolve('first');
    await settle();
    expect(started).toEqual([0, 1, 2]); // a slot freed up, so the third call started

    tasks[1]!.resolve('second');
    tasks[2]!.resolve('third');
    await expect(Promise.all(results)).resolves.toEqual(['first', 'second', 'third']);
  });
});

describe('mapLimit', () => {
  it('keeps the results in input order, even when later items finish first', async () => {
    const tasks = [deferred<string>(), deferred<string>(), deferred<string>()];
    const result = mapLimit(['a', 'b', 'c'], 3, (_item: string, index: number) => tasks[index]!.promise);

    await settle();
    tasks[2]!.resolve('C');
    tasks[1]!.resolve('B');
    tasks[0]!.resolve('A');
    await expect(result).resolves.toEqual(['A', 'B', 'C']);
  });

  it('calls the mapper with each item and its index', async () => {
    const result = await mapLimit(['x', 'y'], 1, (item: string, index: number) => `${index}:${item}`);
    expect(result).toEqual(['0:x', '1:y']);
  });
});
