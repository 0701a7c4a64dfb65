import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pinBackend } from '../testing/helpers.js';
import { gruGates } from './gru.js';

describe('gruGates', () => {
  beforeAll(() => pinBackend('cpu'));

  it('matches the reset-after GRU worked out by hand', () => {
    // H = 1, so each gate is one number: x = [x_r, x_z, x_n], u = [u_r, u_z, u_n].
    const x = [0.5, -1, 0.25];
    const u = [0.1, 0.3, -0.4];
    const h = 0.6;
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const r = sigmoid(x[0]! + u[0]!);
    const z = sigmoid(x[1]! + u[1]!);
    const n = Math.tanh(x[2]! + r * u[2]!);
    const expected = (1 - z) * n + z * h;
    const out = tf.tidy(() =>
      gruGates(tf.tensor2d([x]), tf.tensor2d([u]), tf.tensor2d([[h]])).dataSync(),
    );
    expect(out[0]).toBeCloseTo(expected, 6);
  });

  it('keeps the state where the update gate is saturated open', () => {
    const out = tf.tidy(() =>
      gruGates(
        tf.tensor2d([[0, 50, 3]]),
        tf.tensor2d([[0, 50, 0]]),
        tf.tensor2d([[-0.7]]),
      ).dataSync(),
    );
    expect(out[0]).toBeCloseTo(-0.7, 6);
  });
});
