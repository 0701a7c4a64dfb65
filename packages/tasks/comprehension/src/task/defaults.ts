import type { TaskSettings } from '@s2s/core';

/**
 * The recipe the README's numbers come from: a hierarchical passage encoder (sentences by
 * position encoding, temporal encoding) and the question as one more sentence; the decoder
 * reads the question, then queries the passage with it through three hops of memory-
 * network attention (DMN+'s ReLU update), each hop taught its supporting fact. The
 * learning rate halves every 3,378 steps, 6 epochs of the 20 tasks together.
 */
export const comprehensionDefaults: TaskSettings = {
  model: {
    seed: 1,
    encoder: {
      name: 'multi-source',
      main: { name: 'hierarchical', embeddingSize: 64, maxSentences: 50 },
      sources: { question: { name: 'hierarchical', embeddingSize: 64, temporal: false } },
      final: 'question',
    },
    decoder: {
      name: 'attentional',
      embeddingSize: 32,
      hiddenSize: 64,
      attention: {
        name: 'multi-source',
        combine: 'cascade',
        attention: {
          name: 'multi-hop',
          hops: 3,
          size: 64,
          update: 'relu',
          supervision: { input: 'support', weight: 1 },
        },
        sources: { question: { name: 'scaled-dot', size: 8 } },
      },
    },
  },
  training: {
    epochs: 24,
    batchSize: 32,
    learningRate: { name: 'step', initial: 0.005, factor: 0.5, everySteps: 3378 },
    devFraction: 0.1,
    seed: 1,
  },
  search: { name: 'greedy', maxLength: 5 },
  data: { maxSentences: 50, question: 'sentence' },
};
