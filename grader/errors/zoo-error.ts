/**
 * The bug zoo itself is broken (a small bug that cannot be applied, a zoo file of the wrong shape): a
 * mistake in the course, reported as an internal error with its stack (exit 3, grader/cli/errors.ts).
 */
export class ZooError extends Error {
  override name = 'ZooError';
}
