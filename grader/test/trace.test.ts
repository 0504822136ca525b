import { describe, expect, it } from 'vitest';
import { contractBullets, parseTrace, traceProblems } from '../course/trace.ts';

const contract = `# Exercise \`demo\`

\`\`\`ts
- not a bullet of the behaviours
\`\`\`

## Behaviours

### part one
- \`limit(fn)\` calls fn. It never throws:
  a throw becomes a rejection.
- Values are \`a | b\`.

## Left open (never pinned)
- How many microtasks it takes.

## Classic bugs
- Not traced.
`;

const table = `# Contract trace: demo

| Contract sentence | Checked by |
| --- | --- |
| \`limit(fn)\` calls fn. | “calls fn”; “calls fn twice” (and more words) |
| It never throws: a throw becomes a rejection. | “rejects on a throw” |
| Values are \`a \\| b\`. | not checked: types only |
| How many microtasks it takes. | left open: no behaviour counts microtasks |
`;

describe('contract trace', () => {
  it('reads the bullets of Behaviours (with subsections) and Left open, joined into one line each', () => {
    expect(contractBullets(contract)).toEqual([
      '`limit(fn)` calls fn. It never throws: a throw becomes a rejection.',
      'Values are `a | b`.',
      'How many microtasks it takes.',
    ]);
  });

  it('reads rows: the sentence, the quoted behaviour names, or the reason', () => {
    const rows = parseTrace(table);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ sentence: '`limit(fn)` calls fn.', behaviours: ['calls fn', 'calls fn twice'], reason: undefined });
    expect(rows[2]).toEqual({ sentence: 'Values are `a | b`.', behaviours: [], reason: 'not checked: types only' });
  });

  it('is complete when every sentence, every behaviour and every name agree', () => {
    const rows = parseTrace(table);
    const behaviours = ['calls fn', 'calls fn twice', 'rejects on a throw'];
    expect(traceProblems({ rows, behaviours, bullets: contractBullets(contract) })).toEqual([]);
  });

  it('names each gap: an unknown or untraced behaviour, a row without a reason, contract text left out', () => {
    const rows = parseTrace(table.replace('| It never throws: a throw becomes a rejection. | “rejects on a throw” |\n', '').replace('not checked: types only', 'types only'));
    const problems = traceProblems({ rows, behaviours: ['calls fn', 'rejects on a throw', 'calls fn twice', 'orders calls'], bullets: contractBullets(contract) });
    expect(problems).toEqual([
      'behaviour not traced to any sentence: “rejects on a throw”',
      'behaviour not traced to any sentence: “orders calls”',
      'sentence with neither a behaviour nor a reason ("left open: …"): Values are `a | b`.',
      'contract text not in the table: `limit(fn)` calls fn. It never throws: a throw becomes a rejection.',
    ]);
  });
});
