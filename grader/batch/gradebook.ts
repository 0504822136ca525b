/** The class's results as files for an instructor: a CSV for spreadsheets and a JSON list for scripts. */
import type { Exercise } from '../course/manifest.ts';
import { toJsonDocument } from '../report/json.ts';
import type { GradeReport, JsonReport } from '../report/types.ts';

export interface GradedLearner {
  id: string;
  report: GradeReport;
}

export type GradebookEntry = { learner: string } & JsonReport;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, so a folder
 * named `=HYPERLINK(...)` would run in the instructor's spreadsheet (OWASP "CSV injection"). A leading '
 * makes it text.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** `learner,<exercise ids in course order>,total,max`, then one row of points per learner, in the order given. */
export function formatGradebookCsv(learners: GradedLearner[], exercises: Exercise[]): string {
  const header = csvLine(['learner', ...exercises.map((exercise) => exercise.id), 'total', 'max']);
  const rows = learners.map(({ id, report }) => {
    const points = new Map(report.exercises.map((result) => [result.id, result.points]));
    const cells = exercises.map((exercise) => String(points.get(exercise.id) ?? ''));
    return csvLine([guardFormula(id), ...cells, String(report.points), String(report.maxPoints)]);
  });
  return header + rows.join('');
}

/** Each learner's `grade --json` document, with the learner's id. */
export function gradebookEntries(learners: GradedLearner[]): GradebookEntry[] {
  return learners.map(({ id, report }) => ({ learner: id, ...toJsonDocument(report) }));
}

export function formatGradebookJson(learners: GradedLearner[]): string {
  return JSON.stringify(gradebookEntries(learners), null, 2) + '\n';
}
