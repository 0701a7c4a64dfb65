import { describeTokenizer } from '@s2s/core/testing';
import '../register.js';
import { BpeTokenizer } from './bpe.js';
import { CharacterTokenizer } from './character.js';
import { WordTokenizer } from './word.js';

// Punctuation, numbers, elisions, several scripts, combining marks, emoji and runs of spaces.
const samples = [
  "L'homme n'a pas vu 3,5 km de route.",
  'Tom is   here — isn’t he?',
  'Cafe\u0301 über naïve façade; 東京 2024!',
  'e-mail: a.b@c.d (20%)',
  '👍🏽 ok',
  '',
];

describeTokenizer('character', { create: () => new CharacterTokenizer(), samples });
describeTokenizer('character, lower-cased', {
  create: () => new CharacterTokenizer({ lowercase: true }),
  samples,
});
describeTokenizer('word', { create: () => new WordTokenizer(), samples });

const bpe = await BpeTokenizer.train(samples, { vocabSize: 80 });
describeTokenizer('bpe', { create: () => bpe, samples });
