import * as tf from '@tensorflow/tfjs';

/**
 * `x ↦ x·W` for a weight matrix used at every step of a time loop. Its gradient with
 * respect to x needs Wᵀ; the stock gradient transposes W again at every step, and on wasm
 * a fresh transposed operand also makes XNNPACK repack it. This op transposes W once per
 * forward pass (only when gradients may be taken, `training: true`) and reuses it for every
 * step's backward product. Values and gradients equal `tf.matMul(x, W)`'s.
 *
 * Call it once per forward pass, outside the loop, and use the returned function inside.
 * The transposed copy lives in the caller's tidy scope.
 */
export function recurrentMatMul(
  w: tf.Tensor,
  options: { readonly training: boolean },
): (x: tf.Tensor2D) => tf.Tensor2D {
  if (!options.training) return (x) => tf.matMul(x, w as tf.Tensor2D);
  const wT = tf.transpose(w) as tf.Tensor2D;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, weights, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    // wT is saved, not just captured: the forward scope disposes what the tape does not keep.
    save([x, wT]);
    return {
      value: tf.matMul(x, weights),
      gradFunc: (dy, saved) => [
        tf.matMul(dy as tf.Tensor2D, saved[1] as tf.Tensor2D),
        tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D, true, false),
      ],
    };
  });
  return (x) => op(x, w) as tf.Tensor2D;
}
