import { describe, expect, it } from 'vitest';
import { alignCounts } from './levenshtein.js';

const chars = (s: string) => Array.from(s);
const words = (s: string) => s.split(' ').filter(Boolean);

/** Brute force: the Levenshtein distance by the textbook recurrence. */
function distance(a: readonly string[], b: readonly string[]): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

describe('alignCounts', () => {
  it('breaks ties as jiwer (rapidfuzz) does on jiwer’s alignment tests', () => {
    // jiwer tests/test_alignment.py, test_show_measures (words): S=3 D=5 I=0 H=1.
    expect(
      alignCounts(words('this test will have a high word error rate'), words('no it will not')),
    ).toEqual({ hits: 1, substitutions: 3, deletions: 5, insertions: 0 });
    // The same, on characters: substitutions=4 deletions=29 insertions=0 hits=10.
    expect(
      alignCounts(chars('this test will  have a high word error rate'), chars('no it will not')),
    ).toEqual({ hits: 10, substitutions: 4, deletions: 29, insertions: 0 });
    // test_all_three (characters): marker row "IS    S  IS SSD SDDD" → I=2, S=6, D=4.
    expect(alignCounts(chars('this is a test of skill'), chars('this was a messy test'))).toEqual({
      hits: 13,
      substitutions: 6,
      deletions: 4,
      insertions: 2,
    });
    // test_all_three (words): "S I D D" → S=1, I=1, D=2, H=3.
    expect(alignCounts(words('this is a test of skill'), words('this was a messy test'))).toEqual({
      hits: 3,
      substitutions: 1,
      deletions: 2,
      insertions: 1,
    });
  });

  it('has as many edits as the Levenshtein distance, on random sequences', () => {
    // Brute-force check of the edit total (the tie-breaking only moves S against D + I).
    let seed = 7;
    const next = () => {
      seed = (seed * 48271) % 2147483647; // MINSTD, exact in doubles
      return seed % 4;
    };
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: next() + next() }, () => 'abcd'[next()]!);
      const b = Array.from({ length: next() + next() }, () => 'abcd'[next()]!);
      const c = alignCounts(a, b);
      expect(c.substitutions + c.deletions + c.insertions).toBe(distance(a, b));
      expect(c.hits + c.substitutions + c.deletions).toBe(a.length);
      expect(c.hits + c.substitutions + c.insertions).toBe(b.length);
    }
  });

  it('handles empty sides', () => {
    expect(alignCounts([], ['a', 'b'])).toEqual({
      hits: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 2,
    });
    expect(alignCounts(['a'], [])).toEqual({
      hits: 0,
      substitutions: 0,
      deletions: 1,
      insertions: 0,
    });
    expect(alignCounts([], [])).toEqual({ hits: 0, substitutions: 0, deletions: 0, insertions: 0 });
  });
});
