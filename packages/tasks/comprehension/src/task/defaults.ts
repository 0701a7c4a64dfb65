import type { TaskSettings } from '@s2s/core';

/**
 * The recipe the README's numbers come from: a hierarchical passage encoder (sentences by
 * position encoding, temporal encoding) and the question as one more sentence; the decoder
 * reads the question, then queries the passage with it through three hops of memory-
 * network attention, each hop taught its supporting fact.
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
          supervision: { input: 'support', weight: 1 },
        },
        sources: { question: { name: 'scaled-dot', size: 8 } },
      },
    },
  },
  training: { epochs: 30, batchSize: 32, learningRate: 0.005, devFraction: 0.1, seed: 1 },
  search: { name: 'greedy', maxLength: 5 },
  data: { maxSentences: 50, question: 'sentence' },
};
