import { describe, expect, it } from 'vitest';
import { MetricConfigError, MetricInputError } from '../errors.js';
import { computeBleu, corpusBleu, sentenceBleu } from './bleu.js';

// The corpus of sacreBLEU's README and test/test_bleu.py (`_hyps`, `_refs`): three
// segments, two reference streams.
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];

describe('corpusBleu against sacreBLEU', () => {
  it('reproduces the README example, statistics and signature included', () => {
    const bleu = corpusBleu(hyps, refs);
    // test_bleu.py test_corpus_bleu_cases: default settings → 48.530827.
    expect(bleu.score).toBeCloseTo(48.530827, 6);
    // README "Using SacreBLEU from Python": the verbose line and the signature.
    expect(bleu.text).toBe(
      'BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)',
    );
    expect(bleu.signature).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0+s2s');
    // Hand count of the README's 82.4/50.0/45.5/37.5: 14/17, 7/14, 5/11, 3/8.
    expect(bleu.counts).toEqual([14, 7, 5, 3]);
    expect(bleu.totals).toEqual([17, 14, 11, 8]);
  });

  it.each([
    // test_bleu.py test_corpus_bleu_cases, each to sacreBLEU's 1e-8.
    [{ tokenize: 'none' }, 49.1919566],
    [{ tokenize: '13a' }, 48.530827],
    [{ tokenize: 'intl' }, 43.91623493],
    [{ smoothMethod: 'none' }, 48.530827],
  ] as const)('options %o → %f', (options, expected) => {
    expect(corpusBleu(hyps, refs, options).score).toBeCloseTo(expected, 6);
  });

  it.each([
    // test_bleu.py test_max_ngram_order, printed to two decimals.
    [1, '77.65'],
    [2, '60.50'],
    [3, '53.93'],
    [4, '48.53'],
    [5, '46.14'],
    [6, '43.28'],
  ])('maxNgramOrder %i → %s', (order, expected) => {
    expect(corpusBleu(hyps, refs, { maxNgramOrder: order }).score.toFixed(2)).toBe(expected);
  });

  it('scores empty hypotheses 0 instead of dropping them', () => {
    // test_bleu.py: (('', '', ''), _refs, {}, 0.0).
    const bleu = corpusBleu(['', '', ''], refs);
    expect(bleu.score).toBe(0);
    expect(bleu.sysLen).toBe(0);
    expect(bleu.bp).toBe(0);
  });

  it('treats a null reference as a missing one (nrefs:var), as sacreBLEU does None', () => {
    // README "Variable Number of References": BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 …).
    const varRefs = [[null, refs[0]![1]!, refs[0]![2]!], refs[1]!];
    const bleu = corpusBleu(hyps, varRefs);
    expect(bleu.text).toBe(
      'BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)',
    );
    expect(bleu.signature).toMatch(/^nrefs:var\|/);
  });

  it('matches raw_corpus_bleu: tok none, floor smoothing, effective order', () => {
    const raw = (h: string[], r: string[][], smoothValue = 0.01) =>
      corpusBleu(h, r, {
        tokenize: 'none',
        smoothMethod: 'floor',
        smoothValue,
        effectiveOrder: true,
      }).score / 100;
    // test_bleu.py test_raw_bleu_cases and test_case_effective_order, to 1e-8.
    expect(raw(['this is a test', 'another test'], [['ref1', 'ref2']])).toBe(0);
    expect(raw(['this is a test'], [['this is a test']])).toBeCloseTo(1, 8);
    expect(raw(['this is a fest'], [['this is a test']])).toBeCloseTo(0.223606797749979, 8);
    expect(raw(['test'], [['a test']])).toBeCloseTo(0.3678794411714425, 8);
    expect(raw(['a test'], [['a test']])).toBeCloseTo(1, 8);
    expect(raw(['a little test'], [['a test']])).toBeCloseTo(0.03218297948685433, 8);
    // test_case_offset: floor 0 → 0; the default floor 0.1 → 0.1555722182.
    const h = ['am I am a character sequence'];
    const r = [['I am a symbol string sequence a a']];
    expect(raw(h, r, 0)).toBe(0);
    const withDefaultFloor = corpusBleu(h, r, {
      tokenize: 'none',
      smoothMethod: 'floor',
      effectiveOrder: true,
    });
    expect(withDefaultFloor.score / 100).toBeCloseTo(0.1555722182, 8);
    // test_case_statistics: counts [4, 2, 1, 0], totals [6, 5, 4, 3].
    expect(withDefaultFloor.counts).toEqual([4, 2, 1, 0]);
    expect(withDefaultFloor.totals).toEqual([6, 5, 4, 3]);
    expect(withDefaultFloor.signature).toContain('|eff:yes|tok:none|smooth:floor[0.10]|');
  });

  it('hypothesis longer than the reference has no brevity penalty', () => {
    // Hand-worked: hyp "a b c d e" vs ref "a b c": p = 3/5, 2/4, 1/3, 0/2 → exp smoothing
    // p4 = 100/(2·2) = 25; BLEU = (60·50·33.33·25)^(1/4) = 2500000^(1/4) = 39.7635; BP = 1.
    const bleu = corpusBleu(['a b c d e'], [['a b c']]);
    expect(bleu.bp).toBe(1);
    expect(bleu.ratio).toBeCloseTo(5 / 3, 12);
    expect(bleu.score).toBeCloseTo(Math.sqrt(Math.sqrt(60 * 50 * (100 / 3) * 25)), 10);
    expect(bleu.score).toBeCloseTo(39.7635, 4);
  });

  it('closest reference length prefers the shorter one on a tie', () => {
    // Hand-worked: hyp of 3 tokens, references of 2 and 4 tokens: both 1 away → 2.
    expect(corpusBleu(['a b c'], [['a b'], ['a b c d']]).refLen).toBe(2);
  });

  it('scores Unicode text on code points, with intl splitting Unicode punctuation', () => {
    // Hand-worked: intl splits „ “ and ! off; 13a only splits the ASCII '!'.
    const h = ['„Guten Tag!“'];
    const r = [['„Guten Tag!“']];
    expect(corpusBleu(h, r, { tokenize: 'intl' }).sysLen).toBe(5);
    expect(corpusBleu(h, r).sysLen).toBe(4);
    expect(corpusBleu(h, r).score).toBeCloseTo(100, 10);
  });
});

describe('sentenceBleu against sacreBLEU', () => {
  // test_sentence_bleu.py, example from sacreBLEU issue #98, each to sacreBLEU's 1e-3.
  const ref = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const sys = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  it.each([
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' }, 7.347],
    [{ tokenize: 'intl' }, 8.493],
  ] as const)('%o → %f', (options, expected) => {
    expect(Math.abs(sentenceBleu(sys, [ref], options).score - expected)).toBeLessThan(1e-3);
  });

  it('is 0 with every smoothing when no n-gram matches (sacreBLEU #141)', () => {
    for (const smoothMethod of ['exp', 'none', 'floor', 'add-k'] as const) {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod }).score).toBe(0);
    }
  });

  it('signs sentence scores with eff:yes', () => {
    expect(sentenceBleu('a', ['a']).signature).toBe(
      'nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0+s2s',
    );
  });

  it('lower-cases when asked and says so', () => {
    const cased = sentenceBleu('The Cat', ['the cat']);
    const lc = sentenceBleu('The Cat', ['the cat'], { lowercase: true });
    expect(cased.score).toBeLessThan(100);
    expect(lc.score).toBeCloseTo(100, 10);
    expect(lc.signature).toContain('case:lc');
  });
});

describe('computeBleu', () => {
  it('matches test_bleu.py test_case_scoring', () => {
    // Statistics([9, 7, 5, 3], [10, 8, 6, 4]), sys 11, ref 11 → 0.8375922397.
    const { score } = computeBleu({
      counts: [9, 7, 5, 3],
      totals: [10, 8, 6, 4],
      sysLen: 11,
      refLen: 11,
    });
    expect(score / 100).toBeCloseTo(0.8375922397, 9);
  });

  it.each([
    // test_bleu.py test_case_degenerate_stats with floor smoothing: all exactly 0.
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('degenerate %j/%j → 0', (counts, totals, sysLen, refLen, smoothValue) => {
    const stats = { counts, totals, sysLen, refLen };
    expect(computeBleu(stats, { smoothMethod: 'floor', smoothValue }).score).toBe(0);
  });
});

describe('input and option checks', () => {
  it('keeps an empty reference: sacreBLEU drops only None (its code, not its prose)', () => {
    // By hand: the empty reference (length 0) is the closest to the 2-token hypothesis, so
    // BP = 1; 2/2 unigrams and 1/1 bigram match; effective order 2: BLEU = 100.
    const both = sentenceBleu('the cat', ['', 'the cat sat on the mat']);
    expect(both.score).toBeCloseTo(100, 10);
    expect(both.signature).toMatch(/^nrefs:2\|/);
    // Only empty references: scored (no match, so 0), not refused.
    expect(sentenceBleu('a', ['']).score).toBe(0);
    expect(corpusBleu(['a'], [['']]).text).toBe(
      'BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 0.000 hyp_len = 1 ref_len = 0)',
    );
    expect(() => sentenceBleu('a', [null])).toThrow(/segment 0 has no reference/);
  });

  it('rejects reference streams of the wrong length and an empty corpus', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(/stream 0 has 1 segments, expected 2/);
    expect(() => corpusBleu([], [[]])).toThrow(MetricInputError);
  });

  it('names a bad or unknown option', () => {
    expect(() => corpusBleu(['a'], [['a']], { tokenize: 'ja-mecab' as never })).toThrow(
      /option 'tokenize' must be one of 13a, intl, zh, char, none, got 'ja-mecab'/,
    );
    expect(() => corpusBleu(['a'], [['a']], { smoothMetod: 'exp' } as never)).toThrow(
      MetricConfigError,
    );
    expect(() => corpusBleu(['a'], [['a']], { maxNgramOrder: 0 })).toThrow(/maxNgramOrder/);
  });
});
