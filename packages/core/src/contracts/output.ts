import type * as tf from '@tensorflow/tfjs';
import type { softmaxCrossEntropy } from '../ops/softmax-cross-entropy.js';
import type { Memory } from './memory.js';
import type { Module } from './module.js';

/** What an output layer may look at besides the decoder's features. */
export interface OutputContext {
  /** The source memory, rows aligned with the features' batch axis. */
  readonly memory: Memory;
  /** Attention weights aligned with the features: `[B, S]`, or `[B, T, S]` for all steps. */
  readonly weights?: tf.Tensor;
}

/**
 * Turns decoder features into log-probabilities P(y_t | y_<t, x) over the target
 * vocabulary (or an extended one, for copy mechanisms).
 */
export interface OutputLayer extends Module {
  /** Size of the distribution it returns. */
  readonly vocabSize: number;
  /** `[B, D]` → `[B, V]`, or `[B, T, D]` → `[B, T, V]`; log-probabilities. */
  logProbs(features: tf.Tensor, context: OutputContext): tf.Tensor;
  /**
   * Unnormalised scores z with `logProbs = logSoftmax(z)`, same shapes. Layers whose
   * distribution is a plain softmax offer it so training can use the fused
   * {@link softmaxCrossEntropy}; mixtures (copy mechanisms) leave it out.
   */
  logits?(features: tf.Tensor, context: OutputContext): tf.Tensor;
}
