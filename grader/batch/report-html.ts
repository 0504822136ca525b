/**
 * `OUT/report.html`: the class at a glance, for an instructor. One self-contained page (inline CSS and
 * SVG, no scripts, no network: its Content-Security-Policy forbids fetching anything), readable without
 * colour (every bar has its number printed). Pure: facts in, HTML out. Every string that comes from a
 * learner's folder or from grading (ids, messages, behaviour names) is escaped.
 */
import { classStats, mostMissed, percent, POINT_BINS_UP_TO, type BehaviourStats, type ClassStats, type ExerciseStats, type ScoreBin } from './class-stats.ts';
import { feedbackFile, FEEDBACK } from './output.ts';
import type { GradedLearner } from './gradebook.ts';

/** How many of the most-missed behaviours the page lists. */
export const MOST_MISSED = 10;

export interface ReportFacts {
  /** The course's title and its exercises' titles (by id). */
  course: { title: string; exercises: ReadonlyArray<{ id: string; title: string }> };
  learners: GradedLearner[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a quoted attribute value: nothing in it can open a tag or close the attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** The relative link to a learner's feedback file, as the feedback writer names it. */
export function feedbackHref(learner: string): string {
  return `${FEEDBACK}/${encodeURIComponent(feedbackFile(learner))}`;
}

function ratio(n: number, of: number): string {
  return `${n} of ${of} (${percent(n, of)}%)`;
}

const BAR_WIDTH = 160;
const BAR_HEIGHT = 14;

/** A horizontal bar of `n` out of `of`, its numbers printed after it. */
export function barSvg(n: number, of: number, what: string): string {
  const width = of > 0 ? Math.round((n / of) * BAR_WIDTH) : 0;
  const label = `${what}: ${ratio(n, of)}`;
  return (
    `<svg class="bar" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>` +
    `<rect class="track" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"/>` +
    `<rect class="fill" width="${width}" height="${BAR_HEIGHT}" data-value="${n}" data-of="${of}"/>` +
    `</svg> <span class="ratio">${ratio(n, of)}</span>`
  );
}

const CHART = { bin: 42, gap: 8, height: 140, top: 22, bottom: 40, left: 10 } as const;

/** A histogram of an exercise's scores: a bar per bin, its count above it, its label below. */
export function histogramSvg(exercise: ExerciseStats, learners: number): string {
  const tallest = Math.max(1, ...exercise.distribution.map((bin) => bin.count));
  const width = CHART.left * 2 + exercise.distribution.length * (CHART.bin + CHART.gap);
  const height = CHART.top + CHART.height + CHART.bottom;
  const byPoints = exercise.maxPoints <= POINT_BINS_UP_TO;
  const unit = byPoints ? 'points' : `percent of the ${exercise.maxPoints} points`;
  const title = `${exercise.id}: how many of the ${learners} learners scored ${byPoints ? 'each number of points' : 'in each band of ten percent'}`;
  const bars = exercise.distribution.map((bin: ScoreBin, index) => {
    const x = CHART.left + index * (CHART.bin + CHART.gap);
    const barHeight = Math.round((bin.count / tallest) * CHART.height);
    const y = CHART.top + CHART.height - barHeight;
    const centre = x + CHART.bin / 2;
    const what = `${bin.label}${byPoints ? ` point${bin.label === '1' ? '' : 's'}` : ''}: ${bin.count} learner${bin.count === 1 ? '' : 's'}`;
    return (
      `<g class="bin" data-label="${escapeHtml(bin.label)}" data-count="${bin.count}"><title>${escapeHtml(what)}</title>` +
      `<rect x="${x}" y="${y}" width="${CHART.bin}" height="${barHeight}"/>` +
      `<text class="count" x="${centre}" y="${y - 5}" text-anchor="middle">${bin.count}</text>` +
      `<text class="label" x="${centre}" y="${CHART.top + CHART.height + 16}" text-anchor="middle">${escapeHtml(bin.label)}</text></g>`
    );
  });
  return (
    `<svg class="histogram" data-exercise="${escapeHtml(exercise.id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<line class="axis" x1="${CHART.left}" x2="${width - CHART.left}" y1="${CHART.top + CHART.height}" y2="${CHART.top + CHART.height}"/>` +
    bars.join('') +
    `<text class="unit" x="${width / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(unit)}</text>` +
    '</svg>'
  );
}

function titleOf(facts: ReportFacts, id: string): string {
  return facts.course.exercises.find((exercise) => exercise.id === id)?.title ?? id;
}

function overview(stats: ClassStats): string {
  const average = `${stats.averagePoints.toFixed(1)}/${stats.maxPoints} points (${percent(stats.averagePoints, stats.maxPoints)}%)`;
  const errors =
    stats.withErrors === 0
      ? 'No learner has an exercise that could not be graded.'
      : `${stats.withErrors} learner${stats.withErrors === 1 ? ' has' : 's have'} an exercise that could not be graded (error, 0 points): see the table of learners.`;
  return (
    `<p class="overview"><span data-fact="learners">${stats.learners}</span> learner${stats.learners === 1 ? '' : 's'}. ` +
    `Class average: <span data-fact="average">${average}</span>. ${errors}</p>`
  );
}

function exercisesTable(facts: ReportFacts, stats: ClassStats): string {
  const rows = stats.exercises.map(
    (exercise) =>
      `<tr data-exercise="${escapeHtml(exercise.id)}"><th scope="row">${escapeHtml(exercise.id)}</th><td>${escapeHtml(titleOf(facts, exercise.id))}</td>` +
      `<td class="pass-rate">${barSvg(exercise.passed, stats.learners, `${exercise.id}: learners who passed`)}</td>` +
      `<td class="num">${exercise.averagePoints.toFixed(1)}/${exercise.maxPoints}</td><td class="num">${exercise.errors}</td></tr>`,
  );
  return (
    '<section id="exercises"><h2>Exercises</h2>' +
    '<table><thead><tr><th scope="col">Exercise</th><th scope="col">Title</th><th scope="col">Learners who passed it</th>' +
    '<th scope="col">Average points</th><th scope="col">Could not be graded</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

function distributions(facts: ReportFacts, stats: ClassStats): string {
  const figures = stats.exercises.map(
    (exercise) =>
      `<figure><figcaption><strong>${escapeHtml(exercise.id)}</strong> — ${escapeHtml(titleOf(facts, exercise.id))}` +
      ` (${exercise.maxPoints} points; could not be graded counts as 0)</figcaption>${histogramSvg(exercise, stats.learners)}</figure>`,
  );
  return `<section id="distribution"><h2>Score distribution per exercise</h2><div class="figures">${figures.join('')}</div></section>`;
}

function behaviourRows(exercise: ExerciseStats, learners: number): string {
  let task: string | undefined;
  const tasks = new Set(exercise.behaviours.map((behaviour) => behaviour.task)).size;
  return exercise.behaviours
    .map((behaviour) => {
      const heading = tasks > 1 && behaviour.task !== task ? `<tr class="task"><th colspan="2" scope="rowgroup">${escapeHtml(behaviour.task)}</th></tr>` : '';
      task = behaviour.task;
      return (
        `${heading}<tr class="behaviour"><th scope="row">${escapeHtml(behaviour.name)}</th>` +
        `<td class="pass-rate">${barSvg(behaviour.passed, learners, 'learners who passed')}</td></tr>`
      );
    })
    .join('');
}

function behaviours(facts: ReportFacts, stats: ClassStats): string {
  const tables = stats.exercises.map((exercise) => {
    const body =
      exercise.behaviours.length > 0
        ? behaviourRows(exercise, stats.learners)
        : '<tr><td colspan="2">No learner’s exercise could be graded: no behaviour results.</td></tr>';
    return (
      `<table class="behaviours" data-exercise="${escapeHtml(exercise.id)}"><caption>${escapeHtml(exercise.id)} — ${escapeHtml(titleOf(facts, exercise.id))}</caption>` +
      '<thead><tr><th scope="col">Behaviour</th><th scope="col">Learners who passed it</th></tr></thead>' +
      `<tbody>${body}</tbody></table>`
    );
  });
  return `<section id="behaviours"><h2>Pass rate of every behaviour</h2>${tables.join('')}</section>`;
}

function hintCell(behaviour: BehaviourStats): string {
  return behaviour.hint === undefined
    ? '<td class="no-hint">No hint: none of its failure messages has one.</td>'
    : `<td class="hint">${escapeHtml(behaviour.hint)}</td>`;
}

function teachNext(stats: ClassStats): string {
  const missed = mostMissed(stats, MOST_MISSED);
  if (missed.length === 0) return '<section id="most-missed"><h2>What to teach next</h2><p>Every learner passed every behaviour.</p></section>';
  const rows = missed.map(
    (behaviour, index) =>
      `<tr><td class="num">${index + 1}</td><th scope="row">${escapeHtml(behaviour.name)}</th><td>${escapeHtml(behaviour.exercise)}</td>` +
      `<td class="num missed">${ratio(behaviour.missed, stats.learners)}</td>${hintCell(behaviour)}</tr>`,
  );
  return (
    `<section id="most-missed"><h2>What to teach next: the ${missed.length} most-missed behaviour${missed.length === 1 ? '' : 's'}</h2>` +
    '<p>Missed: learners who did not pass the behaviour (including those whose exercise could not be graded). ' +
    'Hint: the most common hint among the class’s failure messages for it.</p>' +
    '<table><thead><tr><th scope="col">#</th><th scope="col">Behaviour</th><th scope="col">Exercise</th>' +
    `<th scope="col">Missed by</th><th scope="col">Hint</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

const STATUS = { pass: 'passed', fail: 'not yet', error: 'error' } as const;

function learnersTable(facts: ReportFacts, stats: ClassStats): string {
  const head = stats.exercises.map((exercise) => `<th scope="col">${escapeHtml(exercise.id)} (${exercise.maxPoints})</th>`).join('');
  const rows = facts.learners.map(({ id, report }) => {
    const cells = stats.exercises.map((exercise) => {
      const result = report.exercises.find((candidate) => candidate.id === exercise.id);
      const status = result?.status ?? 'error';
      return `<td class="num ${status}">${result?.points ?? 0} <span class="status">${STATUS[status]}</span></td>`;
    });
    return (
      `<tr class="learner"><th scope="row"><a href="${escapeHtml(feedbackHref(id))}">${escapeHtml(id)}</a></th>${cells.join('')}` +
      `<td class="num total">${report.points}/${report.maxPoints}</td><td class="num">${percent(report.points, report.maxPoints)}%</td></tr>`
    );
  });
  return (
    '<section id="learners"><h2>Learners</h2><p>Each name links to the learner’s feedback file.</p>' +
    `<table><thead><tr><th scope="col">Learner</th>${head}<th scope="col">Total</th><th scope="col">Percent</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 2rem auto; max-width: 76rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .8rem 0 1.4rem; width: 100%; }
th, td { border-bottom: 1px solid #e2e2e2; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; font-weight: 600; } tbody th { font-weight: normal; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
td.num { text-align: right; white-space: nowrap; } td.pass-rate { white-space: nowrap; width: 1%; }
.behaviours th[scope=row] { width: 70%; } tr.task th { font-style: italic; background: #f6f6f6; }
.status { color: #555; font-size: .85em; } td.error .status { font-weight: 600; color: #8a1c1c; }
.no-hint { color: #555; font-style: italic; } .overview { font-size: 1.05rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem 2rem; } figure { margin: 0; max-width: 36rem; } figcaption { margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; } svg text.label { font-size: 11px; }
#exercises tbody th, #learners tbody th { white-space: nowrap; } nav a { margin-right: 1rem; } svg .axis { stroke: #555; }
.histogram rect { fill: #3b6ea8; } .bar .track { fill: #e6e6e6; } .bar .fill { fill: #2f7d4f; }
svg.bar { vertical-align: middle; } .ratio { margin-left: .4rem; }
`;

const NAV =
  '<nav aria-label="Sections"><a href="#exercises">Exercises</a><a href="#distribution">Score distribution</a>' +
  '<a href="#behaviours">Every behaviour</a><a href="#most-missed">What to teach next</a><a href="#learners">Learners</a></nav>';

export function formatReportHtml(facts: ReportFacts): string {
  const stats = classStats(facts.learners);
  const title = `${facts.course.title} — class report`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing to fetch: a page that could not load anything cannot leak a learner's data or run their code.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    overview(stats),
    NAV,
    exercisesTable(facts, stats),
    distributions(facts, stats),
    behaviours(facts, stats),
    teachNext(stats),
    learnersTable(facts, stats),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
