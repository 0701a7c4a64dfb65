import {
  type Attention,
  type AttentionResult,
  attentionFactory,
  glorotUniform,
  type Memory,
  maskBias,
  ParameterSet,
  parseOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/** The options `{ name: 'bilinear', … }` takes in a model config, with their defaults. */
export const bilinearOptions = z.strictObject({
  scale: z.boolean().default(true).describe('Divide scores by √Q, as scaled dot-product does'),
});

/** What the constructor takes: the options plus the sizes the decoder fills in. */
const constructorOptions = bilinearOptions.extend({
  memorySize: z.int().positive(),
  querySize: z.int().positive(),
});

/** What {@link BilinearAttention} computes once per source. */
export interface BilinearCache {
  /** `[B, Q, S]` (W h_j)ᵀ, scaled: everything of the score but the query. */
  readonly keys: tf.Tensor3D;
  /** `[B, S, H]` the encoder states, averaged into the context. */
  readonly values: tf.Tensor3D;
  /** `[B, S]` 0 at real positions, a large negative number at padding. */
  readonly bias: tf.Tensor2D;
}

/**
 * Bilinear attention: e_j = sᵀ W h_j (÷ √Q), a = softmax(e) over real positions,
 * C = Σ_j a_j h_j. W h_j does not depend on the query, so `prepare` computes it once.
 */
export class BilinearAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly kernel: tf.Variable;
  private readonly scale: number;

  constructor(options: z.input<typeof constructorOptions>, seed: number) {
    const o = parseOptions('bilinear attention', constructorOptions, options);
    this.contextSize = o.memorySize;
    this.scale = o.scale ? 1 / Math.sqrt(o.querySize) : 1;
    // Parameters are named by path (`decoder.attention.kernel`) and seeded from `seed`.
    this.params = new ParameterSet(seed);
    this.kernel = this.params.add('kernel', [o.memorySize, o.querySize], glorotUniform());
  }

  prepare(memory: Memory): BilinearCache {
    // tidyTree keeps what is returned and frees every intermediate.
    return tidyTree(() => {
      const [b, s, h] = memory.states.shape;
      const projected = tf.matMul(memory.states.reshape([b * s, h]), this.kernel);
      const keys = tf.mul(projected, this.scale).reshape([b, s, -1]).transpose([0, 2, 1]);
      return {
        keys: keys as tf.Tensor3D,
        values: memory.states.clone(),
        bias: maskBias(memory.mask) as tf.Tensor2D,
      };
    });
  }

  attend(query: tf.Tensor2D, cache: BilinearCache): AttentionResult {
    return tidyTree(() => {
      const [b, q] = query.shape;
      // [B, 1, Q] × [B, Q, S] → [B, S]; the bias sends padded positions to exactly 0.
      const scores = tf.matMul(query.reshape([b, 1, q]), cache.keys).squeeze([1]);
      const weights = tf.softmax(tf.add(scores, cache.bias)) as tf.Tensor2D;
      const s = weights.shape[1];
      const context = tf.matMul(weights.reshape([b, 1, s]), cache.values).squeeze([1]);
      return { context: context as tf.Tensor2D, weights };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: the sizes come from the decoder that builds the attention. */
export const createBilinearAttention = attentionFactory(
  'bilinear attention',
  (options: z.input<typeof constructorOptions>, seed) => new BilinearAttention(options, seed),
);
