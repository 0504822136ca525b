/**
 * The edition's package-lock.json: the course's own lock, pruned to what the edition's package.json needs,
 * so that a learner (or the autograding workflow's `npm ci`) installs exactly the versions the course was
 * tested with, offline of any registry lookup at release time. A dependency is found the way Node finds it:
 * in the nearest `node_modules` from the package that needs it upwards.
 */
import { ReleaseError } from '../errors/release-error.ts';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

interface EditionManifest {
  name?: string;
  version?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** `node_modules/a/node_modules/@s/b` → `node_modules/a`; the root's parent is undefined. */
function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  const at = path.lastIndexOf('node_modules/');
  return at <= 0 ? '' : path.slice(0, at - 1);
}

/** Where `name`, needed by the package at `from`, is installed: the nearest node_modules upwards. */
export function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let base: string | undefined = from; base !== undefined; base = parentOf(base)) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
  }
  return undefined;
}

function needs(entry: LockEntry, isRoot: boolean): Array<{ name: string; optional: boolean }> {
  const required = { ...entry.dependencies, ...(isRoot ? entry.devDependencies : {}) };
  const optional = { ...entry.optionalDependencies };
  const peers = Object.keys(entry.peerDependencies ?? {});
  return [
    ...Object.keys(required).map((name) => ({ name, optional: false })),
    ...Object.keys(optional).map((name) => ({ name, optional: true })),
    ...peers.map((name) => ({ name, optional: entry.peerDependenciesMeta?.[name]?.optional === true })),
  ];
}

export function editionLockfile(courseLock: string, editionPackageJson: string): string {
  const lock = JSON.parse(courseLock) as Lockfile;
  if (lock.lockfileVersion < 2 || typeof lock.packages !== 'object') {
    throw new ReleaseError('package-lock.json must be lockfile version 2 or later (npm 7+) to prune it for the edition');
  }
  const manifest = JSON.parse(editionPackageJson) as EditionManifest;
  const root: LockEntry = {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
    ...(manifest.devDependencies ? { devDependencies: manifest.devDependencies } : {}),
    ...(manifest.engines ? { engines: manifest.engines } : {}),
  };
  const kept: Record<string, LockEntry> = { '': root };
  const queue: string[] = [''];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const { name, optional } of needs(kept[from]!, from === '')) {
      const found = resolveIn(lock.packages, from, name);
      if (found === undefined) {
        if (optional) continue;
        throw new ReleaseError(`package-lock.json has no "${name}" (needed by ${from === '' ? 'the edition' : from}); run npm install first`);
      }
      if (kept[found] !== undefined) continue;
      kept[found] = lock.packages[found]!;
      queue.push(found);
    }
  }
  const packages = Object.fromEntries(Object.keys(kept).sort().map((path) => [path, kept[path]!]));
  return `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: lock.lockfileVersion, requires: true, packages }, null, 2)}\n`;
}
