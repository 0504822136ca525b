/**
 * `npm run bench`, batch part: grading a generated class (class.ts) with `batch`, against grading the same
 * learners one by one with `grade --workspace`, each from a new process as a script would. Targets: batch
 * at least 3x faster than one by one (aim 5x), and 100 learners at most 2.2x the time of 50. Peak memory
 * is the largest sum of resident memory over the batch's whole process tree, sampled every 200 ms.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCourse } from '../course/manifest.ts';
import { residentMb } from '../engine/watchdog.ts';
import type { JsonReport } from '../report/types.ts';
import { generateClass } from './class.ts';

/** This tool measures the course it comes with. */
const COURSE_ROOT = resolve(import.meta.dirname, '../..');

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback; // the process ended while it was read
  }
}

/** Children of a process, from each of its threads' `children` list (Linux). */
function childrenOf(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  return tasks.flatMap((task) => readOr(`/proc/${pid}/task/${task}/children`, '').split(' ').filter(Boolean).map(Number));
}

/** Resident memory of a process and all its descendants, in MB; reads only that tree, so sampling stays cheap. */
function treeRssMb(root: number): number {
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += residentMb(pid) ?? 0;
    queue.push(...childrenOf(pid));
  }
  return total;
}

export interface BatchRun {
  seconds: number;
  peakMb: number;
}

function runBatch(dir: string, out: string): Promise<BatchRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const jobs = process.env.BENCH_JOBS ? ['--jobs', process.env.BENCH_JOBS] : [];
    const child = spawn(process.execPath, ['grader/bin/grader.mjs', 'batch', dir, '--out', out, '--no-progress', ...jobs], {
      cwd: COURSE_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let peakMb = 0;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(child.pid!))), 200);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`batch exited ${code}: ${stderr}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMb });
    });
  });
}

function gradeOne(folder: string): { seconds: number; report: JsonReport } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['grader/bin/grader.mjs', 'grade', '--workspace', folder, '--json'], { cwd: COURSE_ROOT, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`grade exited ${result.status}: ${result.stderr}`);
  return { seconds, report: JSON.parse(result.stdout) as JsonReport };
}

export async function measureBatch(size = 100, oneByOneSample = 20): Promise<void> {
  const course = loadCourse(COURSE_ROOT);
  const work = mkdtempSync(join(tmpdir(), 'grader-batch-bench-'));
  try {
    const half = join(work, 'class-half');
    const full = join(work, 'class-full');
    await generateClass(half, size / 2, course.exercises); // the same seed: the first half of the full class
    const learners = await generateClass(full, size, course.exercises);

    const halfRun = await runBatch(half, join(work, 'out-half'));
    const fullRun = await runBatch(full, join(work, 'out-full'));
    const gradebook = JSON.parse(readFileSync(join(work, 'out-full', 'gradebook.json'), 'utf8')) as Array<JsonReport & { learner: string }>;

    // One by one, on an evenly spread sample, extrapolated to the class.
    const step = Math.max(1, Math.floor(size / oneByOneSample));
    const sample = learners.filter((_, index) => index % step === 0).slice(0, oneByOneSample);
    let oneByOneSeconds = 0;
    let disagreements = 0;
    for (const learner of sample) {
      const folder = Number(learner.id.slice(-3)) % 2 === 1 ? join(full, learner.id) : join(full, learner.id, 'exercises');
      const { seconds, report } = gradeOne(folder);
      oneByOneSeconds += seconds;
      const batched = gradebook.find((entry) => entry.learner === learner.id);
      const cells = (r: JsonReport | undefined) => r?.exercises.map((e) => `${e.id}:${e.status}:${e.points}`).join(' ');
      if (cells(batched) !== cells(report)) {
        disagreements++;
        console.log(`  DISAGREEMENT ${learner.id}: batch ${cells(batched)} | one by one ${cells(report)}`);
      }
    }
    const perLearner = oneByOneSeconds / sample.length;
    const oneByOneClass = perLearner * size;
    const speedup = oneByOneClass / fullRun.seconds;
    const scaling = fullRun.seconds / halfRun.seconds;

    console.log(`batch: a generated class (solutions, alternatives, zoo bugs, stubs mixed; seed 2026):`);
    console.log(`  ${size / 2} learners: ${halfRun.seconds.toFixed(1)} s, peak memory ${halfRun.peakMb.toFixed(0)} MB (whole process tree)`);
    console.log(`  ${size} learners: ${fullRun.seconds.toFixed(1)} s, peak memory ${fullRun.peakMb.toFixed(0)} MB (whole process tree)`);
    console.log(`  one by one (grade --workspace, new process each): ${perLearner.toFixed(2)} s per learner over ${sample.length} learners → ${oneByOneClass.toFixed(0)} s for ${size}`);
    console.log(`  batch speed-up ${speedup.toFixed(1)}x (target ≥ 3x, aim 5x): ${speedup >= 3 ? 'within target' : 'UNDER TARGET'}`);
    console.log(`  ${size} / ${size / 2} learners = ${scaling.toFixed(2)}x the time (target ≤ 2.2x): ${scaling <= 2.2 ? 'within target' : 'OVER TARGET'}`);
    console.log(`  batch and one-by-one grades agree for ${sample.length - disagreements} of ${sample.length} sampled learners`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
