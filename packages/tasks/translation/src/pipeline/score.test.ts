import { ShapeError } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { examples } from '../../test/helpers.js';
import { scoreTranslations } from './score.js';

/** BLEU by hand: 100 · BP · (Π p_n)^(1/4). */
function bleu(precisions: readonly number[], sysLen: number, refLen: number): number {
  const bp = sysLen >= refLen ? 1 : Math.exp(1 - refLen / sysLen);
  const logMean = precisions.reduce((s, p) => s + Math.log(p), 0) / precisions.length;
  return 100 * bp * Math.exp(logMean);
}

describe('scoreTranslations', () => {
  it('matches BLEU worked out by hand on one sentence, with exponential smoothing of a zero', () => {
    // hyp: the cat sat on the mat / ref: the cat is on the mat
    // 1-grams 5/6 (the ×2, cat, on, mat), 2-grams 3/5 (the cat, on the, the mat),
    // 3-grams 1/4 (on the mat), 4-grams 0/3 → smoothed to 1/(2·3); lengths 6 and 6.
    const result = scoreTranslations(
      ['the cat sat on the mat'],
      examples([['le chat', 'the cat is on the mat']]),
    );
    expect(result.primary).toBe('bleu');
    expect(result.scores.bleu).toBeCloseTo(bleu([5 / 6, 3 / 5, 1 / 4, 1 / 6], 6, 6), 10);
    expect(result.scores.bleu).toBeCloseTo(37.99, 2);
    expect(result.signature).toBe(
      'BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0+s2s',
    );
  });

  it('scores against every reference: counts clipped by the best one, the closest length', () => {
    // Sentence 1 "a b c d" matches its one reference fully: 4/4, 3/3, 2/2, 1/1.
    // Sentence 2 "x y q" against "x z" and "x y w": 1-grams x, y → 2/3; 2-grams "x y" → 1/2;
    // 3-grams 0/1; closest reference length 3. Corpus: 6/7, 4/5, 2/3, 1/1; lengths 7 and 7.
    const tasks = [
      { input: 'A', references: ['a b c d'] },
      { input: 'X', references: ['x z', 'x y w'] },
    ];
    const multi = scoreTranslations(['a b c d', 'x y q'], tasks);
    expect(multi.scores.bleu).toBeCloseTo(bleu([6 / 7, 4 / 5, 2 / 3, 1], 7, 7), 10);
    expect(multi.signature).toMatch(/^BLEU\|nrefs:var\|/);
    // Against first references only: 1-grams 5/7, 2-grams 3/5, 3-grams 2/3, 4-grams 1/1;
    // reference length 4 + 2 = 6, shorter than the output, so no brevity penalty.
    const single = scoreTranslations(
      ['a b c d', 'x y q'],
      tasks.map((t) => ({ ...t, references: t.references.slice(0, 1) })),
    );
    expect(single.scores.bleu).toBeCloseTo(bleu([5 / 7, 3 / 5, 2 / 3, 1], 7, 6), 10);
  });

  it('applies the brevity penalty exp(1 − r/c) to short outputs', () => {
    // "a b c d" against "a b c d e f g h": every n-gram matches (4/4, 3/3, 2/2, 1/1), but
    // c = 4 < r = 8, so BLEU = 100 · e^(1 − 8/4) = 100/e.
    const result = scoreTranslations(['a b c d'], examples([['x', 'a b c d e f g h']]));
    expect(result.scores.bleu).toBeCloseTo(100 / Math.E, 10);
  });

  it('reports chrF: 100 for exact outputs, lower for a wrong one', () => {
    const refs = examples([
      ['x', 'Je suis malade.'],
      ['y', 'Il est grand.'],
    ]);
    expect(scoreTranslations(['Je suis malade.', 'Il est grand.'], refs).scores.chrf).toBeCloseTo(
      100,
      10,
    );
    const worse = scoreTranslations(['Je suis malade.', 'Elle est petite.'], refs).scores.chrf;
    expect(worse).toBeGreaterThan(0);
    expect(worse).toBeLessThan(100);
  });

  it('needs one output per example', () => {
    expect(() => scoreTranslations(['a'], examples([]))).toThrow(ShapeError);
    expect(() => scoreTranslations([], examples([['x', 'y']]))).toThrow(ShapeError);
  });
});
