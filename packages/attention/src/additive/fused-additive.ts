import * as tf from '@tensorflow/tfjs';

/**
 * One step of additive attention with its gradient written out:
 *
 *   h = tanh(K + q + X),  e = h·v,  a = softmax(e + bias),  C = Σ_j a_j V_j
 *
 * for keys K `[B, S, A]`, projected query q `[B, A]`, score vector v `[A]`, values V
 * `[B, S, H]`, mask bias `[B, S]` and an optional extra term X `[B, S, A]` (coverage,
 * location features). Differentiated op by op, a step costs a transpose of h, an
 * outer-product matMul and batched matMuls that wasm runs on a scalar path; written out,
 * the backward pass is nine elementwise passes:
 *
 *   da = ∂a + V·∂C,  ∂V = a ⊗ ∂C,  ∂e = a ⊙ (da − Σ_j a_j da_j),
 *   ∂pre = (∂e ⊗ v) ⊙ (1 − h²) = ∂K = ∂X,  ∂q = Σ_j ∂pre_j,  ∂v = Σ_{b,j} ∂e_bj h_bj.
 *
 * Returns weights `[B, S]` and context `[B, H]`; gradients reach K, q, v, V and X.
 */
export function fusedAdditiveStep(
  keys: tf.Tensor3D,
  query: tf.Tensor2D,
  scoreVector: tf.Tensor,
  values: tf.Tensor3D,
  bias: tf.Tensor2D,
  extra?: tf.Tensor3D,
): { weights: tf.Tensor2D; context: tf.Tensor2D } {
  const [b, s, a] = keys.shape;
  const h = values.shape[2];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.at(-1) as tf.GradSaveFunc;
    const [k, q, v, vals, mask, x] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor,
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor3D?,
    ];
    const sum = tf.add(k, q.reshape([b, 1, a]));
    const hidden = tf.tanh(x instanceof tf.Tensor ? tf.add(sum, x) : sum);
    const scores = tf.matMul(hidden.reshape([b * s, a]), v.reshape([a, 1])).reshape([b, s]);
    const weights = tf.softmax(tf.add(scores, mask));
    const context = tf.matMul(weights.reshape([b, 1, s]), vals).reshape([b, h]);
    save([hidden, weights, vals, v]);
    return {
      value: tf.concat([weights, context], 1),
      gradFunc: (dy, saved) => {
        const [hid, w, vs, vec] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor];
        const dOut = dy as tf.Tensor2D;
        const dWeights = dOut.slice([0, 0], [b, s]);
        const dContext = dOut.slice([0, s], [b, h]).reshape([b, 1, h]);
        const da = tf.add(dWeights, tf.sum(tf.mul(vs, dContext), 2));
        const dValues = tf.mul(w.reshape([b, s, 1]), dContext);
        const de = tf.mul(w, tf.sub(da, tf.sum(tf.mul(w, da), 1, true)));
        const dHidden = tf.mul(de.reshape([b, s, 1]), vec.reshape([1, 1, a]));
        const dPre = tf.mul(dHidden, tf.sub(1, tf.square(hid)));
        const dQuery = tf.sum(dPre, 1);
        const dScore = tf.sum(tf.mul(de.reshape([b, s, 1]), hid), [0, 1]).reshape(vec.shape);
        const grads = [dPre, dQuery, dScore, dValues, tf.zerosLike(mask)];
        return extra ? [...grads, dPre] : grads;
      },
    };
  });
  const inputs = [keys, query, scoreVector, values, bias, ...(extra ? [extra] : [])];
  const out = op(...inputs) as tf.Tensor2D;
  return {
    weights: out.slice([0, 0], [b, s]) as tf.Tensor2D,
    context: out.slice([0, s], [b, h]) as tf.Tensor2D,
  };
}
