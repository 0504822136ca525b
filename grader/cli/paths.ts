/** Paths given on the command line, for every command that takes one. */
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './commands.ts';
import { UsageError } from '../errors/usage-error.ts';

/** Paths on the command line are relative to where the person typed them (npm run moves to the repo root). */
export function userPath(path: string, io: Io): string {
  return resolve(io.env.INIT_CWD ?? io.cwd, path);
}

/** A folder the user named (`what`: "workspace folder", "class folder"), or a one-line usage error. */
export function userFolder(path: string, io: Io, what: string): string {
  const folder = userPath(path, io);
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new UsageError(`${what} '${path}' does not exist`);
  }
  if (!isFolder) throw new UsageError(`${what} '${path}' is not a folder`);
  return folder;
}

export function resolveWorkspace(path: string, io: Io): string {
  const folder = userFolder(path, io, 'workspace folder');
  try {
    readdirSync(folder);
  } catch (error) {
    throw new UsageError(`cannot read workspace folder '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return folder;
}
