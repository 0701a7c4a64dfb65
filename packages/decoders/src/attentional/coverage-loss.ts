import * as tf from '@tensorflow/tfjs';

/**
 * The coverage loss of See et al. (2017), weighted and averaged like the NLL it is added
 * to: λ · Σ_{b,t} m_bt Σ_j min(a_tj, c_tj) / Σ_{b,t} m_bt, where c_t = Σ_{t'<t} a_t' is the
 * coverage before step t. It penalises attending again where attention has already been.
 *
 * c_t is the running sum a coverage attention carries in its state; it is rebuilt here from
 * the weights with one exclusive cumulative sum, so the loss works with any attention and
 * costs nothing per step.
 *
 * @param weights `[B, T, S]` attention weights of all steps.
 * @param mask `[B, T]`, 1 at real target positions; absent, every position counts.
 */
export function coverageLoss(
  weights: tf.Tensor3D,
  lambda: number,
  mask: tf.Tensor2D | undefined,
): tf.Scalar {
  return tf.tidy(() => {
    // [B, S, T]: tfjs 4.22's cumsum gradient is wrong on any axis but the last.
    const a = tf.transpose(weights, [0, 2, 1]);
    const coverage = tf.cumsum(a, 2, true);
    const perStep = tf.sum(tf.minimum(a, coverage), 1);
    const total = mask
      ? tf.div(tf.sum(tf.mul(perStep, mask)), tf.maximum(tf.sum(mask), 1))
      : tf.mean(perStep);
    return tf.mul(total, lambda) as tf.Scalar;
  });
}
