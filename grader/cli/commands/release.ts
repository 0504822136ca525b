/**
 * `release OUT`: write the learner edition of the course to OUT (a new or
 * empty folder outside the repository), then say what went in and what the
 * instructor does next. grader/release/ holds the building blocks.
 */
import { buildEdition, type EditionSummary } from '../../release/build.ts';
import { checkOutDir } from '../../release/out-dir.ts';
import { HONEST_BUNDLES } from '../../release/readme.ts';
import type { ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { EXIT } from '../errors.ts';
import { userPath } from '../paths.ts';

const kb = (bytes: number): string => `${Math.round(bytes / 1024)} KB`;

export function formatSummary(summary: EditionSummary, shown: string): string {
  const suiteBytes = summary.suites.reduce((sum, bundle) => sum + Buffer.byteLength(bundle.text), 0);
  const lines = [
    `Wrote the learner edition to ${summary.out}: ${summary.files} files, ${kb(summary.bytes)}.`,
    `  ${summary.lessons} lessons`,
    `  ${summary.stubs.length} original stubs, with ${summary.practiceTests} practice tests (and a copy of each stub in grader/stubs/, for reset without git)`,
    `  ${summary.suites.length} hidden suites, bundled and minified (${kb(suiteBytes)})`,
    `  ${summary.runtimeFiles} files of the grader's runtime (no tests, zoo, fixtures, dev or bench tools)`,
    `  ${summary.generated.join(', ')}`,
    'Left out: solutions/, the bug zoo, the suites\' TypeScript source, the grader\'s tests and instructor tools.',
  ];
  for (const stub of summary.stubs.filter((s) => s.recovered)) {
    lines.push(
      `Note: your ${stub.exercise.stub} is not the original stub; the edition has the original (${stub.origin}), and your file is unchanged. ` +
        'If you changed the stub on purpose, commit it and release again.',
    );
  }
  lines.push(
    '',
    'Next steps:',
    `  1. Try it as a learner would: cd ${shown} && npm install && npm run grade   (every exercise should score 0)`,
    '  2. Hand it out without node_modules/: as a zip, or pushed to a new repository for your learners.',
    `${HONEST_BUNDLES} Grade what counts here, in the course repository (grade --workspace).`,
    '',
  );
  return lines.join('\n');
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const [out] = parsed.positionals;
  if (out === undefined) {
    throw new UsageError("release needs a folder to write to, e.g. 'npm run grader -- release ../async-patterns-learner'");
  }
  const target = userPath(out, io);
  checkOutDir(target, io.root, out);
  // A ReleaseError (the course stands in the way) is a one-line message and exit 1: see ../errors.ts.
  const summary: EditionSummary = await buildEdition({ root: io.root, out: target });
  io.stdout.write(formatSummary(summary, out));
  return EXIT.ok;
}
