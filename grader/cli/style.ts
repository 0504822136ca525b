/**
 * Colour only for a person at a terminal: never in a pipe, never with
 * NO_COLOR set (https://no-color.org), never on TERM=dumb.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface StreamLike {
  isTTY?: boolean;
}

export function wantsColor(stream: StreamLike, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createStyle(stream: StreamLike, env: NodeJS.ProcessEnv): ChalkInstance {
  return new Chalk({ level: wantsColor(stream, env) ? 1 : 0 });
}

export type Style = ChalkInstance;
