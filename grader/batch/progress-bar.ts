/** `grading ████████░░░░ 37/100 learners`, redrawn in place on a terminal, nothing in a pipe. */
import type { Io } from '../cli/commands.ts';
import { isInteractive } from '../cli/interactive.ts';

const WIDTH = 24;

export function formatProgress(done: number, total: number, width = WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : width;
  return `grading ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} learner${total === 1 ? '' : 's'}`;
}

export interface ProgressBar {
  update(done: number): void;
  /** Wipe the bar, so the summary starts on a clean line. */
  clear(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
}

/**
 * The bar is drawn on stderr, so that terminal is the one that must be interactive (TTY, not CI, not
 * TERM=dumb). stdin plays no part and is not touched: the entry opens it only for commands that prompt.
 */
export function showsProgress(io: Pick<Io, 'stderr' | 'env'>, noProgress: boolean): boolean {
  const terminal = { isTTY: io.stderr.isTTY } as NodeJS.ReadStream;
  return isInteractive({ stdin: terminal, stdout: io.stderr, env: io.env }, { noInteractive: noProgress });
}

export function createProgressBar(stream: ProgressStream, total: number): ProgressBar {
  let drawn = '';
  const draw = (text: string) => {
    // \r goes back to the start of the line; spaces cover what a longer line left behind.
    stream.write(`\r${text}${' '.repeat(Math.max(0, drawn.length - text.length))}`);
    drawn = text;
  };
  return {
    update: (done) => draw(formatProgress(done, total)),
    clear: () => {
      if (drawn === '') return;
      stream.write(`\r${' '.repeat(drawn.length)}\r`);
      drawn = '';
    },
  };
}

/** A bar that draws nothing, for pipes and --no-progress. */
export const NO_PROGRESS: ProgressBar = { update: () => {}, clear: () => {} };
