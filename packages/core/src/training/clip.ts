import * as tf from '@tensorflow/tfjs';

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (Pascanu et al. 2013).
 * Returns new tensors and the norm before clipping; no host sync.
 */
export function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(squares)) as tf.Scalar;
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    const clipped: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
    return { grads: clipped, norm };
  });
}
