import { glorotUniform, type ParameterSet } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { align, projectStates } from '../alignment.js';
import { fusedAdditiveStep } from './fused-additive.js';

/** What an additive score reads per source: projected keys, the states and the mask bias. */
export interface AdditiveCache {
  /** `[B, S, A]` projected keys W_k h_j, once per sequence. */
  readonly keys: tf.Tensor3D;
  /** `[B, S, H]` the encoder states. */
  readonly values: tf.Tensor3D;
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
}

/**
 * The score network e_j = vᵀ tanh(W_k h_j + W_q s + x_j) that Bahdanau, Luong's `concat`
 * and location-aware attention share; x_j is an optional extra term (coverage, location
 * features). Its parameters live in the owner's {@link ParameterSet} under `keyKernel`,
 * `queryKernel` and `scoreVector`, the names Bahdanau attention has always saved.
 */
export class AdditiveScore {
  readonly keyKernel: tf.Variable;
  readonly queryKernel: tf.Variable;
  readonly scoreVector: tf.Variable;

  /** @param size the hidden size A of the score network. */
  constructor(params: ParameterSet, memorySize: number, querySize: number, size: number) {
    this.keyKernel = params.add('keyKernel', [memorySize, size], glorotUniform());
    this.queryKernel = params.add('queryKernel', [querySize, size], glorotUniform());
    this.scoreVector = params.add('scoreVector', [size, 1], glorotUniform());
  }

  /** `[B, S, H]` → `[B, S, A]` keys W_k h_j, for `prepare`. */
  keys(states: tf.Tensor3D): tf.Tensor3D {
    return projectStates(states, this.keyKernel as tf.Tensor2D);
  }

  /**
   * One step: query `[B, Q]`, optional extra term `[B, S, A]` → weights `[B, S]`, context
   * `[B, H]`. Runs once per decoder step, so it goes through {@link fusedAdditiveStep}.
   */
  step(
    query: tf.Tensor2D,
    cache: AdditiveCache,
    extra?: tf.Tensor3D,
  ): { weights: tf.Tensor2D; context: tf.Tensor2D } {
    const q = tf.matMul(query, this.queryKernel) as tf.Tensor2D;
    return fusedAdditiveStep(cache.keys, q, this.scoreVector, cache.values, cache.bias, extra);
  }

  /** Every step at once, queries `[B, T, Q]` → weights `[B, T, S]`, context `[B, T, H]`. */
  all(
    queries: tf.Tensor3D,
    cache: AdditiveCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
    const [b, s, a] = cache.keys.shape;
    const t = queries.shape[1];
    const q = tf.matMul(queries.reshape([b * t, -1]), this.queryKernel).reshape([b, t, 1, a]);
    const hidden = tf.tanh(tf.add(cache.keys.reshape([b, 1, s, a]), q)).reshape([b * t * s, a]);
    const scores = tf.matMul(hidden, this.scoreVector).reshape([b, t, s]) as tf.Tensor3D;
    return align(scores, cache.bias, cache.values);
  }
}
