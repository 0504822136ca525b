/**
 * The bug zoo itself is broken (a small-bugs file or entry of the wrong shape): a mistake in the course,
 * reported in one line with exit 3 (grader/cli/errors.ts).
 */
export class ZooError extends Error {
  override name = 'ZooError';
}
