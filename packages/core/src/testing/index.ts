/**
 * The conformance kit: vitest suites that any implementation of an s2s contract runs
 * against itself, plus the helpers they are built from. Import from `@s2s/core/testing`.
 *
 * @module
 */
export {
  type AttentionKitOptions,
  type AttentionKitSizes,
  describeAttention,
} from './attention-kit.js';
export { type BridgeKitOptions, type BridgeKitSizes, describeBridge } from './bridge-kit.js';
export {
  type DecoderKitOptions,
  type DecoderKitSizes,
  describeDecoder,
  expectAlignment,
} from './decoder-kit.js';
export { describeEncoder, type EncoderKitOptions } from './encoder-kit.js';
export {
  atToySize,
  expectClose,
  expectGradientsMatchFiniteDifferences,
  expectGradientsReachEveryParameter,
  expectNoLeaks,
  lengthMask,
  maxAbsDiff,
  pinBackend,
  randomLengths,
  randomSource,
} from './helpers.js';
export { memoryRow, randomMemory, widenMemory } from './memory.js';
export { describeOutput, type OutputKitOptions, type OutputKitSizes } from './output-kit.js';
export { describePlugin, type PluginKitOptions } from './plugin-kit.js';
export { describeSearch, type SearchKitOptions } from './search-kit.js';
export { describeTask, type TaskKitOptions } from './task-kit.js';
export { describeTokenizer, type TokenizerKitOptions } from './tokenizer-kit.js';
export { type ToyModelOptions, teacherForcedLogProbs, toyStepModel } from './toy-model.js';
export {
  registerToyPlugins,
  ToyAttention,
  ToyBridge,
  ToyDecoder,
  ToyEncoder,
} from './toy-modules.js';
