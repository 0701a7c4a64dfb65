import { describe, expect, it } from 'vitest';
import { MetricInputError } from '../errors.js';
import { characterErrorRate, wordErrorRate } from './error-rate.js';

const measures = (r: ReturnType<typeof wordErrorRate>) => [r.wer, r.mer, r.wil];

describe('wordErrorRate against jiwer', () => {
  it.each([
    // jiwer tests/test_measures.py test_known_values, from Morris et al. (2004) "From WER
    // and RIL to MER and WIL": (reference, hypothesis, [wer, mer, wil]).
    ['X', 'X', [0, 0, 0]],
    ['X', 'X X Y Y', [3, 0.75, 0.75]],
    ['X Y X', 'X Z', [2 / 3, 2 / 3, 5 / 6]],
    ['X', 'Y', [1, 1, 1]],
    ['X', 'Y Z', [2, 1, 1]],
    // test_input_gt_string_h_string.
    ['This is a test', 'This is a test', [0, 0, 0]],
    ['This is a test', '', [1, 1, 1]],
    ['This is a test', 'This test', [0.5, 0.5, 0.5]],
  ])('%s ← %s', (reference, hypothesis, expected) => {
    const out = measures(wordErrorRate(hypothesis, reference));
    out.forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, 12));
  });

  it('is a corpus rate: summed edits over summed reference words', () => {
    // test_permutations_invariance: wer 0.5, mer 0.4, wil 7/16 in both orders.
    for (const [refs, hyps] of [
      [
        ['i', 'am i good'],
        ['i am', 'i good'],
      ],
      [
        ['am i good', 'i'],
        ['i good', 'i am'],
      ],
    ]) {
      const out = wordErrorRate(hyps!, refs!);
      expect(out.wer).toBeCloseTo(0.5, 12);
      expect(out.mer).toBeCloseTo(0.4, 12);
      expect(out.wil).toBeCloseTo(7 / 16, 12);
    }
  });

  it('reports the edit mix of jiwer’s alignment', () => {
    // test_alignment.py test_show_measures: S=3 D=5 I=0 H=1, wer=88.89%, wil=97.22%.
    const out = wordErrorRate('no it will not', 'this test will  have a high word error rate');
    expect(out).toMatchObject({ substitutions: 3, deletions: 5, insertions: 0, hits: 1 });
    expect(out.wer).toBeCloseTo(8 / 9, 12);
    expect(out.wil).toBeCloseTo(0.9722, 4);
    expect(out.referenceLength).toBe(9);
    expect(out.hypothesisLength).toBe(4);
  });

  it('handles empty references as jiwer 4 does', () => {
    // tests/test_empty_ref.py.
    expect(wordErrorRate('', '')).toMatchObject({ wer: 0, mer: 0, wip: 1, wil: 0, hits: 0 });
    expect(wordErrorRate('hello', '')).toMatchObject({
      insertions: 1,
      wer: 1,
      mer: 1,
      wip: 0,
      wil: 1,
    });
    expect(wordErrorRate('0 1 2 3 4', '')).toMatchObject({ insertions: 5, wer: 5, mer: 1 });
    expect(wordErrorRate('', 'hello')).toMatchObject({ deletions: 1, wer: 1, mer: 1, wip: 0 });
    const mixed = wordErrorRate(['hello world', 'done'], ['hello world', '']);
    expect(mixed.insertions).toBe(1);
    expect(mixed.wer).toBeCloseTo(1 / 2, 12);
    expect(mixed.mer).toBeCloseTo(1 / 3, 12);
    expect(mixed.wil).toBeCloseTo(1 / 3, 12);
    expect(mixed.wip).toBeCloseTo(2 / 3, 12);
  });

  it('finds words as jiwer’s default transform does', () => {
    // Hand-worked: runs of whitespace collapse and ends are stripped, but one tab stays
    // inside a word (jiwer only replaces \s\s+ and splits on ' ').
    expect(wordErrorRate('  a\t\tb  c ', 'a b c').wer).toBe(0);
    expect(wordErrorRate('a\tb c', 'a b c')).toMatchObject({
      hits: 1,
      substitutions: 1,
      deletions: 1,
    });
  });

  it('rejects corpora of different lengths', () => {
    expect(() => wordErrorRate(['this sentence'], ['hello', 'this'])).toThrow(MetricInputError);
  });
});

describe('characterErrorRate against jiwer', () => {
  it.each([
    // jiwer tests/test_cer.py test_input_ref_string_hyp_string and test_known_values.
    ['This is a test', 'This is a test', 0],
    ['This is a test', '', 1],
    ['This is a test', 'This test', 5 / 14],
    ['X', 'X', 0],
    ['X', 'X X Y Y', 6],
    ['X Y X', 'X Z', 3 / 5],
    ['X', 'Y', 1],
    ['X', 'Y Z', 3],
  ])('%s ← %s', (reference, hypothesis, expected) => {
    expect(characterErrorRate(hypothesis, reference).cer).toBeCloseTo(expected, 12);
  });

  it('sums over the corpus and reports jiwer’s edit mix', () => {
    // test_cer.py test_return_dict: cer 0.7, hits 6, S 1, D 3, I 3.
    const out = characterErrorRate(['i am', 'y good'], ['i', 'am i good']);
    expect(out).toMatchObject({ hits: 6, substitutions: 1, deletions: 3, insertions: 3 });
    expect(out.cer).toBeCloseTo(0.7, 12);
    // test_permutations_invariance: 0.6.
    expect(characterErrorRate(['i am', 'i good'], ['i', 'am i good']).cer).toBeCloseTo(0.6, 12);
  });

  it('counts Unicode code points and handles empty sides as jiwer 4', () => {
    // Hand-worked: "naïve 😀" is 7 code points (8 UTF-16 units); one substitution.
    const out = characterErrorRate('naive 😀', 'naïve 😀');
    expect(out).toMatchObject({ substitutions: 1, hits: 6, referenceLength: 7 });
    expect(out.cer).toBeCloseTo(1 / 7, 12);
    // tests/test_empty_ref.py test_cer_empty_ref.
    expect(characterErrorRate('', '').cer).toBe(0);
    expect(characterErrorRate('a', '').cer).toBe(1);
    expect(characterErrorRate('abd', '').cer).toBe(3);
    expect(characterErrorRate('', 'abc').cer).toBe(1);
  });
});
