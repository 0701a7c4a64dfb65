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
import { projectStates } from '../alignment.js';
import { decoderSizes } from '../sizes.js';
import { type DotCache, dotAll, dotStep } from './dot-score.js';

/** Options of {@link ScaledDotAttention}. */
export interface ScaledDotAttentionOptions {
  /** Size H of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size Q of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size d that queries and keys are projected to. Default 64. */
  readonly size?: number;
}

/** The options `{ name: 'scaled-dot', … }` takes in a model config, with their defaults. */
export const scaledDotOptions = z.strictObject({
  size: z.int().positive().default(64).describe('Size d that queries and keys are projected to'),
});

const constructorOptions = scaledDotOptions.extend(decoderSizes);

/**
 * What {@link ScaledDotAttention} precomputes per source: `keys` are `[B, Q, S]`
 * (W_q k_j / √d)ᵀ with k_j = W_kᵀ h_j, everything of the score but the query.
 */
export type ScaledDotCache = DotCache;

/**
 * Scaled dot-product attention (Vaswani et al. 2017) for one query: q = W_qᵀ s and
 * k_j = W_kᵀ h_j, both of size d, e_j = q·k_j / √d, a = softmax(e) over real positions,
 * C = Σ_j a_j h_j (the values are the encoder states, so the context has their size).
 *
 * Since e_j = s · (W_q k_j / √d) is linear in the query, `prepare` folds W_q and 1/√d
 * into the keys once per source, and each step is a single matMul with the raw query.
 */
export class ScaledDotAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;
  private readonly keyKernel: tf.Variable;
  private readonly scale: number;

  constructor(options: ScaledDotAttentionOptions, seed: number) {
    const o = parseOptions('scaled-dot attention', constructorOptions, options);
    const { memorySize: m, querySize: q, size: d } = o;
    this.contextSize = m;
    this.scale = 1 / Math.sqrt(d);
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [q, d], glorotUniform());
    this.keyKernel = this.params.add('keyKernel', [m, d], glorotUniform());
  }

  prepare(memory: Memory): ScaledDotCache {
    return tidyTree(() => {
      const k = projectStates(memory.states, this.keyKernel as tf.Tensor2D);
      const folded = projectStates(k, tf.mul(tf.transpose(this.queryKernel), this.scale));
      return {
        keys: tf.transpose(folded, [0, 2, 1]),
        values: memory.states.clone(),
        bias: maskBias(memory.mask) as tf.Tensor2D,
      };
    });
  }

  attend(query: tf.Tensor2D, cache: ScaledDotCache): AttentionResult {
    return tidyTree(() => dotStep(query, cache));
  }

  attendAll(
    queries: tf.Tensor3D,
    cache: ScaledDotCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
    return tidyTree(() => dotAll(queries, cache));
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'scaled-dot', size? }`; sizes come from the decoder. */
export const createScaledDotAttention = attentionFactory(
  'scaled-dot attention',
  (options: ScaledDotAttentionOptions, seed) => new ScaledDotAttention(options, seed),
);
