import * as tf from '@tensorflow/tfjs';

/**
 * The LSTM cell's element-wise half, shared by every LSTM encoder and decoder.
 *
 * `z` is `[B, 4H]`: the pre-activations of all four gates, laid out `[i, f, o, g]` so one
 * sigmoid covers the three gates and one tanh the candidate. Callers compute `z` with one
 * fused matMul per step (and hoist the input half of it out of the time loop).
 *
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
 */
export function lstmGates(z: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } {
  return tf.tidy(() => {
    const hidden = c.shape[1];
    const [ifo, g] = tf.split(z, [3 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [i, f, o] = tf.split(tf.sigmoid(ifo), 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const cNext = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(g))) as tf.Tensor2D;
    return { h: tf.mul(o, tf.tanh(cNext)) as tf.Tensor2D, c: cNext };
  });
}

/**
 * Keeps the previous state where `mask` is 0: `prev + m ⊙ (next − prev)`. With right
 * padding this freezes each row's state at its last real step, so the state after the
 * loop is the state at the last real position and padding never changes a state.
 *
 * @param mask `[B, 1]` (or broadcastable), 1 = real.
 */
export function carryOverPadding<T extends tf.Tensor>(next: T, prev: T, mask: tf.Tensor): T {
  return tf.tidy(() => tf.add(prev, tf.mul(mask, tf.sub(next, prev))) as T);
}
