import { registry } from '@s2s/core';
import { bilinearOptions, createBilinearAttention } from './bilinear-attention.js';
import { createElmanDecoder, elmanOptions } from './elman-decoder.js';
import { MinLengthGreedy, minLengthGreedyOptions } from './min-length-greedy.js';

// Importing this module registers the three plugins; registering the same factory again
// (the module evaluated twice) is a no-op.
registry.register({
  kind: 'attention',
  name: 'bilinear',
  summary: 'bilinear attention, sᵀ W h_j (÷ √Q), keys projected once per source',
  options: bilinearOptions,
  create: createBilinearAttention,
});

registry.register({
  kind: 'decoder',
  name: 'elman',
  summary: 'Elman RNN decoder with the attention its config names',
  options: elmanOptions,
  create: createElmanDecoder,
});

registry.register({
  kind: 'search',
  name: 'min-length-greedy',
  summary: 'greedy search that will not end an output before minLength tokens',
  options: minLengthGreedyOptions,
  create: (options) => new MinLengthGreedy(options),
});
