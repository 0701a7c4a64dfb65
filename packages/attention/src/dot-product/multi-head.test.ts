import { disposeTree } from '@s2s/core';
import '../register.js';
import { describeAttention, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import {
  dot,
  expectAttendsLike,
  type Matrix,
  softmax,
  type Vector,
  vecMat,
  weightedSum,
} from '../../test/reference.js';
import { MultiHeadAttention } from './multi-head.js';

describeAttention('multi-head', {
  plugin: { name: 'multi-head', options: { size: 6, heads: 3 } },
  create: (seed, sizes) =>
    new MultiHeadAttention(
      { memorySize: sizes.memory, querySize: sizes.query, size: 6, heads: 3 },
      seed,
    ),
});

/** Columns `from … from + n − 1` of a matrix. */
const columns = (m: Matrix, from: number, n: number): Matrix =>
  m.map((r) => r.slice(from, from + n));

describe('MultiHeadAttention', () => {
  beforeAll(() => pinBackend('wasm'));

  it('attends per head, concatenates, projects, and reports the mean alignment, as by hand', () => {
    const [size, heads, d] = [6, 3, 2];
    const attention = new MultiHeadAttention({ memorySize: 3, querySize: 2, size, heads }, 5);
    expectAttendsLike(attention, { memory: 3, query: 2 }, ({ h, q, w }) => {
      const concat: Vector = [];
      const mean: Vector = Array(h.length).fill(0);
      for (let i = 0; i < heads; i++) {
        const qi = vecMat(q, columns(w.queryKernel!, i * d, d));
        const ks = h.map((hj) => vecMat(hj, columns(w.keyKernel!, i * d, d)));
        const vs = h.map((hj) => vecMat(hj, columns(w.valueKernel!, i * d, d)));
        const a = softmax(ks.map((k) => dot(qi, k) / Math.sqrt(d)));
        a.forEach((aj, j) => {
          mean[j]! += aj / heads;
        });
        concat.push(...weightedSum(a, vs));
      }
      return { weights: mean, context: vecMat(concat, w.outputKernel!) };
    });
    attention.dispose();
  });

  it('works with one head and with as many heads as units', () => {
    for (const heads of [1, 4]) {
      const attention = new MultiHeadAttention({ memorySize: 3, querySize: 2, size: 4, heads }, 1);
      const memory = randomMemory({ lengths: [3, 1], size: 3, seed: 1 });
      tf.tidy(() => {
        const r = attention.attend(tf.ones([2, 2]), attention.prepare(memory));
        expect(r.context.shape).toEqual([2, 4]);
        expect(r.weights.arraySync()[1]).toEqual([1, 0, 0]);
      });
      disposeTree(memory);
      attention.dispose();
    }
  });

  it('rejects a size that the heads do not divide, naming both', () => {
    expect(
      () => new MultiHeadAttention({ memorySize: 3, querySize: 2, size: 10, heads: 4 }, 1),
    ).toThrow(/^multi-head attention: options: 'size' \(10\) must be a multiple of 'heads' \(4\)/);
    expect(() => new MultiHeadAttention({ memorySize: 3, querySize: 2, heads: 0 }, 1)).toThrow(
      /option 'heads': too small: expected number to be >0, got 0/,
    );
  });

  it('gradients match finite differences', () =>
    expectAttentionGradients(
      new MultiHeadAttention({ memorySize: 3, querySize: 2, size: 4, heads: 2 }, 1),
      { memory: 3, query: 2 },
    ));
});
