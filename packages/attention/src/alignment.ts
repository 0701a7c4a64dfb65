import * as tf from '@tensorflow/tfjs';

/**
 * The half of attention every score shares: a = softmax(e + bias), zero on padding, and
 * C = Σ_j a_j v_j. `scores` are `[B, …, S]` (one step `[B, 1, S]`, all steps `[B, T, S]`,
 * heads `[B, h, T, S]`), `bias` is core's `maskBias` `[B, S]`, `values` `[B, …, S, H]`.
 */
export function align<R extends tf.Rank>(
  scores: tf.Tensor<R>,
  bias: tf.Tensor2D,
  values: tf.Tensor,
): { weights: tf.Tensor<R>; context: tf.Tensor<R> } {
  const [b, s] = bias.shape;
  const broadcast = [b, ...Array(scores.rank - 2).fill(1), s];
  const weights = tf.softmax(tf.add(scores, bias.reshape(broadcast))) as tf.Tensor<R>;
  return { weights, context: tf.matMul(weights as tf.Tensor, values) as tf.Tensor<R> };
}

/** {@link align} for one step, `[B, S]` scores → weights `[B, S]` and context `[B, H]`. */
export function alignStep(
  scores: tf.Tensor2D,
  bias: tf.Tensor2D,
  values: tf.Tensor3D,
): { weights: tf.Tensor2D; context: tf.Tensor2D } {
  const [b, s] = scores.shape;
  // Adding the bias in [B, S] and reshaping once for the matMul keeps the op count minimal.
  const weights = tf.softmax(tf.add(scores, bias)) as tf.Tensor2D;
  const context = tf.matMul(weights.reshape([b, 1, s]), values).reshape([b, -1]) as tf.Tensor2D;
  return { weights, context };
}

/** Projects every state once per source: `[B, S, H]` · `[H, A]` → `[B, S, A]`. */
export function projectStates(states: tf.Tensor3D, kernel: tf.Tensor2D): tf.Tensor3D {
  const [b, s, h] = states.shape;
  return tf.matMul(states.reshape([b * s, h]), kernel).reshape([b, s, -1]) as tf.Tensor3D;
}
