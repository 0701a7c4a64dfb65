import './register.js';

export type { Features } from './audio/features.js';
export { LogMelFilterBank, type LogMelOptions, logMelOptions } from './audio/log-mel.js';
export { hzToMel, type MelFilters, melFilters, melToHz } from './audio/mel.js';
export { normalizeUtterance } from './audio/normalize.js';
export { type ResampleOptions, resample, resampleOptions } from './audio/resample.js';
export { type SpecAugmentOptions, specAugment, specAugmentOptions } from './audio/spec-augment.js';
export {
  BucketBatchSource,
  type BucketBatchSourceOptions,
  bucketBatchSourceOptions,
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
  jsonlPairOptions,
  parseJsonl,
  parseJsonlPairs,
} from './readers/jsonl.js';
export { type Line, type Lines, splitLines, type TextInput } from './readers/lines.js';
export { parseTsvPairs, type TextPair } from './readers/tsv.js';
export { type Audio, decodeWav, type WavFile, type WavOptions, wavOptions } from './readers/wav.js';
export {
  type BpeMerge,
  BpeTokenizer,
  type BpeTokenizerOptions,
  bpeTokenizerOptions,
  createBpeTokenizer,
  WORD_START,
} from './tokenizers/bpe.js';
export {
  type BpeTrainingOptions,
  bpeMergeOptions,
  bpeTrainingOptions,
  learnMerges,
} from './tokenizers/bpe-train.js';
export {
  CharacterTokenizer,
  type CharacterTokenizerOptions,
  characterTokenizerOptions,
  createCharacterTokenizer,
} from './tokenizers/character.js';
export {
  type NormalizeOptions,
  normalizeOptions,
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
  wordTokenizerOptions,
} from './tokenizers/word.js';
export {
  type BuildVocabularyOptions,
  buildVocabulary,
  buildVocabularyOptions,
  TokenCounter,
} from './vocabulary/build-vocabulary.js';
