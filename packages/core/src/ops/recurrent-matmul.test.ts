import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, pinBackend } from '../testing/helpers.js';
import { recurrentMatMul } from './recurrent-matmul.js';

describe('recurrentMatMul', () => {
  beforeAll(() => pinBackend('wasm'));

  it('gives the values and gradients of tf.matMul over a time loop', () => {
    const w = tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 1));
    const x0 = tf.randomNormal([2, 3], 0, 1, 'float32', 2);
    const probe = tf.randomNormal([2, 4], 0, 1, 'float32', 3);
    // Three steps of h_{t+1} = tanh(h_t W)[:, :3], so W is used with a different x each step.
    const unroll = (mm: (x: tf.Tensor2D) => tf.Tensor2D) => {
      let h = x0 as tf.Tensor2D;
      let out = tf.scalar(0);
      for (let t = 0; t < 3; t++) {
        const y = mm(h);
        out = tf.add(out, tf.sum(tf.mul(y, probe)));
        h = tf.tanh(y).slice([0, 0], [2, 3]) as tf.Tensor2D;
      }
      return out as tf.Scalar;
    };
    const mine = tf.variableGrads(() => unroll(recurrentMatMul(w, { training: true })), [w]);
    const stock = tf.variableGrads(() => unroll((x) => tf.matMul(x, w)), [w]);
    expectClose(mine.value, stock.value, 1e-6, 'values');
    expectClose(mine.grads[w.name]!, stock.grads[w.name]!, 1e-5, 'gradients');
    const dx = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(recurrentMatMul(w, { training: true })(x as tf.Tensor2D), probe)),
    );
    const dxStock = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, w), probe)),
    );
    expectClose(dx(x0), dxStock(x0), 1e-6, 'input gradient');
  });

  it('leaves no tensor behind after a gradient', () => {
    const w = tf.variable(tf.randomNormal([3, 4]));
    const x = tf.randomNormal([2, 3]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.variableGrads(() => {
        const mm = recurrentMatMul(w, { training: true });
        return tf.sum(mm(tf.tanh(mm(x).slice([0, 0], [2, 3]) as tf.Tensor2D))) as tf.Scalar;
      }, [w]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('in inference it is a plain matMul and creates nothing else', () => {
    const w = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const mm = recurrentMatMul(w, { training: false });
    expect(tf.memory().numTensors).toBe(before);
    mm(tf.ones([1, 3])).dispose();
  });
});
