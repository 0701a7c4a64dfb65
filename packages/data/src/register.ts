import { registry } from '@s2s/core';
import { bpeTokenizerOptions, createBpeTokenizer } from './tokenizers/bpe.js';
import { characterTokenizerOptions, createCharacterTokenizer } from './tokenizers/character.js';
import { createWordTokenizer, wordTokenizerOptions } from './tokenizers/word.js';

registry.register({
  kind: 'tokenizer',
  name: 'character',
  options: characterTokenizerOptions,
  summary: 'one token per grapheme cluster, spaces included',
  create: createCharacterTokenizer,
});
registry.register({
  kind: 'tokenizer',
  name: 'word',
  options: wordTokenizerOptions,
  summary: 'Unicode words and punctuation, numbers whole, French elisions split',
  create: createWordTokenizer,
});
registry.register({
  kind: 'tokenizer',
  name: 'bpe',
  options: bpeTokenizerOptions,
  summary: 'byte-pair encoding over characters with learned merges (Sennrich et al. 2016)',
  create: createBpeTokenizer,
});
