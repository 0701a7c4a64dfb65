import './register.js';

export type { FinalStates } from './bridges/bridge-sizes.js';
export {
  createLastStateBridge,
  LastStateBridge,
  type LastStateBridgeOptions,
} from './bridges/last-bridge.js';
export {
  createPooledBridge,
  type Pool,
  PooledBridge,
  type PooledBridgeOptions,
} from './bridges/pooled-bridge.js';
export {
  createProjectedBridge,
  ProjectedBridge,
  type ProjectedBridgeOptions,
} from './bridges/projected-bridge.js';
export {
  FeatureProjection,
  type FeatureProjectionOptions,
} from './embedding/feature-projection.js';
export type { InputLayer, SourceInput } from './embedding/input-layer.js';
export { TokenEmbedding, type TokenEmbeddingOptions } from './embedding/token-embedding.js';
export { createGruEncoder, GruEncoder, type GruEncoderOptions } from './gru/gru-encoder.js';
export { createLstmEncoder, LstmEncoder, type LstmEncoderOptions } from './lstm/lstm-encoder.js';
export {
  PyramidalEncoder,
  type PyramidalEncoderOptions,
  pyramidalEncoderFactory,
} from './pyramidal/pyramidal-encoder.js';
export type { CellKind, CellState } from './rnn/cells.js';
export { type Merge, RecurrentLayer, type RecurrentLayerOptions } from './rnn/recurrent-layer.js';
export { pairFrames, RnnEncoder, type RnnEncoderOptions } from './rnn/rnn-encoder.js';
