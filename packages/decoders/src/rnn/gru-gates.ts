import * as tf from '@tensorflow/tfjs';

/**
 * The GRU cell's element-wise half (Cho et al. 2014), in the "reset after" form of cuDNN
 * and PyTorch: the reset gate scales U_n·h rather than h, so the whole hidden side is one
 * matMul per step and the input side can be hoisted out of the time loop.
 *
 * `xz` and `hz` are `[B, 3H]`, laid out `[r, z, n]`: the input side W·x + b and the hidden
 * side U·h + b_h.
 *
 *   r = σ(x_r + h_r),  z = σ(x_z + h_z),  n = tanh(x_n + r ⊙ h_n),  h' = (1 − z) ⊙ n + z ⊙ h
 *
 * Written here rather than taken from core so this package does not wait on a shared
 * kernel; a fused core `gruGates` can replace it without changing parameters.
 */
export function gruGates(xz: tf.Tensor2D, hz: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const hidden = h.shape[1];
    const [xrz, xn] = tf.split(xz, [2 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [hrz, hn] = tf.split(hz, [2 * hidden, hidden], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [r, z] = tf.split(tf.sigmoid(tf.add(xrz, hrz)), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    // (1 − z) ⊙ n + z ⊙ h, one op fewer.
    return tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
  });
}
