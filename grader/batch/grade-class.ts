/** Grading a whole class in one engine run: one candidate per learner, one report per learner. */
import { availableParallelism } from 'node:os';
import type { Exercise } from '../course/manifest.ts';
import { workspaceCandidate } from '../engine/candidate.ts';
import { gradeCandidates } from '../engine/grade.ts';
import type { GradedLearner } from './gradebook.ts';
import type { Learner } from './learners.ts';

/**
 * Counts a learner done once each of its exercises has been graded, whatever the order the engine reports
 * them in; a repeated report counts once.
 */
export function learnerCounter(exerciseCount: number, onLearnerDone: (done: number) => void) {
  const graded = new Map<string, Set<string>>();
  let done = 0;
  return (learnerId: string, exerciseId: string): void => {
    const exercises = graded.get(learnerId) ?? new Set<string>();
    graded.set(learnerId, exercises);
    if (exercises.has(exerciseId)) return;
    exercises.add(exerciseId);
    if (exercises.size === exerciseCount) onLearnerDone(++done);
  };
}

export interface ClassGrading {
  learners: Learner[];
  exercises: Exercise[];
  budgetMs: number;
  jobs?: number;
  onLearnerDone?: (done: number) => void;
}

export async function gradeClass({ learners, exercises, budgetMs, jobs, onLearnerDone }: ClassGrading): Promise<GradedLearner[]> {
  // The learner id is the candidate id: folder names in one folder are unique, as the engine needs.
  const candidates = learners.map((learner) => workspaceCandidate(learner.id, learner.folder, exercises));
  const reports = await gradeCandidates({
    candidates,
    exercises,
    budgetMs,
    // One more than the cores: a hang spins until the watchdog stops it, and the class goes on meanwhile.
    workers: jobs ?? availableParallelism() + 1,
    reuseWorkers: true,
    onGraded: learnerCounter(exercises.length, onLearnerDone ?? (() => {})),
  });
  // Every learner gets a report, in the order given (one whose results were lost scores `error`: see gradeCandidates).
  return learners.map((learner) => ({ id: learner.id, report: reports.get(learner.id)! }));
}
