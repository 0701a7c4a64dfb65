import './register.js';

export { TokenEmbedding, type TokenEmbeddingOptions } from './embedding/token-embedding.js';
export {
  createHierarchicalEncoder,
  HierarchicalEncoder,
  type HierarchicalEncoderOptions,
  type WordCombination,
} from './hierarchical/hierarchical-encoder.js';
export { createLstmEncoder, LstmEncoder, type LstmEncoderOptions } from './lstm/lstm-encoder.js';
export {
  createMultiSourceEncoder,
  type FinalSource,
  MASK_SUFFIX,
  MultiSourceEncoder,
  type MultiSourceEncoderParts,
} from './multi-source/multi-source-encoder.js';
