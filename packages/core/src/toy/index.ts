/**
 * Small reference plugins (an encoder, bridge, attention and decoder named `toy`) and a
 * toy step model and random memories for searches: enough to build, train and save a `Seq2Seq` with nothing
 * but `@s2s/core`. Unlike `@s2s/core/testing`, this entry point does not need vitest.
 * Import from `@s2s/core/toy`.
 *
 * @module
 */
export { lengthMask, memoryRow, randomMemory, widenMemory } from '../testing/memory.js';
export { type ToyModelOptions, teacherForcedLogProbs, toyStepModel } from '../testing/toy-model.js';
export {
  registerToyPlugins,
  ToyAttention,
  ToyBridge,
  ToyDecoder,
  ToyEncoder,
} from '../testing/toy-modules.js';
