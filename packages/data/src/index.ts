import './register.js';

export { DataError, type DataLocation } from './errors/data-error.js';
export {
  type BpeMerge,
  BpeTokenizer,
  type BpeTokenizerOptions,
  createBpeTokenizer,
  WORD_START,
} from './tokenizers/bpe.js';
export { type BpeTrainingOptions, learnMerges } from './tokenizers/bpe-train.js';
export {
  CharacterTokenizer,
  type CharacterTokenizerOptions,
  createCharacterTokenizer,
} from './tokenizers/character.js';
export {
  type NormalizeOptions,
  normalizeText,
  type TextNormalizer,
  textNormalizer,
  type UnicodeForm,
} from './tokenizers/normalize.js';
export {
  createWordTokenizer,
  frenchElisions,
  WordTokenizer,
  type WordTokenizerOptions,
} from './tokenizers/word.js';
export {
  type BuildVocabularyOptions,
  buildVocabulary,
  TokenCounter,
} from './vocabulary/build-vocabulary.js';
