/**
 * Prompts only for a person at a terminal: stdin and stdout both TTYs, not
 * in CI, not on TERM=dumb, and not turned off with --no-interactive.
 */
import type { Io } from './commands.ts';

export function isInteractive(io: Pick<Io, 'stdin' | 'stdout' | 'env'>, { noInteractive = false }: { noInteractive?: boolean } = {}): boolean {
  if (noInteractive) return false;
  const ci = io.env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  if (io.env.TERM === 'dumb') return false;
  return io.stdin?.isTTY === true && io.stdout.isTTY === true;
}
