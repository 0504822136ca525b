import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { blockFileName, extractBlocks, registersTests, toTestFile, writeLessonBlocks } from '../dev/lesson-blocks.ts';
import { guardTimer, placeInLesson, REAL_CLOCK_MARKER, realTimerMessage, waitsForRealTime } from '../dev/lesson-real-timers.ts';

describe('extractBlocks', () => {
  test('takes only blocks whose info string is exactly ts, with the line of the opening fence', () => {
    const markdown = [
      '# Title', // 1
      '', // 2
      '```ts', // 3
      'const a = 1;', // 4
      '```', // 5
      '```sh', // 6
      'npm test', // 7
      '```', // 8
      '```typescript', // 9
      'const b = 2;', // 10
      '```', // 11
      '```ts title="x"', // 12
      'const c = 3;', // 13
      '```', // 14
      '```text', // 15
      'drawing', // 16
      '```', // 17
      '  ```ts  ', // 18: indented and padded, still exactly `ts` once trimmed
      'const d = 4;', // 19
      '  ```', // 20
    ].join('\n');
    expect(extractBlocks(markdown)).toEqual([
      { code: 'const a = 1;\n', line: 3 },
      { code: 'const d = 4;\n', line: 18 },
    ]);
  });

  test('keeps blank lines and indentation inside a block', () => {
    const markdown = '```ts\nfunction f() {\n\n  return 1;\n}\n```\n';
    expect(extractBlocks(markdown)).toEqual([{ code: 'function f() {\n\n  return 1;\n}\n', line: 1 }]);
  });

  test('does not take a ts fence shown inside a longer or different fence', () => {
    const markdown = [
      '````md', // 1
      '```ts', // 2
      'const hidden = 1;', // 3
      '```', // 4
      '````', // 5
      '~~~text', // 6
      '```ts', // 7
      'const alsoHidden = 2;', // 8
      '```', // 9
      '~~~', // 10
      '~~~ts', // 11
      'const tilde = 3;', // 12
      '~~~', // 13
    ].join('\n');
    expect(extractBlocks(markdown)).toEqual([{ code: 'const tilde = 3;\n', line: 11 }]);
  });

  test('handles CRLF line endings and an empty block', () => {
    expect(extractBlocks('text\r\n```ts\r\nconst a = 1;\r\n```\r\n```ts\r\n```\r\n')).toEqual([
      { code: 'const a = 1;\n', line: 2 },
      { code: '', line: 5 },
    ]);
  });

  test('a block left open runs to the end of the document', () => {
    expect(extractBlocks('```ts\nconst a = 1;')).toEqual([{ code: 'const a = 1;\n', line: 1 }]);
  });
});

describe('registersTests', () => {
  test('is true when test or it is imported from vitest, renamed or not', () => {
    expect(registersTests("import { expect, test } from 'vitest';")).toBe(true);
    expect(registersTests('import { it } from "vitest";')).toBe(true);
    expect(registersTests("import {\n  vi,\n  test as check,\n} from 'vitest';")).toBe(true);
  });

  test('is false for other imports from vitest or test imported from elsewhere', () => {
    expect(registersTests("import { vi, expect } from 'vitest';")).toBe(false);
    expect(registersTests("import type { TestContext } from 'vitest';")).toBe(false);
    expect(registersTests("import { test } from 'node:test';")).toBe(false);
    expect(registersTests("import { items } from 'vitest';")).toBe(false);
    expect(registersTests('console.log(1);')).toBe(false);
  });
});

describe('toTestFile and blockFileName', () => {
  test('a block without tests gets one trivial test appended, after its own lines', () => {
    const file = toTestFile({ code: 'await Promise.resolve();\n', line: 7 }, 'lessons/00-x.md');
    expect(file.startsWith('await Promise.resolve();\n')).toBe(true);
    expect(registersTests(file)).toBe(true);
    expect(file).toContain('lessons/00-x.md');
  });

  test('a block with its own tests is written as it is', () => {
    const code = "import { test } from 'vitest';\ntest('x', () => {});\n";
    const file = toTestFile({ code, line: 3 }, 'lessons/00-x.md');
    expect(file.startsWith(code)).toBe(true);
    expect(file.slice(code.length)).not.toContain('vitest');
  });

  test('file names carry the block number and the lesson line', () => {
    expect(blockFileName(3, 42)).toBe('block-03-line042.test.ts');
    expect(blockFileName(12, 1234)).toBe('block-12-line1234.test.ts');
  });
});

describe('writeLessonBlocks', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  test('recreates the output folder with one file per block, per lesson', () => {
    root = mkdtempSync(join(tmpdir(), 'lesson-blocks-'));
    mkdirSync(join(root, 'lessons'));
    writeFileSync(join(root, 'lessons', '00-a.md'), '# A\n```ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\n```\n');
    writeFileSync(join(root, 'lessons', '01-b.md'), '# B\n```sh\nls\n```\n');
    writeFileSync(join(root, 'lessons', 'notes.txt'), '```ts\nignored\n```\n');
    const out = join(root, '.lesson-blocks');
    mkdirSync(join(out, 'stale'), { recursive: true });

    expect(writeLessonBlocks(root)).toEqual({ blocks: 2, lessons: 2 });
    expect(readdirSync(out)).toEqual(['00-a']);
    expect(readdirSync(join(out, '00-a')).sort()).toEqual(['block-01-line002.test.ts', 'block-02-line006.test.ts']);
    expect(readFileSync(join(out, '00-a', 'block-02-line006.test.ts'), 'utf8')).toMatch(/^const b = 2;\n/);
  });
});

describe('the real-timer guard of the lessons project', () => {
  const refuse = (api: string, delay: unknown): never => {
    throw new Error(`refused ${api} ${String(delay)}`);
  };

  test('maps a stack frame in a generated block file back to the lesson line', () => {
    const frame = `    at shout (/course/.lesson-blocks/01-pool/${blockFileName(11, 763)}:16:9)`;
    const stack = ['Error', '    at guarded (/course/grader/dev/lesson-real-timers.ts:82:39)', frame].join('\n');
    expect(placeInLesson(stack)).toEqual({ lesson: 'lessons/01-pool.md', line: 779, blockLine: 763 });
    expect(placeInLesson('    at file:///C:/course/.lesson-blocks/00-x/block-02-line1234.test.ts:3:1')).toEqual({
      lesson: 'lessons/00-x.md',
      line: 1237,
      blockLine: 1234,
    });
    expect(placeInLesson('Error\n    at runTest (/course/node_modules/vitest/dist/index.js:1:1)')).toBeUndefined();
    expect(placeInLesson(undefined)).toBeUndefined();
  });

  test('allows 0 ms timeouts and refuses any wait on the real clock', () => {
    for (const delay of [undefined, 0, -5, Number.NaN, 'soon']) expect(waitsForRealTime('setTimeout', delay)).toBe(false);
    for (const delay of [1, 0.5, '5', 30_000]) expect(waitsForRealTime('setTimeout', delay)).toBe(true);
    expect(waitsForRealTime('scheduler.wait', 0)).toBe(false);
    expect(waitsForRealTime('setInterval', 0)).toBe(true);
    expect(waitsForRealTime('AbortSignal.timeout', 0)).toBe(true);
  });

  test('the message names the lesson line and the block', () => {
    const message = realTimerMessage('setTimeout', 3, { lesson: 'lessons/01-pool.md', line: 779, blockLine: 763 });
    expect(message).toContain('lessons/01-pool.md:779 (in the block that opens on line 763) starts a 3 ms setTimeout');
    expect(message).toContain('vi.useFakeTimers()');
    expect(realTimerMessage('setInterval', 10, { lesson: 'lessons/a.md', line: 5, blockLine: 5 })).toContain(
      'lessons/a.md, the block that opens on line 5, starts an interval',
    );
  });

  test('a guarded timer calls through at 0 ms and refuses a real wait before starting it', () => {
    const original = Object.assign(vi.fn((_fn: () => void, _ms?: number) => 'handle'), { [promisify.custom]: 'custom' });
    const guarded = guardTimer(original, 'setTimeout', (args) => args[1], refuse);
    expect(guarded(() => {}, 0)).toBe('handle');
    expect(guarded(() => {})).toBe('handle');
    expect(() => guarded(() => {}, 5)).toThrow('refused setTimeout 5');
    expect(original).toHaveBeenCalledTimes(2);
    expect((guarded as unknown as Record<symbol, unknown>)[promisify.custom]).toBe('custom');
  });

  test('the fake clock hides the guard, and useRealTimers brings it back', () => {
    const real = globalThis.setTimeout;
    const guarded = guardTimer(real, 'setTimeout', (args) => args[1], refuse);
    globalThis.setTimeout = guarded;
    try {
      vi.useFakeTimers();
      let fired = false;
      setTimeout(() => (fired = true), 5); // the fake clock's setTimeout: no refusal
      vi.advanceTimersByTime(5);
      expect(fired).toBe(true);
      vi.useRealTimers();
      expect(globalThis.setTimeout).toBe(guarded);
      expect(() => setTimeout(() => {}, 5)).toThrow('refused setTimeout 5'); // refused before any timer starts
    } finally {
      vi.useRealTimers();
      globalThis.setTimeout = real;
    }
  });

  test('a block opts out only with a "// Real clock:" comment line', () => {
    expect(REAL_CLOCK_MARKER.test("const a = 1;\n// Real clock: AbortSignal.timeout is not faked.\n")).toBe(true);
    expect(REAL_CLOCK_MARKER.test('  // Real clock: indented is fine\n')).toBe(true);
    expect(REAL_CLOCK_MARKER.test('const a = 1; // Real clock: not at the start of the line\n')).toBe(false);
    expect(REAL_CLOCK_MARKER.test('// The lesson\'s clock: fake\n')).toBe(false);
  });
});
