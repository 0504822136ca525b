/**
 * `npm run bench`: the cost of the grader next to a bare `vitest run` of the
 * same hidden suites with the same alias, both from a cold start (a new
 * process each time), against the reference solutions. Target: the grader
 * costs at most 1.25x the bare run. Then `watch`: save → result on a warm
 * session, target ≤ 300 ms (watch-bench.ts). Then `batch` on a generated
 * class of 100 against one by one (batch-bench.ts). A benchmark, not a test:
 * it prints and exits 0 whatever it measures.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

import { measureBatch } from './batch-bench.ts';
import { measureWatch } from './watch-bench.ts';

/** This tool measures the course it comes with. */
const COURSE_ROOT = resolve(import.meta.dirname, '../..');

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_RATIO = 1.25;
const vitestCli = join(COURSE_ROOT, 'node_modules/vitest/vitest.mjs');

interface Contender {
  name: string;
  args: string[];
}

const contenders: Contender[] = [
  { name: 'grader: grade --workspace solutions --json', args: ['grader/bin/grader.mjs', 'grade', '--workspace', 'solutions', '--json'] },
  { name: 'bare:   vitest run (same suites, same alias)', args: [vitestCli, 'run', '--config', 'grader/bench/bare.vitest.config.ts', '--reporter=dot'] },
];

function timeOnce({ args, name }: Contender): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: COURSE_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${name} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
contenders.forEach(timeOnce); // warm the disk cache and tsx's transform cache: "cold" means a new process, not a cold disk
for (let run = 0; run < RUNS; run++) {
  // Alternate, so that a busy moment on the machine hits both alike.
  for (const contender of run % 2 ? [...contenders].reverse() : contenders) samples.get(contender.name)!.push(timeOnce(contender));
}

console.log(`Grading every exercise against solutions/, ${RUNS} runs each, new process per run (median, min–max):`);
for (const [name, values] of samples) {
  console.log(`  ${name}  ${median(values).toFixed(0)} ms  (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`);
}
const [grader, bare] = contenders.map((c) => median(samples.get(c.name)!));
const ratio = grader! / bare!;
console.log(`grader / bare = ${ratio.toFixed(2)}x (target ≤ ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'within target' : 'OVER TARGET'}`);

// watch: from a save to the result on screen, warm (see watch-bench.ts).
const WATCH_SAVES = Number(process.env.BENCH_WATCH_SAVES ?? 10);
const WATCH_TARGET_MS = 300;
const { samples: watchSamples } = await measureWatch(WATCH_SAVES);
const watchMedian = median(watchSamples);
const watchMax = Math.max(...watchSamples);
console.log(`watch: save → result, warm, ${WATCH_SAVES} saves (stub and solution in turn): median ${watchMedian.toFixed(0)} ms, max ${watchMax.toFixed(0)} ms`);
console.log(`watch target ≤ ${WATCH_TARGET_MS} ms: median ${watchMedian <= WATCH_TARGET_MS ? 'within target' : 'OVER TARGET'}, max ${watchMax <= WATCH_TARGET_MS ? 'within target' : 'OVER TARGET'}`);

// batch: a class graded in one run against one by one (see batch-bench.ts).
await measureBatch(Number(process.env.BENCH_CLASS_SIZE ?? 100), Number(process.env.BENCH_ONE_BY_ONE ?? 20));
