import { describe, expect, it } from 'vitest';
import { judgeNotes, readNotes } from '../dev/mutation-notes.ts';

const notes = `# Mutation testing: demo

## solutions/01-demo/demo.ts

Score: raw 90.00% (9/10: killed 9, timeout 0, survived 1, no coverage 0); after explanations 100% (9/9)

- a survivor, explained

## grader/zoo/demo/alternatives/other.ts

Score: raw 80.00% (8/10: killed 7, timeout 1, survived 1, no coverage 1); after explanations 88.89%
`;

describe('mutation notes', () => {
  it("reads each file's Score: line from its own section", () => {
    expect(readNotes(notes, 'solutions/01-demo/demo.ts')).toEqual({ undetected: 1, afterExplanations: 100 });
    expect(readNotes(notes, 'grader/zoo/demo/alternatives/other.ts')).toEqual({ undetected: 2, afterExplanations: 88.89 });
    expect(readNotes(notes, 'grader/zoo/demo/alternatives/missing.ts')).toBeUndefined();
  });

  it('passes notes that match the run and reach 95%; names stale, low or missing notes', () => {
    expect(judgeNotes(1, readNotes(notes, 'solutions/01-demo/demo.ts'))).toEqual({ ok: true, text: '100% after explanations' });
    expect(judgeNotes(3, readNotes(notes, 'solutions/01-demo/demo.ts'))).toEqual({
      ok: false,
      text: 'notes are stale: they explain 1 survivors, this run has 3',
    });
    expect(judgeNotes(2, readNotes(notes, 'grader/zoo/demo/alternatives/other.ts')).ok).toBe(false);
    expect(judgeNotes(0, undefined).ok).toBe(false);
  });
});
