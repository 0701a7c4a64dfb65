import * as tf from '@tensorflow/tfjs';
import { align, alignStep } from '../alignment.js';

/** A per-source cache whose keys are already transposed for a dot-product score. */
export interface DotCache {
  /** `[B, Q, S]` keys, transposed once so each step is one untransposed matMul. */
  readonly keys: tf.Tensor3D;
  /** `[B, S, H]` the encoder states. */
  readonly values: tf.Tensor3D;
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
}

/** e_j = q·k_j for one query `[B, Q]` → weights `[B, S]`, context `[B, H]`. */
export function dotStep(
  query: tf.Tensor2D,
  cache: DotCache,
): { weights: tf.Tensor2D; context: tf.Tensor2D } {
  const [b, , s] = cache.keys.shape;
  const e = tf.matMul(query.reshape([b, 1, -1]), cache.keys).reshape([b, s]) as tf.Tensor2D;
  return alignStep(e, cache.bias, cache.values);
}

/** The same for every step, queries `[B, T, Q]` → weights `[B, T, S]`, context `[B, T, H]`. */
export function dotAll(
  queries: tf.Tensor3D,
  cache: DotCache,
): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
  return align(tf.matMul(queries, cache.keys) as tf.Tensor3D, cache.bias, cache.values);
}
