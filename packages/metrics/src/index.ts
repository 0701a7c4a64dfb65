export {
  type CharacterErrorRate,
  characterErrorRate,
  type WordErrorRate,
  wordErrorRate,
} from './error-rate/error-rate.js';
export { alignCounts, type EditCounts } from './error-rate/levenshtein.js';
export { MetricConfigError, MetricError, MetricInputError } from './errors.js';
export { porterStem } from './rouge/porter-stemmer.js';
export {
  meanRouge,
  type RougeOptions,
  type RougeScore,
  type RougeScores,
  type RougeType,
  rouge,
  rougeTokenize,
} from './rouge/rouge.js';
export {
  type BleuOptions,
  type BleuScore,
  type BleuSmoothMethod,
  type BleuStatistics,
  computeBleu,
  corpusBleu,
  sentenceBleu,
} from './sacrebleu/bleu.js';
export { type ChrfOptions, type ChrfScore, corpusChrf, sentenceChrf } from './sacrebleu/chrf.js';
export { SACREBLEU_VERSION, SIGNATURE_VERSION } from './sacrebleu/signature.js';
export {
  type BleuTokenizer,
  type BleuTokenizerName,
  bleuTokenizer,
  tokenize13a,
  tokenizeIntl,
  tokenizeNone,
} from './sacrebleu/tokenizers.js';
export {
  exactMatch,
  normalizeAnswer,
  type SquadOptions,
  type SquadScores,
  type SquadVersion,
  squadScores,
  tokenF1,
} from './squad/squad.js';
