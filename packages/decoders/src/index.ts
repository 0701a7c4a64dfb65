import './register.js';

export {
  AttentionalDecoder,
  type AttentionalDecoderCache,
  type AttentionalDecoderOptions,
  type AttentionalDecoderParts,
  type AttentionalDecoderState,
} from './attentional/attentional-decoder.js';
export { coverageLoss } from './attentional/coverage-loss.js';
export { createAttentionalDecoder } from './attentional/create-attentional-decoder.js';
export {
  ContextFedDecoder,
  type ContextFedDecoderCache,
  type ContextFedDecoderOptions,
  createContextFedDecoder,
} from './context-fed/context-fed-decoder.js';
export {
  createInitialContextDecoder,
  InitialContextDecoder,
  type InitialContextDecoderCache,
  type InitialContextDecoderOptions,
  type InitialContextDecoderState,
} from './initial-context/initial-context-decoder.js';
export type { CellKind, RnnState } from './rnn/decoder-rnn.js';
export { type RecurrentDecoderOptions, recurrentDefaults } from './rnn/recurrent-options.js';
