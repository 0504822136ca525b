/**
 * How a grading worker that may be reused tells the grader about itself, through files in the run folder
 * (see grader/harness/reuse.ts, which writes them, and shared-workers.ts, which reads them).
 */

/** Written after each file the worker leaves clean: `clean-<pid>-<files graded so far>`. */
export function cleanMarkerName(pid: number, files: number): string {
  return `clean-${pid}-${files}`;
}

/** Why the worker must not be reused, for whoever debugs a run. */
export function dirtyMarkerName(pid: number): string {
  return `dirty-${pid}`;
}
