import type { ModelRecipe, TaskSettings } from '@s2s/core';
import { dataDefaults } from './data-settings.js';

/**
 * The default model: a bidirectional LSTM encoder (128 units per direction, so its states
 * [→h; ←h] have H = 256) read by an LSTM decoder that starts from tanh(W·h_S + b) of the
 * encoder's final state and attends before each step with additive attention (Bahdanau
 * et al. 2015), and an output layer tied to the target embedding (Press & Wolf 2017),
 * which halves the largest matrix of the model.
 */
export const defaultRecipe: ModelRecipe = {
  seed: 1,
  encoder: { name: 'lstm', embeddingSize: 256, hiddenSize: 128, bidirectional: 'concat' },
  decoder: {
    name: 'attentional',
    embeddingSize: 256,
    hiddenSize: 256,
    attention: { name: 'bahdanau', size: 256 },
    bridge: { name: 'projected' },
  },
  output: { name: 'softmax', tie: true },
};

/**
 * Settings of the translation task when the user gives none: pairs of up to 12 words, joint
 * BPE of 8,000 pieces, the {@link defaultRecipe}, Adam at 2·10⁻³ on length-bucketed
 * batches, and beam search (k = 5, α = 0.75) for decoding.
 */
export const translationDefaults: TaskSettings = {
  model: defaultRecipe,
  training: {
    epochs: 10,
    batchSize: 64,
    learningRate: 0.002,
    devFraction: 0.02,
    seed: 1,
  },
  search: { name: 'beam', beamSize: 5, lengthPenalty: 0.75, maxLength: 40 },
  data: { ...dataDefaults },
};
