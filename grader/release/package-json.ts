/**
 * The edition's package.json: the course's name, engines and runtime
 * dependencies, only the devDependencies a learner uses, and the learner's
 * scripts. Versions are copied exactly from the course's package.json.
 */
import { ReleaseError } from '../errors/release-error.ts';

/** Grading (vitest, tsx), the practice tests in the browser, type-checking. Not Stryker, Playwright or esbuild. */
export const LEARNER_DEV_DEPENDENCIES = ['vitest', '@vitest/ui', 'tsx', 'typescript', '@types/node', '@types/marked-terminal'];

/** The course's scripts a learner keeps as they are. */
const KEPT_SCRIPTS = ['start', 'grader', 'grade', 'test:ui', 'typecheck'];

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  description?: string;
  type?: string;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function pick(from: Record<string, string> | undefined, names: string[], what: string): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      const value = from?.[name];
      if (value === undefined) throw new ReleaseError(`package.json has no ${what} "${name}", which the learner edition needs`);
      return [name, value];
    }),
  );
}

export function editionPackageJson(packageJson: string): string {
  const course = JSON.parse(packageJson) as PackageJson;
  const scripts = pick(course.scripts, KEPT_SCRIPTS, 'script');
  const edition: PackageJson = {
    name: course.name,
    version: course.version,
    private: course.private,
    description: course.description,
    type: course.type,
    engines: course.engines,
    scripts: {
      start: scripts.start!,
      grader: scripts.grader!,
      grade: scripts.grade!,
      // The practice tests next to each stub, against the learner's own files (vitest.config.ts).
      test: 'vitest run',
      'test:ui': scripts['test:ui']!,
      typecheck: scripts.typecheck!,
    },
    devDependencies: pick(course.devDependencies, LEARNER_DEV_DEPENDENCIES, 'devDependency'),
    dependencies: course.dependencies ?? {},
  };
  return `${JSON.stringify(edition, null, 2)}\n`;
}
