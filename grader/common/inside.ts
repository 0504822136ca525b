/** "Is this path inside that folder", answered one way everywhere (imports, output folders, releases). */
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { realpathSync } from 'node:fs';

/**
 * `path` is `folder` or lies under it. Compared by path, not by text: `/a/bc` is not inside `/a/b`, and a
 * name that merely starts with two dots (`..notes`) is still inside. Both paths are taken as given (resolve
 * links first with `realPath` where a link could lead outside).
 */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `path`, following links, also when its last parts do not exist yet. */
export function realPath(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}
