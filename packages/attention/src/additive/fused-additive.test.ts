import { maskBias } from '@s2s/core';
import { expectClose, lengthMask, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedAdditiveStep } from './fused-additive.js';

/** The same step written with stock ops, differentiated by tfjs. */
function composite(
  k: tf.Tensor3D,
  q: tf.Tensor2D,
  v: tf.Tensor,
  vals: tf.Tensor3D,
  bias: tf.Tensor2D,
  x?: tf.Tensor3D,
) {
  const [b, s, a] = k.shape;
  const pre = tf.add(tf.add(k, q.reshape([b, 1, a])), x ?? tf.zeros([1]));
  const e = tf.sum(tf.mul(tf.tanh(pre), v.reshape([1, 1, a])), 2);
  const weights = tf.softmax(tf.add(e, bias)) as tf.Tensor2D;
  const context = tf.sum(tf.mul(weights.reshape([b, s, 1]), vals), 1) as tf.Tensor2D;
  return { weights, context };
}

describe('fusedAdditiveStep', () => {
  beforeAll(() => pinBackend('wasm'));

  for (const withExtra of [false, true]) {
    it(`gives the values and every gradient of the op-by-op step${withExtra ? ' with an extra term' : ''}`, () => {
      const [b, s, a, h] = [3, 4, 5, 2];
      const inputs = [
        tf.randomNormal([b, s, a], 0, 1, 'float32', 1),
        tf.randomNormal([b, a], 0, 1, 'float32', 2),
        tf.randomNormal([a], 0, 1, 'float32', 3),
        tf.randomNormal([b, s, h], 0, 1, 'float32', 4),
        ...(withExtra ? [tf.randomNormal([b, s, a], 0, 1, 'float32', 5)] : []),
      ];
      const bias = maskBias(lengthMask([4, 2, 3], s)) as tf.Tensor2D;
      const pw = tf.randomNormal([b, s], 0, 1, 'float32', 6);
      const pc = tf.randomNormal([b, h], 0, 1, 'float32', 7);
      const loss =
        (step: typeof composite) =>
        (...xs: tf.Tensor[]) => {
          const [k, q, v, vals, x] = xs as [
            tf.Tensor3D,
            tf.Tensor2D,
            tf.Tensor,
            tf.Tensor3D,
            tf.Tensor3D?,
          ];
          const r = step(k, q, v, vals, bias, x);
          return tf.add(tf.sum(tf.mul(r.weights, pw)), tf.sum(tf.mul(r.context, pc))) as tf.Scalar;
        };
      const [k0, q0, v0, vals0, x0] = inputs as [
        tf.Tensor3D,
        tf.Tensor2D,
        tf.Tensor,
        tf.Tensor3D,
        tf.Tensor3D?,
      ];
      const mine = fusedAdditiveStep(k0, q0, v0, vals0, bias, x0);
      const ref = composite(k0, q0, v0, vals0, bias, x0);
      expectClose(mine.weights, ref.weights, 1e-6, 'weights');
      expectClose(mine.context, ref.context, 1e-6, 'context');
      expect(mine.weights.arraySync()[1]!.slice(2)).toEqual([0, 0]);
      const g1 = tf.grads(loss(fusedAdditiveStep))(inputs);
      const g2 = tf.grads(loss(composite))(inputs);
      g1.forEach((g, i) => expectClose(g, g2[i]!, 1e-5, `gradient of input ${i}`));
    });
  }

  it('leaves no tensor behind, through a gradient', () => {
    const k = tf.randomNormal([2, 3, 4]) as tf.Tensor3D;
    const q = tf.randomNormal([2, 4]) as tf.Tensor2D;
    const v = tf.randomNormal([4]);
    const vals = tf.randomNormal([2, 3, 2]) as tf.Tensor3D;
    const bias = tf.zeros([2, 3]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(fusedAdditiveStep(x as tf.Tensor3D, y as tf.Tensor2D, v, vals, bias).context),
      )([k, q]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
