import {
  type Attention,
  type AttentionCache,
  type AttentionResult,
  ConfigError,
  disposeTree,
  type Memory,
  ParameterSet,
  tidyTree,
  uniform,
} from '@s2s/core';
import '../register.js';
import { describeAttention, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import {
  add,
  dot,
  expectAttendsLike,
  type Matrix,
  softmax,
  type Vector,
  vecMat,
  weightedSum,
} from '../../test/reference.js';
import { LuongAttention, type LuongCache, type LuongScore } from './luong.js';

describeAttention('luong dot', {
  sizes: { memory: 6, query: 6 },
  create: (seed, sizes) =>
    new LearnedQueryScale(
      new LuongAttention({ memorySize: sizes.memory, querySize: sizes.query, score: 'dot' }, seed),
      seed,
    ),
});
describeAttention('luong general', {
  create: (seed, sizes) =>
    new LuongAttention(
      { memorySize: sizes.memory, querySize: sizes.query, score: 'general' },
      seed,
    ),
});
describeAttention('luong concat', {
  plugin: { name: 'luong', options: { score: 'concat', size: 4 } },
  create: (seed, sizes) =>
    new LuongAttention(
      { memorySize: sizes.memory, querySize: sizes.query, score: 'concat', size: 4 },
      seed,
    ),
});

/** score(h_t, h̄_s) as written in Luong et al. (2015), eq. 8, from the exported weights. */
const reference: Record<LuongScore, (w: Record<string, Matrix>, q: Vector, h: Vector) => number> = {
  dot: (_w, q, h) => dot(q, h),
  // W_a is saved as [H, Q], so W_a h̄_s is h̄_s · kernel.
  general: (w, q, h) => dot(q, vecMat(h, w.kernel!)),
  concat: (w, q, h) =>
    dot(
      add(vecMat(h, w.keyKernel!), vecMat(q, w.queryKernel!)).map(Math.tanh),
      w.scoreVector!.map((v) => v[0]!),
    ),
};

describe('LuongAttention', () => {
  it("has no parameters with score 'dot'", () => {
    const attention = new LuongAttention({ memorySize: 3, querySize: 3, score: 'dot' }, 1);
    expect(attention.parameters().size).toBe(0);
    attention.dispose();
  });

  beforeAll(() => pinBackend('wasm'));

  it.each(['dot', 'general', 'concat'] as const)(
    "scores with '%s' as computed by hand, zero on padding",
    (score) => {
      const sizes = score === 'dot' ? { memory: 3, query: 3 } : { memory: 3, query: 2 };
      const attention = new LuongAttention(
        { memorySize: sizes.memory, querySize: sizes.query, score },
        5,
      );
      expectAttendsLike(attention, sizes, ({ h, q, w }) => {
        const weights = softmax(h.map((hj) => reference[score](w, q, hj)));
        return { weights, context: weightedSum(weights, h) };
      });
      attention.dispose();
    },
  );

  it('precomputes W_a h̄_s and the memory half of concat once per source', () => {
    for (const [score, parameters] of [
      ['dot', []],
      ['general', ['kernel']],
      ['concat', ['keyKernel', 'queryKernel', 'scoreVector']],
    ] as const) {
      const attention = new LuongAttention({ memorySize: 4, querySize: 4, score }, 1);
      expect([...attention.parameters().keys()]).toEqual(parameters);
      const memory = randomMemory({ lengths: [3, 1], size: 4, seed: 1 });
      const cache = attention.prepare(memory);
      // dot and general keep the keys transposed, [B, Q, S]; concat keeps [B, S, A].
      expect(cache.keys.shape).toEqual(score === 'concat' ? [2, 3, 128] : [2, 4, 3]);
      disposeTree([memory, cache]);
      attention.dispose();
    }
  });

  it('rejects dot with a query size other than the memory size, naming both', () => {
    expect(() => new LuongAttention({ memorySize: 6, querySize: 5, score: 'dot' }, 1)).toThrow(
      /score 'dot' needs the query size \(5\) to equal the memory size \(6\)/,
    );
  });

  it('rejects an unknown score, and size outside concat', () => {
    expect(
      () => new LuongAttention({ memorySize: 3, querySize: 3, score: 'cosine' as never }, 1),
    ).toThrow(
      /option 'score': invalid option: expected one of "dot"\|"general"\|"concat", got 'cosine'/,
    );
    expect(() => new LuongAttention({ memorySize: 3, querySize: 3, size: 8 }, 1)).toThrow(
      ConfigError,
    );
    expect(() => new LuongAttention({ memorySize: 3, querySize: 3, size: 8 }, 1)).toThrow(
      /^luong attention: option 'size': applies only to score 'concat', not 'general', got 8$/,
    );
  });

  it.each([
    ['dot', { memory: 3, query: 3 }],
    ['general', { memory: 3, query: 2 }],
    ['concat', { memory: 3, query: 2 }],
  ] as const)("gradients of '%s' match finite differences", (score, sizes) =>
    expectAttentionGradients(
      new LuongAttention(
        {
          memorySize: sizes.memory,
          querySize: sizes.query,
          score,
          ...(score === 'concat' ? { size: 2 } : {}),
        },
        1,
      ),
      sizes,
    ),
  );
});

/**
 * Luong's dot score has no parameters, and the conformance kit's gradient test calls
 * `tf.variableGrads` on the module's parameters, which throws for none. This wrapper scales
 * the query by one seeded learnable scalar, so the kit runs every test on `dot` and its
 * gradient test shows the gradient reaches the query.
 */
class LearnedQueryScale implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly scale: tf.Variable;

  constructor(
    private readonly inner: LuongAttention,
    seed: number,
  ) {
    this.contextSize = inner.contextSize;
    this.params = new ParameterSet(seed);
    this.scale = this.params.add('queryScale', [1], uniform(2));
  }

  prepare(memory: Memory): AttentionCache {
    return this.inner.prepare(memory);
  }

  attend(query: tf.Tensor2D, cache: LuongCache): AttentionResult {
    return tidyTree(() => this.inner.attend(tf.mul(query, this.scale), cache));
  }

  attendAll(queries: tf.Tensor3D, cache: LuongCache) {
    return tidyTree(() => this.inner.attendAll(tf.mul(queries, this.scale), cache));
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
    this.inner.dispose();
  }
}
