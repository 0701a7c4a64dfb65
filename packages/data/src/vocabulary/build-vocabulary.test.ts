import { ConfigError, Rng, Vocabulary } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { sampleSentences } from '../../test/fixtures.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { buildVocabulary, TokenCounter } from './build-vocabulary.js';

const counts: [string, number][] = [
  ['the', 5],
  ['cat', 2],
  ['sat', 2],
  ['a', 2],
  ['mat', 1],
  ['<unk>', 9],
];

describe('buildVocabulary', () => {
  it('orders by count, ties by token, after the four specials', () => {
    const v = buildVocabulary(counts);
    expect(v.toJSON().tokens).toEqual(['the', 'a', 'cat', 'sat', 'mat']);
    expect([v.id('<pad>'), v.id('<bos>'), v.id('<eos>'), v.id('<unk>'), v.id('the')]).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('gives the same ids whatever order the counts come in', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 5; i++) {
      const shuffled = rng.shuffle([...counts]);
      expect(buildVocabulary(shuffled).toJSON()).toEqual(buildVocabulary(counts).toJSON());
    }
  });

  it('drops rare tokens and keeps the most frequent up to maxSize, specials included', () => {
    expect(buildVocabulary(counts, { minFrequency: 2 }).toJSON().tokens).toEqual([
      'the',
      'a',
      'cat',
      'sat',
    ]);
    expect(buildVocabulary(counts, { maxSize: 6 }).toJSON().tokens).toEqual(['the', 'a']);
    expect(buildVocabulary(counts, { maxSize: 4 }).size).toBe(4);
  });

  it('maps unknown tokens to <unk> and counts them', () => {
    const words = new WordTokenizer({ lowercase: true });
    const counter = new TokenCounter();
    for (const s of sampleSentences()) counter.add(words.encode(s));
    const v = buildVocabulary(counter, { minFrequency: 2 });
    expect(counter.counts.get('mary')).toBeGreaterThan(2);
    const stats = { unknown: 0 };
    // "mary" and "." are frequent in the samples; the two invented words are not there at all.
    const ids = v.encode(words.encode('Mary zorbled the flimflam.'), { eos: true }, stats);
    expect(ids.filter((id) => id === v.unk)).toHaveLength(2);
    expect(stats.unknown).toBe(2);
    expect(v.decode(ids)).toEqual(['mary', '<unk>', 'the', '<unk>', '.']);
    expect(Vocabulary.fromJSON(JSON.parse(JSON.stringify(v))).toJSON()).toEqual(v.toJSON());
  });

  it('rejects bad options and counts', () => {
    expect(() => buildVocabulary(counts, { maxSize: 3 })).toThrow(
      /buildVocabulary: option 'maxSize': must leave room for the 4 specials, got 3/,
    );
    expect(() => buildVocabulary(counts, { minFrequncy: 2 } as never)).toThrow(
      /unknown option 'minFrequncy' \(did you mean 'minFrequency'\?\)/,
    );
    expect(() => buildVocabulary(counts, { minFrequency: 0 })).toThrow(ConfigError);
    expect(() => buildVocabulary([['x', -1]])).toThrow(/'x'/);
    expect(() => buildVocabulary(counts, { minCount: 2 } as never)).toThrow(/minCount/);
  });
});
