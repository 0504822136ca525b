/**
 * The contract trace beside each suite (`<id>.contract.md`, definition of
 * done item 8): a table from every sentence of the exercise's contract to the
 * behaviours that check it, or the reason none does. `verify` reads it with
 * these functions: every named behaviour must exist, every behaviour of the
 * suite must be named, and every sentence of the contract's Behaviours and
 * Left open sections must be in the table (where the contract can be read).
 */

export interface TraceRow {
  /** The contract's sentence, whitespace collapsed. */
  sentence: string;
  /** Behaviour names, from the “…” quotes of the second column. */
  behaviours: string[];
  /** The second column, for a row that names no behaviour (`left open: …`, `not checked: …`). */
  reason: string | undefined;
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Cells of one table line, `\|` kept as a literal `|`. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => collapse(cell.replace(/\\\|/g, '|')));
}

export function parseTrace(markdown: string): TraceRow[] {
  const rows: TraceRow[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.trim().startsWith('|')) continue;
    const [sentence = '', checkedBy = ''] = cells(line);
    if (/^-+$/.test(sentence.replace(/[:\s]/g, '')) || sentence === 'Contract sentence') continue;
    const behaviours = [...checkedBy.matchAll(/“([^”]+)”/g)].map((m) => collapse(m[1]!));
    rows.push({ sentence, behaviours, reason: behaviours.length === 0 ? checkedBy : undefined });
  }
  return rows;
}

/**
 * The bullets of the contract's `## Behaviours` (with its `###` subsections)
 * and `## Left open…` sections, each as one line of text.
 */
export function contractBullets(markdown: string): string[] {
  const bullets: string[] = [];
  let inScope = false;
  let current: string[] | undefined;
  const flush = () => {
    if (current) bullets.push(collapse(current.join(' ')));
    current = undefined;
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{2,3})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      if (heading[1] === '##') inScope = /^(Behaviours|Left open)/i.test(heading[2]!);
      continue;
    }
    if (!inScope) continue;
    if (/^- /.test(line)) {
      flush();
      current = [line.slice(2)];
    } else if (current && /^\s+\S/.test(line)) {
      current.push(line.trim());
    } else {
      flush();
    }
  }
  flush();
  return bullets;
}

export interface TraceCheck {
  rows: TraceRow[];
  /** Behaviour names of the suite, in suite order. */
  behaviours: string[];
  /** The contract's bullets, when the contract can be read. */
  bullets?: string[];
}

/** What is wrong with a trace, one line each; empty when it is complete. */
export function traceProblems({ rows, behaviours, bullets }: TraceCheck): string[] {
  const problems: string[] = [];
  const known = new Set(behaviours.map(collapse));
  const named = new Set(rows.flatMap((row) => row.behaviours));
  for (const name of named) if (!known.has(name)) problems.push(`names a behaviour the suite does not have: “${name}”`);
  for (const name of known) if (!named.has(name)) problems.push(`behaviour not traced to any sentence: “${name}”`);
  for (const row of rows) {
    if (row.behaviours.length === 0 && !/^(left open|not checked):\s*\S/i.test(row.reason ?? '')) {
      problems.push(`sentence with neither a behaviour nor a reason ("left open: …"): ${row.sentence}`);
    }
  }
  for (const bullet of bullets ?? []) {
    let rest = bullet;
    for (const row of rows) if (row.sentence !== '') rest = rest.split(row.sentence).join(' ');
    rest = rest.replace(/[\s.,;:]+/g, '');
    if (rest !== '') problems.push(`contract text not in the table: ${bullet}`);
  }
  return problems;
}
