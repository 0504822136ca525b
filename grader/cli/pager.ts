/**
 * Long text for a person at a terminal goes through `less -R` (colours kept,
 * -F: no pager at all when it fits on one screen); anything else, or when
 * less is not installed, is written straight to stdout.
 */
import { spawn } from 'node:child_process';
import type { Io } from './commands.ts';
import { isInteractive } from './interactive.ts';

export interface PageOptions {
  /** --no-pager, or the caller knows better. */
  noPager?: boolean;
}

function lessPages(text: string, io: Io): Promise<boolean> {
  return new Promise((resolve) => {
    // less reads keys from the terminal; while it runs, Ctrl+C belongs to it, not to us.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    const done = (paged: boolean) => {
      process.off('SIGINT', ignore);
      resolve(paged);
    };
    let child;
    try {
      child = spawn('less', ['-R', '-F'], { stdio: ['pipe', 'inherit', 'inherit'], env: { LESSCHARSET: 'utf-8', ...io.env } });
    } catch {
      done(false);
      return;
    }
    child.on('error', () => done(false));
    child.on('close', (code) => done(code !== null));
    child.stdin.on('error', () => {}); // q before the end of the text: EPIPE is expected
    child.stdin.end(text);
  });
}

export async function page(text: string, io: Io, { noPager = false }: PageOptions = {}): Promise<void> {
  if (!noPager && isInteractive(io) && io.env.PAGER !== 'cat' && (await lessPages(text, io))) return;
  io.stdout.write(text);
}
