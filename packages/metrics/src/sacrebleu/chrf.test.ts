import { describe, expect, it } from 'vitest';
import { MetricInputError } from '../errors.js';
import { corpusChrf, sentenceChrf } from './chrf.js';

const sacrebleuTest = { charOrder: 6, wordOrder: 0, beta: 3 } as const;

describe('corpusChrf against sacreBLEU', () => {
  it('reproduces the README example', () => {
    // sacreBLEU README "Using SacreBLEU from Python": chrf.corpus_score(sys, refs) → chrF2 = 59.73.
    const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const refs = [
      ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
      ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
    ];
    const chrf = corpusChrf(hyps, refs);
    expect(chrf.text).toBe('chrF2 = 59.73');
    // README signatures: chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:…
    expect(chrf.signature).toBe('nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0+s2s');
  });

  it.each([
    // test_chrf.py test_cases (β = 3, ε-smoothing), each to sacreBLEU's 1e-4.
    [['abcdefg'], ['hijklmnop'], 0],
    [['a'], ['b'], 0],
    [[''], ['b'], 0],
    [[''], ['ref'], 0],
    [[''], ['reference'], 0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50],
    [['a b c'], ['abc'], 50],
    [
      [
        ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      100,
    ],
  ])('ε-smoothed %j vs %j → %f', (hyps, refs, expected) => {
    const score = corpusChrf(hyps, [refs], { ...sacrebleuTest, epsSmoothing: true }).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    // test_chrf.py test_cases_effective_order (β = 3, sacreBLEU's default smoothing).
    [['a'], ['a'], 100],
    [[''], ['reference'], 0],
    [['a b c'], ['a b c'], 100],
    [['a b c'], ['abc'], 100],
    [[''], ['c'], 0],
    [['a', 'b'], ['a', 'c'], 50],
    [['aa'], ['ab'], 25],
  ])('effective-order %j vs %j → %f', (hyps, refs, expected) => {
    expect(Math.abs(corpusChrf(hyps, [refs], sacrebleuTest).score - expected)).toBeLessThan(1e-4);
  });

  it.each([
    // test_chrf.py test_cases_keep_whitespace (β = 3, whitespace kept).
    [
      'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.',
      'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.',
      67.3481606,
    ],
    [
      'risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      65.2414427,
    ],
  ])('whitespace kept: %s → %f', (hyp, ref, expected) => {
    const score = corpusChrf([hyp], [[ref]], { ...sacrebleuTest, whitespace: true }).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-4);
  });
});

describe('sentenceChrf against sacreBLEU', () => {
  it.each([
    // test_chrf.py test_sentence_level_chrf (defaults, ε-smoothing), to 1e-4.
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ])('%s → %f', (hyp, ref, expected) => {
    const score = sentenceChrf(hyp, [ref], { epsSmoothing: true }).score;
    expect(Math.abs(score - expected)).toBeLessThan(1e-4);
  });
});

describe('chrF++ and chrF on a hand-worked example', () => {
  // hyp "the cat", ref "the cat sat.". Characters (whitespace removed) "thecat" vs
  // "thecatsat.": every hypothesis n-gram matches, so P = 1 at every order and
  // R = 6/10, 5/9, 4/8, 3/7, 2/6, 1/5 for n = 1..6. Words: ref splits to the cat sat . so
  // R = 2/4 (unigrams) and 1/3 (bigrams).
  it('chrF2++: R̄ = 1087/2520, F2 = 5R̄/(4 + R̄) = 5435/11167 = 48.6702', () => {
    const chrf = sentenceChrf('the cat', ['the cat sat.'], { wordOrder: 2 });
    expect(chrf.score).toBeCloseTo((100 * 5435) / 11167, 10);
    expect(chrf.score).toBeCloseTo(48.6702, 4);
    expect(chrf.name).toBe('chrF2++');
    expect(chrf.signature).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0+s2s');
    expect(chrf.statistics[6]).toEqual([2, 4, 2]);
    expect(chrf.statistics[7]).toEqual([1, 3, 1]);
  });

  it('chrF2: R̄ = 1649/3780, F2 = 8245/16769 = 49.1681', () => {
    const chrf = sentenceChrf('the cat', ['the cat sat.']);
    expect(chrf.score).toBeCloseTo((100 * 8245) / 16769, 10);
    expect(chrf.score).toBeCloseTo(49.1681, 4);
    expect(chrf.statistics).toEqual([
      [6, 10, 6],
      [5, 9, 5],
      [4, 8, 4],
      [3, 7, 3],
      [2, 6, 2],
      [1, 5, 1],
    ]);
  });
});

describe('chrF edge cases', () => {
  it('counts code points, not UTF-16 units', () => {
    // Hand-worked: one astral character each side. ε-smoothing averages F over 6 orders:
    // order 1 gives 1, orders 2–6 give ε each → 100·(1 + 5ε)/6 = 16.6667 (like "a" vs "a").
    const score = sentenceChrf('𝒳', ['𝒳'], { epsSmoothing: true }).score;
    expect(score).toBeCloseTo(16.6667, 4);
  });

  it('uses the best reference per segment', () => {
    // A perfect second reference makes the segment perfect.
    expect(sentenceChrf('the cat', ['a dog', 'the cat']).score).toBeCloseTo(100, 10);
  });

  it('is 0 for an empty hypothesis, and keeps an empty reference as sacreBLEU does', () => {
    expect(sentenceChrf('', ['something']).score).toBe(0);
    expect(sentenceChrf('x', ['']).score).toBe(0);
    const both = sentenceChrf('the cat', ['', 'the cat']);
    expect(both.score).toBeCloseTo(100, 12);
    expect(both.signature).toMatch(/^nrefs:2\|/);
    expect(() => sentenceChrf('x', [null])).toThrow(MetricInputError);
  });

  it('takes a non-integer beta, as sacreBLEU computes it', () => {
    // By hand, one character order: "ab" against "abc": P = 1, R = 2/3; with β = 0.5,
    // F = 1.25 · (2/3) / (0.25 + 2/3) = 10/11.
    const half = sentenceChrf('ab', ['abc'], { beta: 0.5, charOrder: 1 });
    expect(half.score).toBeCloseTo(1000 / 11, 12);
    expect(half.name).toBe('chrF0.5');
    // β = 1.5: F = 3.25 · (2/3) / (2.25 + 2/3) = (13/6) / (35/12) = 26/35.
    expect(sentenceChrf('ab', ['abc'], { beta: 1.5, charOrder: 1 }).score).toBeCloseTo(
      2600 / 35,
      12,
    );
    expect(() => sentenceChrf('ab', ['abc'], { beta: 0 })).toThrow(
      /'beta' must be a finite number > 0/,
    );
  });

  it('lower-cases when asked and says so', () => {
    const lc = sentenceChrf('The Cat', ['the cat'], { lowercase: true });
    expect(lc.score).toBeCloseTo(100, 10);
    expect(lc.signature).toContain('case:lc');
    expect(sentenceChrf('The Cat', ['the cat']).score).toBeLessThan(100);
  });
});
