import * as tf from '@tensorflow/tfjs';

/**
 * `[B, N, E]` sentence vectors from embedded words `[B, N, W, E]` and the word mask
 * `[B, N, W]` (1 at real words, which are right-padded within each sentence).
 *
 * `bag`: m = Σ_j x_j. `position` (Sukhbaatar et al. 2015, §4.1): m = Σ_j l_j ⊙ x_j with
 * l_kj = (1 − j/J) − (k/E)(1 − 2j/J) for word j = 1…J of a J-word sentence and dimension
 * k = 1…E. Since l_kj = a_j − (k/E)·b_j with a_j = 1 − j/J and b_j = 1 − 2j/J, it is
 * computed as Σ_j a_j x_j − (k/E) ⊙ Σ_j b_j x_j, never materialising l.
 */
export function sentenceVectors(
  x: tf.Tensor4D,
  words: tf.Tensor3D,
  reader: 'position' | 'bag',
): tf.Tensor3D {
  const weighted = (w: tf.Tensor3D) => tf.sum(tf.mul(x, w.expandDims(3)), 2) as tf.Tensor3D;
  if (reader === 'bag') return weighted(words);
  const [, , width, e] = x.shape;
  // J per sentence, at least 1 so empty (padded) sentences divide by something.
  const length = tf.maximum(tf.sum(words, 2, true), 1);
  const j = tf.range(1, width + 1).reshape([1, 1, width]);
  const ratio = tf.div(j, length);
  const a = tf.mul(tf.sub(1, ratio), words) as tf.Tensor3D;
  const b = tf.mul(tf.sub(1, tf.mul(2, ratio)), words) as tf.Tensor3D;
  const k = tf.div(tf.range(1, e + 1), e).reshape([1, 1, e]);
  return tf.sub(weighted(a), tf.mul(k, weighted(b))) as tf.Tensor3D;
}
