import * as tf from '@tensorflow/tfjs';

/** Added to the scores of padded positions: exp(−1e9 − max) is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/**
 * `[B, S]` float32 mask → additive bias, 0 at real positions and {@link MASKED_SCORE} at
 * padding. Computed once per source and added to every step's scores.
 */
export function maskBias(mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.sub(1, mask), MASKED_SCORE));
}
