/**
 * For engine tests: grade candidates with `runGrading` in a process of its own, as the CLI does, and print
 * each (candidate, exercise)'s JSON report, what its code printed outside any behaviour, and the process
 * that graded it.
 * Usage: node grader/test/support/grade-candidates.mjs SPEC.json, where SPEC is
 * { "course": "<root, default: the fixture course>", "candidates": [{ "id": "...", "files": { "<exercise id>": "<absolute path>" } }],
 *   "exercises": ["delay"], "reuseWorkers": true, "workers": 1, "budgetMs": 5000 }
 */
import { readFileSync } from 'node:fs';

await import('vitest/node'); // before tsx's hooks, as grader/bin/grader.mjs does
const { register } = await import('tsx/esm/api');
register();
const { loadCourse } = await import('../../course/manifest.ts');
const { runGrading } = await import('../../engine/run.ts');
const { gradeCandidates } = await import('../../engine/grade.ts');
const { toJsonExercise } = await import('../../report/json.ts');

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { FIXTURE_COURSE } = await import('./course.ts');
const exercises = loadCourse(spec.course ?? FIXTURE_COURSE).exercises.filter((exercise) => spec.exercises.includes(exercise.id));
const candidates = spec.candidates.map((candidate) => ({ id: candidate.id, files: new Map(Object.entries(candidate.files)) }));
// The runs are kept for what each code printed and which process graded it; the reports come from the one engine entry.
let runs = new Map();
const reports = await gradeCandidates(
  { candidates, exercises, reuseWorkers: spec.reuseWorkers, workers: spec.workers, budgetMs: spec.budgetMs },
  async (request) => (runs = await runGrading(request)),
);
const result = {};
for (const candidate of candidates) {
  result[candidate.id] = {};
  for (const exercise of exercises) {
    const run = runs.get(candidate.id)?.get(exercise.id);
    const report = reports.get(candidate.id).exercises.find((graded) => graded.id === exercise.id);
    result[candidate.id][exercise.id] = { report: toJsonExercise(report), output: run?.output ?? '', workerPid: run?.workerPid };
  }
}
process.stdout.write(JSON.stringify(result), () => process.exit(0));
