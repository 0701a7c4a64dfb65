import * as tf from '@tensorflow/tfjs';

/**
 * Per-row cross-entropy −Σ_v q_v log softmax(z)_v against targets smoothed by ε
 * (q = (1−ε)·onehot(y) + ε/V), from logits, in one pass over `[N, V]` with one exponential.
 *
 * Its gradient is written out, dz = dy·(softmax(z) − q), instead of differentiating
 * log-softmax, a gather and a masked sum one op at a time: the output layer over every
 * target position is the largest elementwise work of a training step.
 *
 * @param logits `[N, V]`.
 * @param targets `[N]` int32 ids in [0, V).
 * @returns `[N]` losses.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  smoothing = 0,
): tf.Tensor1D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, y, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const [n, v] = z.shape;
    const shifted = tf.sub(z, tf.max(z, 1, true));
    const exps = tf.exp(shifted);
    const sums = tf.sum(exps, 1, true);
    const logSum = tf.log(sums);
    const probs = tf.div(exps, sums);
    // shifted[i, y_i], read through a flat gather rather than a one-hot product over [N, V].
    const flat = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), y.toInt());
    const gold = tf.gather(shifted.reshape([n * v]), flat);
    let loss = tf.sub(logSum.reshape([n]), gold);
    if (smoothing > 0) {
      const uniform = tf.sub(logSum.reshape([n]), tf.mean(shifted, 1));
      loss = tf.add(tf.mul(loss, 1 - smoothing), tf.mul(uniform, smoothing));
    }
    save([probs, y]);
    return {
      value: loss as tf.Tensor1D,
      gradFunc: (dy, saved) => {
        const [p, ids] = saved as [tf.Tensor2D, tf.Tensor1D];
        const target = tf.oneHot(
          ids.toInt(),
          v,
          1 - smoothing + smoothing / v,
          smoothing / v,
          'float32',
        );
        const dz = tf.mul(tf.sub(p, target), (dy as tf.Tensor1D).reshape([n, 1]));
        return [dz, tf.zerosLike(ids)];
      },
    };
  });
  return op(logits, targets) as tf.Tensor1D;
}
