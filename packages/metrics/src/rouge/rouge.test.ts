import { describe, expect, it } from 'vitest';
import {
  PREDICTION_MULTI,
  PREDICTIONS,
  TARGET_MULTI,
  TARGETS,
} from '../../test/rouge-score-testdata.js';
import { MetricConfigError } from '../errors.js';
import { meanRouge, type RougeScore, rouge, rougeTokenize } from './rouge.js';

const prf = (s: RougeScore | undefined) => [s!.precision, s!.recall, s!.fmeasure];

function expectScore(actual: RougeScore | undefined, expected: number[], digits = 5) {
  prf(actual).forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, digits));
}

describe('rouge against rouge-score’s tests', () => {
  // rouge_scorer_test.py; `score(target, prediction)` there is rouge(prediction, target) here.
  it('rouge1: "testing" vs "testing one two" → P 1, R 1/3, F 1/2', () => {
    expectScore(rouge('testing', 'testing one two', { rougeTypes: ['rouge1'] }).rouge1, [
      1,
      1 / 3,
      1 / 2,
    ]);
  });

  it('rouge2: "testing one" vs "testing one two" → P 1, R 1/2, F 2/3', () => {
    expectScore(rouge('testing one', 'testing one two', { rougeTypes: ['rouge2'] }).rouge2, [
      1,
      1 / 2,
      2 / 3,
    ]);
  });

  it('rougeL: consecutive and non-consecutive LCS → P 1, R 2/3, F 4/5', () => {
    expectScore(rouge('testing one', 'testing one two', { rougeTypes: ['rougeL'] }).rougeL, [
      1,
      2 / 3,
      4 / 5,
    ]);
    expectScore(rouge('testing two', 'testing one two', { rougeTypes: ['rougeL'] }).rougeL, [
      1,
      2 / 3,
      4 / 5,
    ]);
  });

  it('scores several types at once and only those asked for', () => {
    const scores = rouge('testing one', 'testing one two', { rougeTypes: ['rouge1', 'rougeL'] });
    expect(Object.keys(scores).sort()).toEqual(['rouge1', 'rougeL']);
    expectScore(scores.rouge1, [1, 2 / 3, 4 / 5]);
  });

  it.each(['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const)(
    '%s of an empty prediction is 0',
    (type) => {
      expectScore(rouge('', 'testing one two', { rougeTypes: [type] })[type], [0, 0, 0]);
    },
  );

  it('matches ROUGE-1.5.5 on the synthetic test data', () => {
    // testRouge1AgainstRouge155, testRouge2AgainstRouge155, testRougeLAgainstRouge155
    // (values to 5 places, as [precision, recall, F]).
    const types = { rougeTypes: ['rouge1', 'rouge2', 'rougeL'] } as const;
    const first = rouge(PREDICTIONS[0]!, TARGETS[0]!, types);
    expectScore(first.rouge1, [0.6875, 0.40741, 0.51163]);
    expectScore(first.rouge2, [0.53333, 0.30769, 0.39024]);
    expectScore(first.rougeL, [0.6875, 0.40741, 0.51163]);
    const second = rouge(PREDICTIONS[1]!, TARGETS[1]!, types);
    expectScore(second.rouge1, [0.65385, 0.40476, 0.5]);
    expectScore(second.rouge2, [0.48, 0.29268, 0.36364]);
    expectScore(second.rougeL, [0.65385, 0.40476, 0.5]);
  });

  it('matches ROUGE-1.5.5 -m (Porter stemming) on the synthetic test data', () => {
    // testRouge1AgainstRouge155WithStemming, testRouge2AgainstRouge155WithStemming.
    const o = { rougeTypes: ['rouge1', 'rouge2'], useStemmer: true } as const;
    const first = rouge(PREDICTIONS[0]!, TARGETS[0]!, o);
    expectScore(first.rouge1, [0.6875, 0.40741, 0.51163]);
    expectScore(first.rouge2, [0.53333, 0.30769, 0.39024]);
    const second = rouge(PREDICTIONS[1]!, TARGETS[1]!, o);
    expectScore(second.rouge1, [0.69231, 0.42857, 0.52941]);
    expectScore(second.rouge2, [0.48, 0.29268, 0.36364]);
  });

  it('rougeLsum matches ROUGE-1.5.5 -m on multi-sentence text', () => {
    // testRougeLSumAgainstRouge155WithStemming: R 0.36538, P 0.66667, F 0.47205.
    const o = { rougeTypes: ['rougeLsum'], useStemmer: true } as const;
    expectScore(rouge(PREDICTION_MULTI, TARGET_MULTI, o).rougeLsum, [0.66667, 0.36538, 0.47205]);
  });

  it('rougeLsum takes the union of LCS hits over prediction sentences', () => {
    // testRougeLsum (Lin 2004 §3.2 example): R 4/5, P 4/10, F 0.5333.
    const o = { rougeTypes: ['rougeLsum'] } as const;
    const s = rouge('w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5', 'w1 w2 w3 w4 w5', o).rougeLsum!;
    expect(s.recall).toBeCloseTo(0.8, 12);
    expect(s.precision).toBeCloseTo(0.4, 12);
    expect(s.fmeasure).toBeCloseTo(0.5333, 4);
    expectScore(rouge('', 'w1 w2 w3 w4 w5', o).rougeLsum, [0, 0, 0]);
    expectScore(rouge('w1', '', o).rougeLsum, [0, 0, 0]);
    expectScore(rouge('/', 'w1 w2 w3 w4 w5', o).rougeLsum, [0, 0, 0]);
  });

  it('rejects invalid ROUGE types as rouge-score does', () => {
    // testInvalidRougeTypes: rougen, rouge0, rouge10.
    for (const type of ['rougen', 'rouge0', 'rouge10']) {
      expect(() => rouge('a', 'a', { rougeTypes: [type as never] })).toThrow(MetricConfigError);
    }
    expect(() => rouge('a', 'a', { useStemer: true } as never)).toThrow(
      /unknown option 'useStemer'/,
    );
  });
});

describe('rougeTokenize', () => {
  it('lower-cases and splits on everything but a-z and 0-9', () => {
    // tokenize_test.py: 'one Two three' and 'one\n Two \nthree' → ['one', 'two', 'three'].
    expect(rougeTokenize('one Two three')).toEqual(['one', 'two', 'three']);
    expect(rougeTokenize('one\n Two \nthree')).toEqual(['one', 'two', 'three']);
    // Hand-worked: non-ASCII letters are separators, so "Café" → "caf".
    expect(rougeTokenize("Café déjà-vu, it's 2024!")).toEqual([
      'caf',
      'd',
      'j',
      'vu',
      'it',
      's',
      '2024',
    ]);
  });

  it('stems only tokens longer than 3 characters', () => {
    // Hand-worked with Porter: "cats" → "cat", "dogs" (4) → "dog", "ies" (3) untouched.
    expect(rougeTokenize('cats dogs ies running', true)).toEqual(['cat', 'dog', 'ies', 'run']);
  });
});

describe('edge cases', () => {
  it('scores the rouge-score README example with stemming', () => {
    // Hand-worked: target → the quick brown fox jump over the lazi dog (9 tokens),
    // prediction → the quick brown dog jump on the log (8); shared the×2 quick brown dog
    // jump = 6: P 6/8, R 6/9, F 12/17 = 0.7059. LCS "the quick brown jump the" = 5.
    const s = rouge(
      'The quick brown dog jumps on the log.',
      'The quick brown fox jumps over the lazy dog',
      {
        rougeTypes: ['rouge1', 'rougeL'],
        useStemmer: true,
      },
    );
    expectScore(s.rouge1, [6 / 8, 6 / 9, 12 / 17], 12);
    expectScore(s.rougeL, [5 / 8, 5 / 9, 10 / 17], 12);
  });

  it('is 0 for an empty target and for no shared token', () => {
    for (const [prediction, target] of [
      ['testing one two', ''],
      ['alpha beta', 'gamma delta'],
    ]) {
      const s = rouge(prediction!, target!);
      for (const type of ['rouge1', 'rouge2', 'rougeL'] as const)
        expectScore(s[type], [0, 0, 0], 12);
    }
  });
});

describe('multiple targets and corpus means', () => {
  it('takes, per type, the target with the best F1', () => {
    // Hand-worked: vs "the cat sat" rouge1 F = 1; vs "a dog" F = 0.
    const s = rouge('the cat sat', ['a dog', 'the cat sat'], { rougeTypes: ['rouge1'] });
    expectScore(s.rouge1, [1, 1, 1], 12);
  });

  it('averages precision, recall and F1 over the corpus', () => {
    // Hand-worked: pair 1 is perfect (1, 1, 1); pair 2 "testing" vs "testing one two" is
    // (1, 1/3, 1/2); means (1, 2/3, 3/4).
    const mean = meanRouge(['a b', 'testing'], ['a b', 'testing one two'], {
      rougeTypes: ['rouge1'],
    });
    expectScore(mean.rouge1, [1, 2 / 3, 3 / 4], 12);
  });

  it('scores a prediction longer than the target', () => {
    // Hand-worked: "a b c d" vs "a b": rouge1 P 2/4, R 1, F 2/3; rouge2 P 1/3, R 1, F 1/2.
    const s = rouge('a b c d', 'a b');
    expectScore(s.rouge1, [0.5, 1, 2 / 3], 12);
    expectScore(s.rouge2, [1 / 3, 1, 0.5], 12);
  });
});
