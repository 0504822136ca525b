/**
 * A vitest pool of forked workers that keeps one spare process started ahead
 * of time. A new fork costs about 100 ms before it can run anything (Node
 * boots, vitest's worker code loads); `watch` regrades on every save, so the
 * next worker is started while the learner types, not after they save. Each
 * run still gets a fresh process (a hang killed by the watchdog, or leftover
 * state from the learner's code, never reaches the next run).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { distDir, type PoolOptions, type PoolRunnerInitializer, type PoolWorker, type WorkerRequest } from 'vitest/node';

const ENTRYPOINT = resolve(distDir, 'workers/forks.js');

interface Spawn {
  env: NodeJS.ProcessEnv;
  execArgv: string[];
}

function spawnWorker({ env, execArgv }: Spawn): ChildProcess {
  // Output goes nowhere: what the learner's code prints reaches the grader through vitest's console capture.
  return fork(ENTRYPOINT, [], { env, execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (hasExited(child)) done();
    else child.once('exit', () => done());
  });
}

export interface WarmForks {
  pool: PoolRunnerInitializer;
  /** Kill the spare process (and stop making new ones). */
  close(): Promise<void>;
}

/**
 * `reusable(pid, files)`: whether a worker that has graded `files` test files may grade the next one (only
 * asked when the project does not isolate files; see shared-workers.ts).
 */
export function warmForks(name = 'warm-forks', reusable: (pid: number, files: number) => boolean = () => false): WarmForks {
  let spare: { child: ChildProcess; key: string } | undefined;
  let closed = false;
  const keyOf = ({ execArgv }: Spawn): string => execArgv.join('\0');

  const takeSpare = (spawn: Spawn): ChildProcess | undefined => {
    const found = spare;
    spare = undefined;
    if (found && found.key === keyOf(spawn) && !hasExited(found.child) && found.child.connected) return found.child;
    found?.child.kill('SIGKILL');
    return undefined;
  };
  const prepareSpare = (spawn: Spawn): void => {
    if (closed || spare) return;
    const child = spawnWorker(spawn);
    child.on('error', () => {}); // a spare that fails to start is simply not used
    spare = { child, key: keyOf(spawn) };
  };

  class WarmForkWorker implements PoolWorker {
    readonly name = name;
    readonly cacheFs = true;
    private child: ChildProcess | undefined;
    private files = 0;
    private readonly spawn: Spawn;

    constructor(options: PoolOptions) {
      this.spawn = { env: options.env as NodeJS.ProcessEnv, execArgv: options.execArgv };
    }

    private get process(): ChildProcess {
      if (!this.child) throw new Error('grader: the grading worker is not running');
      return this.child;
    }

    on(event: string, callback: (arg: unknown) => void): void {
      this.process.on(event, callback);
    }

    off(event: string, callback: (arg: unknown) => void): void {
      this.process.off(event, callback);
    }

    send(message: WorkerRequest): void {
      if (message.type === 'run') this.files++;
      this.process.send(message);
    }

    deserialize(data: unknown): unknown {
      return data;
    }

    canReuse(): boolean {
      const child = this.child;
      return child !== undefined && !hasExited(child) && child.connected && child.pid !== undefined && reusable(child.pid, this.files);
    }

    async start(): Promise<void> {
      this.child ??= takeSpare(this.spawn) ?? spawnWorker(this.spawn);
    }

    async stop(): Promise<void> {
      const child = this.process;
      const exited = waitForExit(child);
      // vitest's own forks pool asks politely first; a worker the watchdog killed is already gone.
      const force = setTimeout(() => child.kill('SIGKILL'), 1_000);
      child.kill();
      await exited;
      clearTimeout(force);
      this.child = undefined;
      prepareSpare(this.spawn);
    }
  }

  return {
    pool: { name, createPoolWorker: (options) => new WarmForkWorker(options) },
    async close() {
      closed = true;
      const found = spare;
      spare = undefined;
      if (found) {
        const exited = waitForExit(found.child);
        found.child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
