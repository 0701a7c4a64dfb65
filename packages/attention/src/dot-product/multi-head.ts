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
import { align, projectStates } from '../alignment.js';
import { decoderSizes } from '../sizes.js';

/** Options of {@link MultiHeadAttention}. */
export interface MultiHeadAttentionOptions {
  /** Size H of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size Q of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size D of the concatenated heads and of the context; a multiple of `heads`. Default 128. */
  readonly size?: number;
  /** Number h of heads, each of size d = D / h. Default 4. */
  readonly heads?: number;
}

const multiHeadShape = {
  size: z
    .int()
    .positive()
    .default(128)
    .describe('Size D of the concatenated heads; a multiple of heads'),
  heads: z.int().positive().default(4).describe('Number h of heads'),
};

/** Every head gets size / heads units. */
function headsDivideSize(o: { size: number; heads: number }, ctx: z.RefinementCtx): void {
  if (o.size % o.heads !== 0) {
    ctx.addIssue({
      code: 'custom',
      message: `'size' (${o.size}) must be a multiple of 'heads' (${o.heads}), so every head gets size / heads units`,
    });
  }
}

/** The options `{ name: 'multi-head', … }` takes in a model config, with their defaults. */
export const multiHeadOptions = z.strictObject(multiHeadShape).superRefine(headsDivideSize);

const constructorOptions = z
  .strictObject({ ...multiHeadShape, ...decoderSizes })
  .superRefine(headsDivideSize);

/** What {@link MultiHeadAttention} precomputes per source. */
export interface MultiHeadCache {
  /** `[B, h, d, S]` per-head keys (W_k^i h_j / √d)ᵀ, once per sequence. */
  readonly keys: tf.Tensor4D;
  /** `[B, h, S, d]` per-head values W_v^i h_j, once per sequence. */
  readonly values: tf.Tensor4D;
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
}

/**
 * Multi-head attention (Vaswani et al. 2017) for one query: each head i projects the query,
 * keys and values to d = D / h, attends by scaled dot product, and the heads' contexts are
 * concatenated and projected by W_o, C = [C_1; …; C_h] W_o of size D. Keys and values are
 * projected once per source.
 *
 * `weights` is the mean of the heads' alignments: still a distribution per row, exactly 0
 * on padding, and what a heat map or a pointer should read. Single heads are not exposed.
 */
export class MultiHeadAttention implements Attention {
  readonly contextSize: number;
  readonly heads: number;
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;
  private readonly keyKernel: tf.Variable;
  private readonly valueKernel: tf.Variable;
  private readonly outputKernel: tf.Variable;

  constructor(options: MultiHeadAttentionOptions, seed: number) {
    const o = parseOptions('multi-head attention', constructorOptions, options);
    const { memorySize: m, querySize: q, size, heads: h } = o;
    this.contextSize = size;
    this.heads = h;
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [q, size], glorotUniform());
    this.keyKernel = this.params.add('keyKernel', [m, size], glorotUniform());
    this.valueKernel = this.params.add('valueKernel', [m, size], glorotUniform());
    this.outputKernel = this.params.add('outputKernel', [size, size], glorotUniform());
  }

  prepare(memory: Memory): MultiHeadCache {
    return tidyTree(() => {
      const [b, s] = memory.mask.shape;
      const [h, d] = [this.heads, this.contextSize / this.heads];
      const split = (kernel: tf.Variable) =>
        projectStates(memory.states, kernel as tf.Tensor2D).reshape([b, s, h, d]) as tf.Tensor4D;
      return {
        keys: tf.transpose(tf.mul(split(this.keyKernel), 1 / Math.sqrt(d)), [0, 2, 3, 1]),
        values: tf.transpose(split(this.valueKernel), [0, 2, 1, 3]),
        bias: maskBias(memory.mask) as tf.Tensor2D,
      };
    });
  }

  attend(query: tf.Tensor2D, cache: MultiHeadCache): AttentionResult {
    return tidyTree(() => {
      const [b, h, d] = cache.keys.shape;
      // [B, D] → [B, h, 1, d] is a free reshape: head i owns units i·d … (i+1)·d − 1.
      const q = tf.matMul(query, this.queryKernel).reshape([b, h, 1, d]);
      const heads = align(tf.matMul(q, cache.keys), cache.bias, cache.values);
      const concat = heads.context.reshape([b, h * d]);
      return {
        context: tf.matMul(concat, this.outputKernel) as tf.Tensor2D,
        // Axis 2 is the single query, so averaging it too lands on [B, S] without a reshape.
        weights: tf.mean(heads.weights, [1, 2]) as tf.Tensor2D,
      };
    });
  }

  attendAll(
    queries: tf.Tensor3D,
    cache: MultiHeadCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
    return tidyTree(() => {
      const [b, h, d] = cache.keys.shape;
      const t = queries.shape[1];
      const q = tf
        .matMul(queries.reshape([b * t, -1]), this.queryKernel)
        .reshape([b, t, h, d])
        .transpose([0, 2, 1, 3]);
      const heads = align(tf.matMul(q, cache.keys), cache.bias, cache.values);
      const concat = heads.context.transpose([0, 2, 1, 3]).reshape([b * t, h * d]);
      return {
        context: tf.matMul(concat, this.outputKernel).reshape([b, t, -1]) as tf.Tensor3D,
        weights: tf.mean(heads.weights, 1) as tf.Tensor3D,
      };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'multi-head', size?, heads? }`; sizes come from the decoder. */
export const createMultiHeadAttention = attentionFactory(
  'multi-head attention',
  (options: MultiHeadAttentionOptions, seed) => new MultiHeadAttention(options, seed),
);
