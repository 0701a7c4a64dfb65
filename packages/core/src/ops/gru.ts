import * as tf from '@tensorflow/tfjs';

/**
 * The GRU cell's element-wise half, shared by every GRU encoder and decoder.
 *
 * Uses the "reset after" form of Cho et al. (2014) that cuDNN, PyTorch and Keras
 * (`reset_after`) implement: the reset gate scales U_n·h rather than h, so all three
 * gates need only one fused `[B, H] × [H, 3H]` matMul per step, and the input half
 * `x` can be computed for every step before the time loop. Gate order `[r, z, n]`.
 *
 *   r = σ(x_r + u_r),  z = σ(x_z + u_z),  n = tanh(x_n + r ⊙ u_n),  h' = (1 − z) ⊙ n + z ⊙ h
 *
 * @param x `[B, 3H]` input pre-activations x_t·W + b.
 * @param u `[B, 3H]` recurrent pre-activations h·U + b_h.
 * @param h `[B, H]` previous hidden state.
 */
export function gruGates(x: tf.Tensor2D, u: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const hidden = h.shape[1];
    const [xrz, xn] = tf.split(x, [2 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [urz, un] = tf.split(u, [2 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [r, z] = tf.split(tf.sigmoid(tf.add(xrz, urz)), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const n = tf.tanh(tf.add(xn, tf.mul(r, un)));
    // (1 − z) ⊙ n + z ⊙ h written as n + z ⊙ (h − n): one op fewer.
    return tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
  });
}
