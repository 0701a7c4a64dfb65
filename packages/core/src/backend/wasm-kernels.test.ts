import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from './use-backend.js';

/** Runs `fn` on a backend and returns plain arrays, so results can cross backends. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<number[][]> {
  await useBackend(backend);
  return tf.tidy(fn).map((t) => {
    const values = Array.from(t.dataSync());
    t.dispose();
    return values;
  });
}

function expectArraysClose(a: number[][], b: number[][], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i]!.length);
    row.forEach((x, j) =>
      expect(Math.abs(x - b[i]![j]!), `entry ${i}/${j}: ${x} vs ${b[i]![j]}`).toBeLessThanOrEqual(
        tolerance,
      ),
    );
  });
}

/** Central finite differences of a scalar function at every coordinate of x. */
function numericGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, eps = 1e-2): number[] {
  const base = x.dataSync().slice();
  return Array.from(base, (_, i) => {
    const at = (d: number) =>
      tf.tidy(() => {
        const moved = base.slice();
        moved[i] = base[i]! + d;
        return f(tf.tensor(moved, x.shape)).dataSync()[0]!;
      });
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

describe('wasm kernels installed by useBackend', () => {
  it('UnsortedSegmentSum on wasm equals the cpu kernel, duplicates summed and negative ids dropped', async () => {
    const run = () => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]);
      const ids = tf.tensor1d([2, 0, 2, -1, 3], 'int32');
      return [tf.unsortedSegmentSum(x, ids, 4), tf.unsortedSegmentSum(x.toInt(), ids, 4)];
    };
    const [cpu, wasm] = [await on('cpu', run), await on('wasm', run)];
    expect(wasm[0]).toEqual([3, 4, 0, 0, 6, 8, 9, 10]);
    expect(wasm).toEqual(cpu);
  });

  it('embedding gradients (gather) on wasm equal cpu and finite differences', async () => {
    const table = tf.randomNormal([7, 3], 0, 1, 'float32', 1);
    const ids = tf.tensor2d(
      [
        [1, 4, 1],
        [6, 0, 4],
      ],
      [2, 3],
      'int32',
    );
    const probe = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 2);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.gather(t, ids)), probe)) as tf.Scalar;
    const run = () => [tf.grad(f)(table)];
    const [cpu, wasm] = [await on('cpu', run), await on('wasm', run)];
    expectArraysClose(wasm, cpu, 1e-5);
    await useBackend('cpu');
    expectArraysClose(wasm, [numericGradient(f, table)], 2e-3);
  });

  it('matMul with transposed operands on wasm equals cpu, forward and gradient', async () => {
    const a = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3);
    const b = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 4);
    const probe = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 5);
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(x, y, true, true), probe)) as tf.Scalar;
    const run = () => [tf.matMul(a, b, true, true), ...tf.grads(f)([a, b])];
    const [cpu, wasm] = [await on('cpu', run), await on('wasm', run)];
    expectArraysClose(wasm, cpu, 1e-4);
    await useBackend('cpu');
    expectArraysClose([wasm[1]!], [numericGradient((x) => f(x, b), a)], 2e-3);
    expectArraysClose([wasm[2]!], [numericGradient((y) => f(a, y), b)], 2e-3);
  });

  it('fused matMul (bias, relu) gradients on wasm equal cpu', async () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 6);
    const b = tf.randomNormal([3, 5], 0, 1, 'float32', 7);
    const bias = tf.randomNormal([5], 0, 1, 'float32', 8);
    const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tf.sum(
        tf.square(
          tf.fused.matMul({
            a: x as tf.Tensor2D,
            b: y as tf.Tensor2D,
            bias: z,
            activation: 'relu',
          }),
        ),
      ) as tf.Scalar;
    const run = () => tf.grads(f)([a, b, bias]);
    expectArraysClose(await on('wasm', run), await on('cpu', run), 1e-4);
  });

  it('leaves no intermediate tensor or buffer behind', async () => {
    await useBackend('wasm');
    const a = tf.randomNormal([3, 4]);
    const before = tf.memory();
    tf.tidy(() => {
      tf.grads((x: tf.Tensor) => tf.sum(tf.matMul(x, x, true, false)))([a]);
      tf.unsortedSegmentSum(a, tf.tensor1d([0, 0, 1], 'int32'), 2);
    });
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    a.dispose();
  });
});
