import '../register.js';
import { describeAttention, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import { dot, expectAttendsLike, softmax, vecMat, weightedSum } from '../../test/reference.js';
import { ScaledDotAttention } from './scaled-dot.js';

describeAttention('scaled-dot', {
  plugin: { name: 'scaled-dot', options: { size: 4 } },
  create: (seed, sizes) =>
    new ScaledDotAttention({ memorySize: sizes.memory, querySize: sizes.query, size: 4 }, seed),
});

describe('ScaledDotAttention', () => {
  beforeAll(() => pinBackend('wasm'));

  it('scores with (W_q s)·(W_k h_j)/√d as computed by hand, zero on padding', () => {
    const attention = new ScaledDotAttention({ memorySize: 3, querySize: 2, size: 4 }, 5);
    expectAttendsLike(attention, { memory: 3, query: 2 }, ({ h, q, w }) => {
      const qd = vecMat(q, w.queryKernel!);
      const weights = softmax(h.map((hj) => dot(qd, vecMat(hj, w.keyKernel!)) / Math.sqrt(4)));
      return { weights, context: weightedSum(weights, h) };
    });
    attention.dispose();
  });

  it('projects queries and keys to size d and keeps the states as values', () => {
    const attention = new ScaledDotAttention({ memorySize: 3, querySize: 2 }, 1);
    const shapes = [...attention.parameters()].map(([name, v]) => [name, v.shape]);
    expect(shapes).toEqual([
      ['queryKernel', [2, 64]],
      ['keyKernel', [3, 64]],
    ]);
    expect(attention.contextSize).toBe(3);
    attention.dispose();
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => new ScaledDotAttention({ memorySize: 3, querySize: 2, size: 0 }, 1)).toThrow(
      /option 'size': too small: expected number to be >0, got 0/,
    );
  });

  it('gradients match finite differences', () =>
    expectAttentionGradients(new ScaledDotAttention({ memorySize: 3, querySize: 2, size: 2 }, 1), {
      memory: 3,
      query: 2,
    }));
});
