import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, pinBackend } from '../testing/helpers.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** The textbook composition: −Σ_v q_v log softmax(z)_v. */
function reference(z: tf.Tensor2D, y: tf.Tensor1D, eps: number): tf.Tensor1D {
  const v = z.shape[1];
  const q = tf.oneHot(y, v, 1 - eps + eps / v, eps / v, 'float32');
  return tf.neg(tf.sum(tf.mul(q, tf.logSoftmax(z)), 1));
}

describe('softmaxCrossEntropy', () => {
  beforeAll(() => pinBackend('wasm'));
  const z = () =>
    tf.tensor2d([
      [2, -1, 0.5, 3],
      [-40, 10, 0, 1],
      [0, 0, 0, 0],
    ]);
  const y = () => tf.tensor1d([3, 0, 2], 'int32');

  it('equals −log softmax at the target, by hand', () => {
    const loss = softmaxCrossEntropy(z(), y()).arraySync();
    const row = [2, -1, 0.5, 3];
    const lse = Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
    expect(loss[0]).toBeCloseTo(lse - 3, 5);
    expect(loss[1]).toBeCloseTo(50 + Math.log(1 + Math.exp(-30) + Math.exp(-10) + Math.exp(-9)), 3);
    expect(loss[2]).toBeCloseTo(Math.log(4), 6);
  });

  for (const eps of [0, 0.1]) {
    it(`matches log-softmax values and gradients with label smoothing ${eps}`, () => {
      const probe = tf.tensor1d([0.5, -1, 2]);
      expectClose(softmaxCrossEntropy(z(), y(), eps), reference(z(), y(), eps), 1e-5, 'losses');
      const mine = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(softmaxCrossEntropy(x as tf.Tensor2D, y(), eps), probe)),
      )(z());
      const ref = tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(reference(x as tf.Tensor2D, y(), eps), probe)),
      )(z());
      expectClose(mine, ref, 1e-5, 'gradients');
    });
  }

  it('matches log-softmax over a wide vocabulary, targets far below the maximum included', () => {
    const wide = tf.randomNormal([6, 1000], 0, 8, 'float32', 3) as tf.Tensor2D;
    const ids = tf.tensor1d([0, 17, 999, 500, 3, 42], 'int32');
    expectClose(softmaxCrossEntropy(wide, ids), reference(wide, ids, 0), 2e-5, 'losses');
    expectClose(softmaxCrossEntropy(wide, ids, 0.1), reference(wide, ids, 0.1), 2e-5, 'losses');
  });

  it('leaves no tensor behind, through a gradient', () => {
    const [a, b] = [z(), y()];
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(softmaxCrossEntropy(x as tf.Tensor2D, b, 0.1)))(a);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
