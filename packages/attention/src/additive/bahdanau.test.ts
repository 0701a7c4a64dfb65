import { exportWeights } from '@s2s/core';
import '../register.js';
import { describeAttention, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import { BahdanauAttention } from './bahdanau.js';

describeAttention('bahdanau', {
  plugin: { name: 'bahdanau', options: { size: 4 } },
  create: (seed, sizes) =>
    new BahdanauAttention({ memorySize: sizes.memory, querySize: sizes.query, size: 4 }, seed),
});

describe('BahdanauAttention', () => {
  beforeAll(() => pinBackend('wasm'));

  it('scores with vᵀ tanh(W_k h_j + W_q s), as computed by hand', () => {
    const attention = new BahdanauAttention({ memorySize: 3, querySize: 2, size: 4 }, 5);
    const memory = randomMemory({ lengths: [3, 2], size: 3, seed: 1 });
    const query = tf.tensor2d([
      [0.5, -1],
      [2, 0.25],
    ]);
    const r = attention.attend(query, attention.prepare(memory));
    const w = Object.fromEntries(
      [...exportWeights(attention)].map(([k, v]) => [k, v.arraySync() as number[][]]),
    );
    const h = memory.states.arraySync();
    const q = query.arraySync();
    const weights = r.weights.arraySync();
    const context = r.context.arraySync();
    const dot = (x: number[], m: number[][], col: number) =>
      x.reduce((s, xi, i) => s + xi * m[i]![col]!, 0);
    [3, 2].forEach((len, b) => {
      const e = Array.from({ length: len }, (_, j) =>
        [0, 1, 2, 3].reduce(
          (s, a) =>
            s +
            w.scoreVector![a]![0]! *
              Math.tanh(dot(h[b]![j]!, w.keyKernel!, a) + dot(q[b]!, w.queryKernel!, a)),
          0,
        ),
      );
      const z = e.reduce((s, x) => s + Math.exp(x), 0);
      const expected = e.map((x) => Math.exp(x) / z);
      expected.forEach((a, j) => expect(weights[b]![j]).toBeCloseTo(a, 5));
      for (let j = len; j < 3; j++) expect(weights[b]![j]).toBe(0);
      [0, 1, 2].forEach((k) =>
        expect(context[b]![k]).toBeCloseTo(
          expected.reduce((s, a, j) => s + a * h[b]![j]![k]!, 0),
          5,
        ),
      );
    });
    attention.dispose();
  });

  it('gradients match finite differences', () =>
    expectAttentionGradients(new BahdanauAttention({ memorySize: 3, querySize: 2, size: 2 }, 1), {
      memory: 3,
      query: 2,
    }));
});
