/** `batch DIR --out OUT`: grade a whole class in one run, and write a gradebook, each learner's feedback and a class report. */
import { loadCourse } from '../../course/manifest.ts';
import { displayPath } from '../../common/shown-path.ts';
import { budgetFor } from '../../engine/grade.ts';
import { formatFeedback } from '../../batch/feedback.ts';
import { gradeClass } from '../../batch/grade-class.ts';
import { formatGradebookCsv, formatGradebookJson } from '../../batch/gradebook.ts';
import { discoverLearners } from '../../batch/learners.ts';
import { formatReportHtml } from '../../batch/report-html.ts';
import { movePrevious, prepareOutput, writeResults } from '../../batch/output.ts';
import { createProgressBar, NO_PROGRESS, showsProgress } from '../../batch/progress-bar.ts';
import { formatSummary } from '../../batch/summary.ts';
import { parseInteger, parseSeconds, type ParsedCommand } from '../argv.ts';
import type { Io } from '../commands.ts';
import { UsageError } from '../../errors/usage-error.ts';
import { EXIT } from '../errors.ts';
import { userFolder, userPath } from '../paths.ts';

function parseJobs(value: string | boolean | undefined): number | undefined {
  const jobs = parseInteger(value, '--jobs');
  if (jobs !== undefined && jobs < 1) throw new UsageError(`--jobs needs a whole number of at least 1, got '${String(value)}'`);
  return jobs;
}

export async function run(parsed: ParsedCommand, io: Io): Promise<number> {
  const [dirArg] = parsed.positionals;
  const outArg = parsed.options.out;
  if (dirArg === undefined) throw new UsageError('batch needs the class folder: batch DIR --out OUT');
  if (typeof outArg !== 'string' || outArg === '') throw new UsageError('batch needs --out OUT, the folder to write the gradebook to');
  const jobs = parseJobs(parsed.options.jobs);
  const seconds = parseSeconds(parsed.options.timeout, '--timeout');

  const dir = userFolder(dirArg, io, 'class folder');
  const learners = discoverLearners(dir);
  if (learners.length === 0) {
    throw new UsageError(`class folder '${dirArg}' has no learner folders (one subfolder per learner, named by the learner's id)`);
  }
  const out = userPath(outArg, io);
  prepareOutput(out, dir, { out: outArg, dir: dirArg });

  const course = loadCourse(io.root);
  const bar = showsProgress(io, parsed.options['no-progress'] === true) ? createProgressBar(io.stderr, learners.length) : NO_PROGRESS;
  const started = performance.now();
  bar.update(0);
  let graded;
  try {
    graded = await gradeClass({
      learners,
      exercises: course.exercises,
      budgetMs: budgetFor(seconds),
      jobs,
      onLearnerDone: (done) => bar.update(done),
    });
  } finally {
    bar.clear();
  }

  const moved = movePrevious(out, new Date());
  writeResults(out, {
    csv: formatGradebookCsv(graded, course.exercises),
    json: formatGradebookJson(graded),
    feedback: new Map(graded.map(({ id, report }) => [id, formatFeedback(id, report, course)])),
    html: formatReportHtml({ course, learners: graded }),
  });
  const shown = (path: string) => displayPath(path, io.env.INIT_CWD ?? io.cwd) || '.';
  io.stdout.write(
    formatSummary({
      learners: graded,
      seconds: (performance.now() - started) / 1000,
      out: shown(out),
      ...(moved === undefined ? {} : { movedTo: shown(moved) }),
    }),
  );
  return EXIT.ok;
}
