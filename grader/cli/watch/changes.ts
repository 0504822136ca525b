/**
 * Saves of an exercise's files, as one event per burst. The folder is
 * watched, not the file: editors that save atomically (write a temp file,
 * rename it over the original) replace the file, and a watch on the old file
 * would go quiet. A burst of events (truncate then write, temp file then
 * rename) becomes one call, `quietMs` after the last event.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface ChangeWatcher {
  /** Resolves once the folder is being watched. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const SOURCE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']);

/** Files whose change should regrade: the exercise's own code, not its practice tests or editor leftovers. */
export function isWatchedSource(path: string): boolean {
  const name = basename(path);
  if (name.startsWith('.') || name.endsWith('~') || /\.test\.[cm]?[jt]s$/.test(name)) return false;
  return SOURCE.has(extname(name));
}

/** Collects paths and calls `flush` once, `quietMs` after the last of a burst. */
export function burstCollector(quietMs: number, flush: (paths: string[]) => void): { add(path: string): void; cancel(): void } {
  let paths = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return {
    add(path) {
      paths.add(path);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        const burst = [...paths];
        paths = new Set();
        flush(burst);
      }, quietMs);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export function watchChanges(file: string, onChange: (paths: string[]) => void, quietMs = 20): ChangeWatcher {
  const folder = dirname(resolve(file));
  const burst = burstCollector(quietMs, onChange);
  const watcher: FSWatcher = watch(folder, {
    ignoreInitial: true,
    depth: 0,
    // Our own debounce handles bursts; chokidar's `atomic` would hold an unlink back 100 ms.
    atomic: false,
    ignored: (path, stats) => path !== folder && stats?.isFile() === true && !isWatchedSource(path),
  });
  watcher.on('all', (event, path) => {
    if (event === 'addDir' || event === 'unlinkDir' || !isWatchedSource(path)) return;
    burst.add(resolve(path));
  });
  const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
  watcher.on('error', () => {}); // a vanished folder is reported by the next grading ("does not exist")
  return {
    ready,
    async close() {
      burst.cancel();
      await watcher.close();
    },
  };
}
