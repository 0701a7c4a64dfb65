import { describe, expect, it } from 'vitest';
import { MetricInputError } from '../errors.js';
import { exactMatch, normalizeAnswer, squadScores, tokenF1 } from './squad.js';

// Every expected value is worked by hand from the official evaluate-v1.1.py and
// evaluate-v2.0.py (`normalize_answer`, `f1_score` / `compute_f1`, max over gold answers).
describe('normalizeAnswer', () => {
  it('lower-cases, drops punctuation and articles, collapses whitespace', () => {
    expect(normalizeAnswer('The Eiffel Tower!')).toBe('eiffel tower');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    expect(normalizeAnswer('  New\tYork,  (USA) ')).toBe('new york usa');
  });

  it('removes articles only as whole words, after punctuation is gone', () => {
    expect(normalizeAnswer('theater')).toBe('theater');
    // "-" is deleted, not replaced by a space, so "the-end" becomes the word "theend".
    expect(normalizeAnswer('the-end')).toBe('theend');
    expect(normalizeAnswer('a1 b')).toBe('a1 b');
  });

  it('uses Unicode word boundaries, as Python 3 does', () => {
    // "aé": é is a word character, so "a" is not a whole word; JavaScript's ASCII \b
    // would have removed it.
    expect(normalizeAnswer('aé a Über')).toBe('aé über');
    // Non-ASCII punctuation is not in string.punctuation and stays.
    expect(normalizeAnswer('«Paris»')).toBe('«paris»');
  });
});

describe('exactMatch and tokenF1', () => {
  it('exact match compares normalised strings', () => {
    expect(exactMatch('the Eiffel tower.', 'Eiffel Tower')).toBe(1);
    expect(exactMatch('Eiffel', 'Eiffel Tower')).toBe(0);
  });

  it('F1 is the bag-of-words overlap: "the cat sat on the mat" vs "a cat on a mat"', () => {
    // pred cat sat on mat, gold cat on mat: 3 shared, P = 3/4, R = 1, F1 = 6/7.
    expect(tokenF1('the cat sat on the mat', 'a cat on a mat')).toBeCloseTo(6 / 7, 12);
    expect(tokenF1('the cat sat on the mat', 'a cat on a mat')).toBeCloseTo(0.8571, 4);
  });

  it('counts repeated tokens at most as often as both sides have them', () => {
    // pred "paris paris" vs gold "paris": 1 shared, P = 1/2, R = 1, F1 = 2/3.
    expect(tokenF1('Paris Paris', 'Paris')).toBeCloseTo(2 / 3, 12);
  });

  it('takes the best gold answer', () => {
    const golds = ['Denver Broncos', 'The Broncos', 'Broncos'];
    expect(exactMatch('broncos', golds)).toBe(1);
    // vs "denver broncos": P 1, R 1/2 → 2/3; vs "broncos": 1 → max 1.
    expect(tokenF1('Broncos', golds)).toBe(1);
    // "denver" only: best is "denver broncos": P 1, R 1/2 → 2/3.
    expect(tokenF1('Denver', golds)).toBeCloseTo(2 / 3, 12);
  });

  it('prediction longer than the gold answer', () => {
    // pred "in 1999 at the latest" → in 1999 at latest; gold "1999": P 1/4, R 1, F1 0.4.
    expect(tokenF1('in 1999 at the latest', '1999')).toBeCloseTo(0.4, 12);
    expect(exactMatch('in 1999 at the latest', '1999')).toBe(0);
  });

  it('no shared token gives 0', () => {
    expect(tokenF1('red', 'blue')).toBe(0);
  });
});

describe('empty answers: v2.0 (default) against v1.1', () => {
  it('v2.0 treats empty as no-answer: F1 1 when both are empty, else 0', () => {
    expect(tokenF1('', '')).toBe(1);
    expect(exactMatch('', '')).toBe(1);
    expect(tokenF1('The', '')).toBe(1); // "the" normalises to nothing
    expect(tokenF1('', 'Paris')).toBe(0);
    expect(tokenF1('Paris', '')).toBe(0);
  });

  it('v2.0 drops gold answers that normalise to nothing unless none are left', () => {
    expect(exactMatch('', ['', 'Paris'])).toBe(0);
    expect(tokenF1('paris', ['a', 'Paris'])).toBe(1);
  });

  it('v1.1 keeps every gold answer and gives F1 0 without a shared token', () => {
    const v11 = { version: 'v1.1' } as const;
    expect(tokenF1('', '', v11)).toBe(0);
    expect(exactMatch('', '', v11)).toBe(1);
    expect(exactMatch('', ['', 'Paris'], v11)).toBe(1);
  });
});

describe('squadScores', () => {
  it('averages over questions on the 0–100 scale', () => {
    // EM (1, 0) → 50; F1 (1, 6/7) → 100·(13/7)/2 = 92.8571.
    const s = squadScores(
      ['Broncos', 'the cat sat on the mat'],
      [['Denver Broncos', 'Broncos'], ['a cat on a mat']],
    );
    expect(s.exactMatch).toBe(50);
    expect(s.f1).toBeCloseTo(92.8571, 4);
    expect(s.total).toBe(2);
  });

  it('rejects mismatched lengths, missing gold answers and unknown options', () => {
    expect(() => squadScores(['a'], [])).toThrow(MetricInputError);
    expect(() => tokenF1('a', [], { version: 'v1.1' })).toThrow(/at least one gold answer/);
  });

  it('scores an unanswerable question (no gold answer) as the official v2.0 script: as [""]', () => {
    expect(exactMatch('', [])).toBe(1);
    expect(tokenF1('', [])).toBe(1);
    expect(exactMatch('Paris', [])).toBe(0);
    expect(tokenF1('Paris', [])).toBe(0);
    expect(squadScores(['', 'x'], [[], []])).toEqual({ exactMatch: 50, f1: 50, total: 2 });
    expect(() => tokenF1('a', 'a', { version: '3' as never })).toThrow(/option 'version'/);
  });
});
