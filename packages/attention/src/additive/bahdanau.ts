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
import { decoderSizes } from '../sizes.js';
import { type AdditiveCache, AdditiveScore } from './additive-score.js';

/** Options of {@link BahdanauAttention}. */
export interface BahdanauAttentionOptions {
  /** Size of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size A of the hidden layer of the score network. Default 128. */
  readonly size?: number;
  /**
   * Coverage (See et al. 2017): the score also sees w_c·c_j, the attention position j has
   * received so far, which discourages attending to it again. Default false.
   */
  readonly coverage?: boolean;
}

/** The options `{ name: 'bahdanau', … }` takes in a model config, with their defaults. */
export const bahdanauOptions = z.strictObject({
  size: z.int().positive().default(128).describe("Size A of the score network's hidden layer"),
  coverage: z.boolean().default(false).describe('Coverage (See et al. 2017)'),
});

const constructorOptions = bahdanauOptions.extend(decoderSizes);

/** What {@link BahdanauAttention} precomputes per source. */
export type BahdanauCache = AdditiveCache;

/** State of {@link BahdanauAttention} with coverage on. */
export interface BahdanauCoverageState {
  /**
   * `[B, S]` c = Σ of every alignment so far: after step t, c^{t+1} = c^t + a^t, the
   * coverage the next step scores with. Zeros before the first step.
   */
  readonly coverage: tf.Tensor2D;
  /**
   * `[B, S]` c^t, the coverage the step that returned this state scored with. With that
   * step's `weights` a^t it gives See et al.'s coverage loss Σ_j min(a^t_j, c^t_j). Absent
   * from the initial state.
   */
  readonly coverageBefore?: tf.Tensor2D;
}

/**
 * Additive attention (Bahdanau et al. 2015): e_j = vᵀ tanh(W_k h_j + W_q s), a = softmax(e)
 * over real positions, C = Σ_j a_j h_j. The keys W_k h_j are computed once per source in
 * {@link BahdanauAttention.prepare}, not at every step. With `coverage` (See et al. 2017)
 * the score adds w_c·c_j and the module becomes stateful: it then has `initialState` and
 * no `attendAll`.
 */
export class BahdanauAttention implements Attention {
  readonly contextSize: number;
  /** Zero coverage for every row; present only with `coverage` on. */
  readonly initialState?: (cache: BahdanauCache) => BahdanauCoverageState;
  /** Every step at once; present only with `coverage` off, since coverage is recurrent. */
  readonly attendAll?: (
    queries: tf.Tensor3D,
    cache: BahdanauCache,
  ) => { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D };
  private readonly params: ParameterSet;
  private readonly score: AdditiveScore;
  private readonly coverageVector?: tf.Variable;

  constructor(options: BahdanauAttentionOptions, seed: number) {
    const o = parseOptions('bahdanau attention', constructorOptions, options);
    const { memorySize: m, querySize: q, size: a } = o;
    this.contextSize = m;
    this.params = new ParameterSet(seed);
    this.score = new AdditiveScore(this.params, m, q, a);
    if (o.coverage) {
      // [1, A]: one input feature (c_j) fanning out to the score network's A units.
      this.coverageVector = this.params.add('coverageVector', [1, a], glorotUniform());
      this.initialState = (cache) => tidyTree(() => ({ coverage: tf.zerosLike(cache.bias) }));
    } else {
      this.attendAll = (queries, cache) => tidyTree(() => this.score.all(queries, cache));
    }
  }

  prepare(memory: Memory): BahdanauCache {
    return tidyTree(() => ({
      keys: this.score.keys(memory.states),
      values: memory.states.clone(),
      bias: maskBias(memory.mask) as tf.Tensor2D,
    }));
  }

  /** With coverage on, a missing `state` counts as the initial (zero) coverage. */
  attend(query: tf.Tensor2D, cache: BahdanauCache, state?: BahdanauCoverageState): AttentionResult {
    return tidyTree(() => {
      const w = this.coverageVector;
      if (!w) return this.score.step(query, cache);
      const [b, s] = cache.bias.shape;
      const c = state?.coverage ?? tf.zerosLike(cache.bias);
      const { weights, context } = this.score.step(
        query,
        cache,
        tf.mul(c.reshape([b, s, 1]), w) as tf.Tensor3D,
      );
      // Cloned, so disposing this state never frees a tensor the caller's old state holds.
      const next: BahdanauCoverageState = {
        coverage: tf.add(c, weights),
        coverageBefore: c.clone(),
      };
      return { context, weights, state: next };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'bahdanau', size?, coverage? }`; sizes come from the decoder. */
export const createBahdanauAttention = attentionFactory(
  'bahdanau attention',
  (options: BahdanauAttentionOptions, seed) => new BahdanauAttention(options, seed),
);
