/**
 * A hidden suite, bundled and minified for the learner edition: one
 * JavaScript file without comments or source map, its local names shortened.
 * It keeps three kinds of import as they are: `vitest`, the implementation
 * (`@impl/...`, pointed at the learner's file when grading), and the grader's
 * modules outside grader/suites/ (the harness holds state that the setup file
 * shares, so it must stay one module), with paths rewritten to resolve from
 * the bundle's own location.
 */
import { build, type Plugin } from 'esbuild';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { implSpecifier, type Exercise } from '../course/manifest.ts';
import { isInside } from '../common/inside.ts';
import { HARNESS_SPECIFIER } from '../engine/grader-files.ts';
import { ReleaseError } from '../errors/release-error.ts';

export interface SuiteBundle {
  exercise: Exercise;
  /** Relative to the course's root: grader/suites/pool.suite.js. */
  path: string;
  text: string;
  /** The relative imports it kept, as written in the bundle. */
  imports: string[];
}

/** grader/suites/pool.suite.ts → grader/suites/pool.suite.js */
export function bundlePath(suite: string): string {
  if (!suite.endsWith('.ts')) throw new ReleaseError(`${suite}: a hidden suite must be a .ts file`);
  return suite.replace(/\.ts$/, '.js');
}

function keepGraderModules(suiteFolder: string, bundleFolder: string, kept: string[]): Plugin {
  return {
    name: 'keep-grader-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = resolve(args.resolveDir, args.path);
        if (isInside(target, suiteFolder)) return undefined;
        const rewritten = relative(bundleFolder, target).split(sep).join('/');
        const path = rewritten.startsWith('.') ? rewritten : `./${rewritten}`;
        kept.push(path);
        return { path, external: true };
      });
    },
  };
}

export async function bundleSuite(exercise: Exercise, root: string): Promise<SuiteBundle> {
  const source = resolve(root, exercise.suite);
  const path = bundlePath(exercise.suite);
  const outfile = join(root, path);
  const kept: string[] = [];
  const result = await build({
    absWorkingDir: root,
    entryPoints: [source],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    charset: 'utf8',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['vitest', 'vitest/*', '@impl/*', HARNESS_SPECIFIER],
    plugins: [keepGraderModules(dirname(source), dirname(outfile), kept)],
  });
  // Only the suite's own folder may be inlined: anything else (a solution reached through tsconfig paths, say) must not.
  const inlined = Object.keys(result.metafile.inputs).map((input) => resolve(root, input));
  const foreign = inlined.find((input) => !isInside(input, dirname(source)));
  if (foreign !== undefined) {
    throw new ReleaseError(`${exercise.suite}: bundling would inline ${relative(root, foreign)}; a suite may import only vitest, node:*, the harness and ${implSpecifier(exercise)}`);
  }
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new ReleaseError(`${exercise.suite}: esbuild wrote no bundle`);
  return { exercise, path, text, imports: [...new Set(kept)] };
}
