import { describe, expect, it } from 'vitest';
import { VocabularyError } from '../errors/errors.js';
import { Vocabulary } from './vocabulary.js';

describe('Vocabulary', () => {
  const v = new Vocabulary(['le', 'chat', 'noir']);

  it('gives the specials ids 0–3 and tokens stable ids after them', () => {
    expect([v.pad, v.bos, v.eos, v.unk]).toEqual([0, 1, 2, 3]);
    expect(['le', 'chat', 'noir'].map((t) => v.id(t))).toEqual([4, 5, 6]);
    expect(v.size).toBe(7);
  });

  it('maps unknown tokens to <unk> and counts them', () => {
    const stats = { unknown: 0 };
    expect(v.encode(['le', 'chien', 'noir', 'xyz'], { bos: true, eos: true }, stats)).toEqual([
      1, 4, 3, 6, 3, 2,
    ]);
    expect(stats.unknown).toBe(2);
  });

  it('decodes up to <eos>, dropping <pad> and <bos>', () => {
    expect(v.decode([1, 4, 5, 2, 6, 0])).toEqual(['le', 'chat']);
    expect(() => v.decode([99])).toThrow(/id 99 is outside the vocabulary \(size 7\)/);
  });

  it('round-trips through JSON', () => {
    const again = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(again.toJSON()).toEqual(v.toJSON());
    expect(again.id('noir')).toBe(6);
  });

  it('rejects duplicates, empty tokens and malformed JSON', () => {
    expect(() => new Vocabulary(['a', 'a'])).toThrow(/'a' appears twice/);
    expect(() => new Vocabulary(['<unk>'])).toThrow(VocabularyError);
    expect(() => new Vocabulary([''])).toThrow(/non-empty strings/);
    expect(() => Vocabulary.fromJSON({ words: [] })).toThrow(/"tokens" array/);
  });
});
