/**
 * `<id>.mutation.md` beside each suite explains every surviving mutant, one
 * section per mutated file (`## <path>`), headed by the `Score:` line of the
 * run it explains. `npm run mutation` reads that line back, so notes that no
 * longer match the suite are found, not trusted.
 */

export const REQUIRED_AFTER_EXPLANATIONS = 95;

export interface Notes {
  /** Survivors and mutants without coverage the notes explain. */
  undetected: number;
  /** detected / (valid - explained), in percent. */
  afterExplanations: number;
}

export interface Verdict {
  ok: boolean;
  text: string;
}

/** The `Score:` line under `## <file>`: `Score: raw X% (…survived S, no coverage N); after explanations Y%`. */
export function readNotes(markdown: string, file: string): Notes | undefined {
  const start = markdown.indexOf(`## ${file}\n`);
  if (start === -1) return undefined;
  const section = markdown.slice(start + 3).split(/\n## /)[0]!;
  const score = /^Score:.*survived (\d+), no coverage (\d+)\).*after explanations ([\d.]+)%/m.exec(section);
  if (!score) return undefined;
  return { undetected: Number(score[1]) + Number(score[2]), afterExplanations: Number(score[3]) };
}

/** Do the notes explain this run (`undetected` = survived + no coverage)? */
export function judgeNotes(undetected: number, notes: Notes | undefined): Verdict {
  if (!notes) return { ok: false, text: 'no notes: add a section with its Score: line and explain each survivor' };
  if (notes.undetected !== undetected) {
    return { ok: false, text: `notes are stale: they explain ${notes.undetected} survivors, this run has ${undetected}` };
  }
  if (notes.afterExplanations < REQUIRED_AFTER_EXPLANATIONS) {
    return { ok: false, text: `${notes.afterExplanations}% after explanations, under ${REQUIRED_AFTER_EXPLANATIONS}%` };
  }
  return { ok: true, text: `${notes.afterExplanations}% after explanations` };
}
