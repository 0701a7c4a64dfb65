import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from './use-backend.js';

/** Runs `fn` on a backend and returns plain nested arrays. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<unknown[]> {
  await useBackend(backend);
  return tf.tidy(fn).map((t) => {
    const values = t.arraySync();
    t.dispose();
    return values;
  });
}

describe('wasm slicing and activation kernels installed by useBackend', () => {
  const x = () => tf.range(0, 2 * 3 * 4).reshape([2, 3, 4]);

  it('Slice, Unpack and SplitV equal the cpu kernels on every axis', async () => {
    const run = () => [
      tf.slice(x(), [1, 0, 1], [1, 3, 2]),
      tf.slice(x(), [0, 1, 0], [-1, 2, -1]),
      tf.slice(x().reshape([24]), [5], [7]),
      ...tf.unstack(x(), 0),
      ...tf.unstack(x(), 1),
      ...tf.unstack(x(), 2),
      ...tf.split(x(), [1, 3], 2),
      ...tf.split(x(), 3, 1),
      ...tf.split(x().toInt(), [2, 2], 2),
    ];
    expect(await on('wasm', run)).toEqual(await on('cpu', run));
  });

  it('Identity shares the buffer and survives its source being disposed', async () => {
    await useBackend('wasm');
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    b.dispose();
    expect(tf.memory().numDataBuffers).toBe(before - 1);
  });

  it('OneHot honours float32 on and off values, as on cpu', async () => {
    const run = () => [
      tf.oneHot(tf.tensor1d([2, 0, 5, -1], 'int32'), 4, 0.9, 0.025, 'float32'),
      tf.oneHot(tf.tensor2d([[1], [3]], [2, 1], 'int32'), 4),
    ];
    expect(await on('wasm', run)).toEqual(await on('cpu', run));
  });

  it('Tanh stays within 2e-7 of Math.tanh, saturates, and keeps its gradient', async () => {
    await useBackend('wasm');
    const values = [-30, -5, -1, -1e-3, 0, 1e-3, 0.5, 2, 9, 40];
    const y = Array.from(tf.tanh(tf.tensor1d(values)).dataSync());
    y.forEach((v, i) => expect(Math.abs(v - Math.tanh(values[i]!))).toBeLessThan(2e-7));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(tf.tensor1d([0.3, -2]));
    const expected = [0.3, -2].map((v) => 1 - Math.tanh(v) ** 2);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });
});
