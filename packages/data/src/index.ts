import './register.js';

export type { Features } from './audio/features.js';
export { LogMelFilterBank, type LogMelOptions } from './audio/log-mel.js';
export { hzToMel, type MelFilters, melFilters, melToHz } from './audio/mel.js';
export { normalizeUtterance } from './audio/normalize.js';
export { type ResampleOptions, resample } from './audio/resample.js';
export { type SpecAugmentOptions, specAugment } from './audio/spec-augment.js';
export {
  BucketBatchSource,
  type BucketBatchSourceOptions,
  type Example,
} from './batching/bucket-batch-source.js';
export { makeFeatureBatch } from './batching/feature-batch.js';
export { DataError, type DataLocation } from './errors/data-error.js';
export {
  type BabiExample,
  type BabiFact,
  type BabiQuestion,
  type BabiStory,
  babiExamples,
  parseBabiStories,
} from './readers/babi.js';
export {
  type JsonlPairOptions,
  type JsonRecord,
  parseJsonl,
  parseJsonlPairs,
} from './readers/jsonl.js';
export { type Line, type Lines, splitLines, type TextInput } from './readers/lines.js';
export { parseTsvPairs, type TextPair } from './readers/tsv.js';
export { type Audio, decodeWav, type WavFile, type WavOptions } from './readers/wav.js';
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
