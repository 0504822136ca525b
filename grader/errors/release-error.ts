/** A release the course itself stands in the way of (not the command line): one line, exit 1, mapped in grader/cli/errors.ts. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}
