import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './use-backend.js';

/** Σ over `axes` by brute force over every index of a row-major `shape`. */
function bruteSum(values: Float32Array, shape: number[], axes: number[], keepDims: boolean) {
  const rank = shape.length;
  const norm = axes.map((a) => (a < 0 ? a + rank : a));
  const outShape = shape.map((d, i) => (norm.includes(i) ? 1 : d));
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const index = shape.map(() => 0);
  for (let flat = 0; flat < values.length; flat++) {
    let o = 0;
    for (let i = 0; i < rank; i++) o = o * outShape[i]! + (norm.includes(i) ? 0 : index[i]!);
    out[o]! += values[flat]!;
    for (let i = rank - 1; i >= 0 && ++index[i]! === shape[i]; i--) index[i] = 0;
  }
  return {
    values: Array.from(out),
    shape: keepDims ? outShape : shape.filter((_, i) => !norm.includes(i)),
  };
}

describe('wasm Sum over leading axes', () => {
  beforeAll(() => useBackend('wasm'));

  const cases: [number[], number[], boolean][] = [
    [[6, 5], [0], false],
    [[4, 3, 5], [0, 1], false],
    [[4, 3, 5], [1, 0], true],
    [[4, 3, 5], [-3], false],
    [[4, 3, 5], [1], false],
    [[4, 3, 5], [2], true],
    [[4, 3, 5], [0, 1, 2], false],
    [[130, 70], [0], false],
  ];
  for (const [shape, axes, keepDims] of cases) {
    it(`sums [${shape}] over [${axes}]${keepDims ? ', keeping dims' : ''} as brute force does`, () => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', shape.length + axes.length);
      const y = tf.sum(x, axes, keepDims);
      const expected = bruteSum(x.dataSync() as Float32Array, shape, axes, keepDims);
      expect(y.shape).toEqual(expected.shape);
      const got = Array.from(y.dataSync());
      got.forEach((v, i) => expect(Math.abs(v - expected.values[i]!)).toBeLessThan(1e-4));
      tf.dispose([x, y]);
    });
  }

  it('leaves int32 sums and the gradient of a bias to the usual rules', () => {
    const ids = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const s = tf.sum(ids, 0);
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([9, 12]);
    const bias = tf.tensor1d([0.5, -1]);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const g = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(x, b), x)))(bias);
    expect(Array.from(g.dataSync())).toEqual([9, 12]);
    tf.dispose([ids, s, bias, x, g]);
  });
});
