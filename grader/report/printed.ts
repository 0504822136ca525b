/**
 * What the learner's code printed, cut down to what a report shows: the terminal codes out, the first
 * few lines (each cut at a width, for a terminal), and a last line counting the rest. The human report,
 * `watch` and a learner's feedback file each frame these lines their own way.
 */
import { stripTerminalCodes } from '../common/terminal-codes.ts';

export interface ExcerptLimits {
  lines: number;
  /** Longer lines end in "..." at this many characters; absent: lines are kept whole. */
  width?: number;
}

/** No lines when the code printed nothing but blanks. */
export function printedExcerpt(output: string | undefined, limits: ExcerptLimits): string[] {
  const text = output === undefined ? '' : stripTerminalCodes(output).trimEnd();
  if (!text) return [];
  const lines = text.split('\n');
  const { width } = limits;
  const shown = lines
    .slice(0, limits.lines)
    .map((line) => (width !== undefined && line.length > width ? `${line.slice(0, width - 3)}...` : line));
  const more = lines.length - shown.length;
  return more > 0 ? [...shown, `... (${more} more line${more === 1 ? '' : 's'})`] : shown;
}
