import { Vocabulary } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { extendedToken, extendSource, extendTarget } from './extended-vocabulary.js';

// Ids: 0–3 specials, 4 'the', 5 'said'; V = 6.
const vocabulary = new Vocabulary(['the', 'said']);

describe('extended vocabulary', () => {
  it('numbers a source’s distinct unknown words V, V + 1, … in order of first appearance', () => {
    const source = extendSource(['zola', 'said', 'the', 'kasabian', 'zola'], vocabulary, 5);
    expect(source).toEqual({ ids: [6, 5, 4, 7, 6], oovs: ['zola', 'kasabian'] });
  });

  it('gives unknown words beyond maxOovs <unk>', () => {
    const source = extendSource(['a', 'b', 'c', 'a'], vocabulary, 2);
    expect(source).toEqual({ ids: [6, 7, 3, 6], oovs: ['a', 'b'] });
  });

  it('maps target words to copy ids only when the source holds them', () => {
    expect(extendTarget(['kasabian', 'said', 'oasis'], vocabulary, ['zola', 'kasabian'])).toEqual([
      7, 5, 3,
    ]);
  });

  it('turns extended ids back into the source’s words', () => {
    const oovs = ['zola', 'kasabian'];
    expect([4, 6, 7, 8].map((id) => extendedToken(id, vocabulary, oovs))).toEqual([
      'the',
      'zola',
      'kasabian',
      '<unk>',
    ]);
  });
});
