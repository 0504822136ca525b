/**
 * What `release` is in the learner edition: a kind refusal. The real command
 * needs esbuild and the course's sources, which the edition does not have.
 */
export const LEARNER_RELEASE_COMMAND = `/** The learner edition makes no editions: an instructor runs \`release\` in the course's repository. */
import { UsageError } from '../../errors/usage-error.ts';

export async function run(): Promise<number> {
  throw new UsageError('release: this is the learner edition already; editions are made from the course repository');
}
`;
