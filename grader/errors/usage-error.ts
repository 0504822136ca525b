/**
 * Bad input from the person or script running the grader (an unknown id, a bad flag value, a missing
 * folder): a one-line message, exit 2. A leaf, so that any part of the grader can refuse its input
 * without depending on the command line; grader/cli/errors.ts maps it to its exit code.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
