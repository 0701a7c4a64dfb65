import { rouge } from '@s2s/metrics';
import { describe, expect, it } from 'vitest';
import { greedyOracle } from './oracle.js';

/** A seeded generator of tiny articles: 5–7 sentences of 3–6 words from 12 stems. */
function tinyArticles(count: number, seed: number): string[][] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const pool = 'bank rates rise fell minister said growth jobs market shares profit firm'.split(
    ' ',
  );
  return Array.from({ length: count }, () =>
    Array.from({ length: 5 + next(3) }, () =>
      Array.from({ length: 3 + next(4) }, () => pool[next(pool.length)]).join(' '),
    ),
  );
}

/** ROUGE-1 F1 + ROUGE-2 F1 as @s2s/metrics computes it (stemmed), of sentences in article order. */
function score(sentences: readonly string[], picks: readonly number[], reference: string): number {
  const text = [...picks]
    .sort((a, b) => a - b)
    .map((i) => sentences[i])
    .join(' ');
  const r = rouge(text, reference, { rougeTypes: ['rouge1', 'rouge2'], useStemmer: true });
  return r.rouge1!.fmeasure + r.rouge2!.fmeasure;
}

/** Every non-empty subset of n sentences, as index lists. */
function subsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++)
    out.push(Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i)));
  return out;
}

describe('greedyOracle', () => {
  it('finds the best subset by brute force when the reference is made of article sentences', () => {
    // Sentences with words of their own, so no wrong sentence shares a word with the reference.
    const articles = tinyArticles(20, 7).map((a) =>
      a.map((s, i) =>
        s
          .split(' ')
          .map((w) => `${w}${i}`)
          .join(' '),
      ),
    );
    for (const [k, sentences] of articles.entries()) {
      const kept = sentences.filter((_, i) => (k >> i) & 1 || i === k % sentences.length);
      const reference = kept.join(' ');
      const oracle = greedyOracle(sentences, reference);
      const brute = Math.max(
        ...subsets(sentences.length).map((s) => score(sentences, s, reference)),
      );
      expect(brute).toBeCloseTo(2, 9);
      expect(score(sentences, oracle.picks, reference)).toBeCloseTo(brute, 9);
      expect(oracle.score).toBeCloseTo(brute, 9);
    }
  });

  it('adds, at every step, the sentence a brute-force search over one more sentence picks', () => {
    const references = tinyArticles(15, 99).map((s) => s.slice(0, 3).join(' '));
    for (const [k, sentences] of tinyArticles(15, 3).entries()) {
      const reference = references[k]!;
      const oracle = greedyOracle(sentences, reference);
      const chosen: number[] = [];
      for (const pick of oracle.picks) {
        const gains = sentences.map((_, i) =>
          chosen.includes(i) ? -1 : score(sentences, [...chosen, i], reference),
        );
        expect(gains[pick]).toBeCloseTo(Math.max(...gains), 9);
        chosen.push(pick);
      }
      // It stopped because no further sentence helps, and never beats the brute-force best.
      const now = score(sentences, chosen, reference);
      for (let i = 0; i < sentences.length; i++) {
        if (!chosen.includes(i))
          expect(score(sentences, [...chosen, i], reference)).toBeLessThanOrEqual(now + 1e-9);
      }
      const brute = Math.max(
        ...subsets(sentences.length).map((s) => score(sentences, s, reference)),
      );
      expect(oracle.score).toBeLessThanOrEqual(brute + 1e-9);
      expect(oracle.score).toBeCloseTo(now, 9);
      expect(new Set(oracle.picks).size).toBe(oracle.picks.length);
    }
  });

  it('stops at maxPicks and picks nothing for a reference sharing no word', () => {
    const sentences = ['rates rise', 'jobs fell', 'profit rose'];
    expect(greedyOracle(sentences, 'rates rise jobs fell profit rose', 2).picks).toHaveLength(2);
    expect(greedyOracle(sentences, 'weather sunny').picks).toEqual([]);
  });
});
