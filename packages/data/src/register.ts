import { registry } from '@s2s/core';
import { createBpeTokenizer } from './tokenizers/bpe.js';
import { createCharacterTokenizer } from './tokenizers/character.js';
import { createWordTokenizer } from './tokenizers/word.js';

registry.register({
  kind: 'tokenizer',
  name: 'character',
  summary: 'one token per grapheme cluster, spaces included',
  create: createCharacterTokenizer,
});
registry.register({
  kind: 'tokenizer',
  name: 'word',
  summary: 'Unicode words and punctuation, numbers whole, French elisions split',
  create: createWordTokenizer,
});
registry.register({
  kind: 'tokenizer',
  name: 'bpe',
  summary: 'byte-pair encoding over characters with learned merges (Sennrich et al. 2016)',
  create: createBpeTokenizer,
});
