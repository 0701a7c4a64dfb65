import './register.js';

export {
  AttentionalDecoder,
  type AttentionalDecoderCache,
  type AttentionalDecoderOptions,
  type AttentionalDecoderParts,
  type AttentionalDecoderState,
} from './attentional/attentional-decoder.js';
export { coverageLoss } from './attentional/coverage-loss.js';
export {
  attentionalDecoderOptions,
  createAttentionalDecoder,
} from './attentional/create-attentional-decoder.js';
export {
  ContextFedDecoder,
  type ContextFedDecoderCache,
  type ContextFedDecoderOptions,
  contextFedDecoderOptions,
  createContextFedDecoder,
} from './context-fed/context-fed-decoder.js';
export {
  createInitialContextDecoder,
  InitialContextDecoder,
  type InitialContextDecoderCache,
  type InitialContextDecoderOptions,
  type InitialContextDecoderState,
  initialContextDecoderOptions,
} from './initial-context/initial-context-decoder.js';
export {
  createPointerOutput,
  POINTER_FLOOR,
  PointerOutput,
  type PointerOutputOptions,
  pointerOutputOptions,
} from './pointer/pointer-output.js';
export {
  type ExtendedSource,
  extendedToken,
  extendSource,
  extendTarget,
} from './pointer-generator/extended-vocabulary.js';
export {
  createPointerGeneratorDecoder,
  PointerGeneratorDecoder,
  type PointerGeneratorDecoderOptions,
  pointerGeneratorDecoderOptions,
} from './pointer-generator/pointer-generator-decoder.js';
export {
  createPointerGeneratorOutput,
  EXTENDED_IDS,
  PointerGeneratorOutput,
  type PointerGeneratorOutputOptions,
  PROBABILITY_FLOOR,
  pointerGeneratorOutputOptions,
} from './pointer-generator/pointer-generator-output.js';
export type { CellKind, RnnState } from './rnn/decoder-rnn.js';
export {
  type RecurrentDecoderOptions,
  recurrentDecoderOptions,
  recurrentDefaults,
} from './rnn/recurrent-options.js';
