import './register.js';

export { type FinalStates, fromOption } from './bridges/bridge-sizes.js';
export {
  createLastStateBridge,
  LastStateBridge,
  type LastStateBridgeOptions,
  lastBridgeOptions,
} from './bridges/last-bridge.js';
export {
  createPooledBridge,
  type Pool,
  PooledBridge,
  type PooledBridgeOptions,
  pooledBridgeOptions,
} from './bridges/pooled-bridge.js';
export {
  createProjectedBridge,
  ProjectedBridge,
  type ProjectedBridgeOptions,
  projectedBridgeOptions,
} from './bridges/projected-bridge.js';
export {
  FeatureProjection,
  type FeatureProjectionOptions,
  featureProjectionOptions,
} from './embedding/feature-projection.js';
export type { InputLayer, SourceInput } from './embedding/input-layer.js';
export {
  TokenEmbedding,
  type TokenEmbeddingOptions,
  tokenEmbeddingOptions,
} from './embedding/token-embedding.js';
export { createGruEncoder, GruEncoder, type GruEncoderOptions } from './gru/gru-encoder.js';
export {
  createHierarchicalEncoder,
  HierarchicalEncoder,
  type HierarchicalEncoderOptions,
  hierarchicalEncoderOptions,
  type WordCombination,
} from './hierarchical/hierarchical-encoder.js';
export {
  createLstmEncoder,
  LstmEncoder,
  type LstmEncoderOptions,
} from './lstm/lstm-encoder.js';
export {
  createMultiSourceEncoder,
  type FinalSource,
  MASK_SUFFIX,
  MultiSourceEncoder,
  type MultiSourceEncoderParts,
  multiSourceEncoderOptions,
} from './multi-source/multi-source-encoder.js';
export {
  PyramidalEncoder,
  type PyramidalEncoderOptions,
  pyramidalEncoderFactory,
} from './pyramidal/pyramidal-encoder.js';
export type { CellKind, CellState } from './rnn/cells.js';
export { type Merge, RecurrentLayer, type RecurrentLayerOptions } from './rnn/recurrent-layer.js';
export { pairFrames, RnnEncoder, type RnnEncoderOptions } from './rnn/rnn-encoder.js';
export {
  pyramidalEncoderOptions,
  recurrentEncoderOptions,
  rnnEncoderOptions,
} from './rnn/rnn-encoder-options.js';
