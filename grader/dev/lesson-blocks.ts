/**
 * Turn every ```ts block of every lesson into a vitest test file, so that
 * `tsc` type-checks the lessons' code and the `lessons` vitest project runs it.
 *
 *   npx tsx grader/dev/lesson-blocks.ts
 *
 * `.lesson-blocks/` (git-ignored) is deleted and recreated each time. Block
 * number NN of `lessons/<stem>.md`, whose opening fence is on line LLL, becomes
 * `.lesson-blocks/<stem>/block-NN-lineLLL.test.ts`; line k of that file is line
 * LLL + k of the lesson, so an error's position points straight at the lesson.
 *
 * Only blocks whose info string is exactly `ts` are taken: anything meant as a
 * fragment, a drawing or a shell command uses another fence (```text, ```sh).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Block {
  /** The block's source, without the fences, ending with a newline. */
  code: string;
  /** The 1-based line of the opening fence in the markdown. */
  line: number;
}

/** An opening or closing fence: up to 3 spaces, then 3 or more backticks or tildes (CommonMark). */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Every fenced block whose info string is exactly `ts`, in document order. */
export function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: Block[] = [];
  let open: { fence: string; info: string; line: number; body: string[] } | undefined;

  lines.forEach((text, i) => {
    const match = FENCE.exec(text);
    if (!open) {
      if (!match) return;
      const fence = match[1]!;
      const info = match[2]!.trim();
      // A backtick fence's info string may not contain a backtick (CommonMark), so "```x```" is inline code.
      if (fence.startsWith('`') && info.includes('`')) return;
      open = { fence, info, line: i + 1, body: [] };
      return;
    }
    // A closing fence uses the same character, at least as many of them, and nothing after.
    const closes = match !== null && match[1]![0] === open.fence[0] && match[1]!.length >= open.fence.length
      && match[2]!.trim() === '';
    if (!closes) {
      open.body.push(text);
      return;
    }
    if (open.info === 'ts') blocks.push({ code: open.body.map((l) => l + '\n').join(''), line: open.line });
    open = undefined;
  });
  // A block left open runs to the end of the document (CommonMark); keep it, so a typo cannot hide code.
  if (open?.info === 'ts') blocks.push({ code: open.body.map((l) => l + '\n').join(''), line: open.line });
  return blocks;
}

/** Whether the code imports `test` or `it` from 'vitest' (and so registers tests of its own). */
export function registersTests(code: string): boolean {
  const imports = /import\s*\{([^}]*)\}\s*from\s*['"]vitest['"]/g;
  for (const [, names] of code.matchAll(imports)) {
    const imported = names!.split(',').map((name) => name.trim().split(/\s+as\s+/)[0]!.trim());
    if (imported.includes('test') || imported.includes('it')) return true;
  }
  return false;
}

/** The test file for a block: the block itself, plus one trivial test when it registers none. */
export function toTestFile(block: Block, source: string): string {
  const trailer = registersTests(block.code)
    ? ''
    : "import { test as __lessonBlockRuns } from 'vitest'; __lessonBlockRuns('runs', () => {});\n";
  return `${block.code}${trailer}// Extracted from ${source}, the block that opens on line ${block.line}.\n`;
}

/** `block-NN-lineLLL.test.ts`, NN counted from 1. */
export function blockFileName(index: number, line: number): string {
  return `block-${String(index).padStart(2, '0')}-line${String(line).padStart(3, '0')}.test.ts`;
}

/** Recreate `outDir` from every `lessons/*.md` under `root`; `lessons` counts the lesson files read. */
export function writeLessonBlocks(root: string, outDir = join(root, '.lesson-blocks')): { blocks: number; lessons: number } {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const lessonsDir = join(root, 'lessons');
  const lessonFiles = readdirSync(lessonsDir).filter((name) => name.endsWith('.md')).sort();
  let blocks = 0;
  for (const file of lessonFiles) {
    const found = extractBlocks(readFileSync(join(lessonsDir, file), 'utf8'));
    if (found.length === 0) continue;
    const dir = join(outDir, basename(file, '.md'));
    mkdirSync(dir, { recursive: true });
    found.forEach((block, i) => {
      writeFileSync(join(dir, blockFileName(i + 1, block.line)), toTestFile(block, `lessons/${file}`));
      blocks++;
    });
  }
  return { blocks, lessons: lessonFiles.length };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const { blocks, lessons } = writeLessonBlocks(resolve(import.meta.dirname, '../..'));
  console.log(`lesson-blocks: extracted ${blocks} ts block${blocks === 1 ? '' : 's'} from ${lessons} lesson${lessons === 1 ? '' : 's'} into .lesson-blocks/`);
}
