/** The course itself is broken (its course.json, or a suite it points at): exit 3, mapped in grader/cli/errors.ts. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}
