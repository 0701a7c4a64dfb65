import { type Memory, registry } from '@s2s/core';
import { describeAttention, lengthMask, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BilinearAttention } from './bilinear-attention.js';
import './register.js';

describeAttention('bilinear', {
  create: (seed, sizes) =>
    new BilinearAttention({ memorySize: sizes.memory, querySize: sizes.query }, seed),
});

describe('BilinearAttention', () => {
  beforeAll(() => pinBackend('cpu'));

  it('scores sᵀ W h_j / √Q, by a loop over positions on the host', async () => {
    const attention = new BilinearAttention({ memorySize: 3, querySize: 2 }, 4);
    const W = (await attention.parameters().get('kernel')!.array()) as number[][];
    const h = [
      [1, 0, 2],
      [0, -1, 1],
      [3, 1, 0],
    ];
    const query = [0.5, -2];
    const memory: Memory = {
      states: tf.tensor3d([h]),
      mask: lengthMask([2], 3),
      final: [],
    };
    const cache = attention.prepare(memory);
    const { weights, context } = attention.attend(tf.tensor2d([query]), cache);
    // e_j = Σ_a Σ_q h_j[a] W[a][q] s[q] / √2 over the two real positions; the third is padding.
    const e = h
      .slice(0, 2)
      .map(
        (hj) =>
          hj.reduce((sum, ha, a) => sum + ha * (W[a]![0]! * query[0]! + W[a]![1]! * query[1]!), 0) /
          Math.SQRT2,
      );
    const z = Math.exp(e[0]!) + Math.exp(e[1]!);
    const a = [Math.exp(e[0]!) / z, Math.exp(e[1]!) / z, 0];
    const got = (await weights.array()) as number[][];
    a.forEach((aj, j) => expect(got[0]![j]).toBeCloseTo(aj, 5));
    const c = [0, 1, 2].map((k) => a[0]! * h[0]![k]! + a[1]! * h[1]![k]!);
    ((await context.array()) as number[][])[0]!.forEach((ck, k) =>
      expect(ck).toBeCloseTo(c[k]!, 5),
    );
    tf.dispose([memory.states, memory.mask, weights, context]);
    tf.dispose(Object.values(cache));
    attention.dispose();
  });

  it('is built by name with the sizes its decoder gives, and checks its options', () => {
    const sizes = { memory: 6, query: 5 };
    const built = registry.create('attention', { name: 'bilinear', scale: false }, { sizes });
    expect(built.contextSize).toBe(6);
    built.dispose();
    expect(() =>
      registry.create(
        'attention',
        { name: 'bilinear', scael: false },
        { path: 'decoder.attention', sizes },
      ),
    ).toThrow("unknown option 'decoder.attention.scael' (did you mean 'scale'?)");
  });
});
