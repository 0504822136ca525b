/** How a file is named to the person reading a report or a message. */
import { relative } from 'node:path';
import { isInside } from './inside.ts';

/** Relative to where they work (`from`) when the file is inside it; absolute otherwise, never "../../tmp/...". */
export function displayPath(path: string, from = process.cwd()): string {
  return isInside(path, from) ? relative(from, path) : path;
}
