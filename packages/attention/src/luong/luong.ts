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
import { AdditiveScore } from '../additive/additive-score.js';
import { projectStates } from '../alignment.js';
import { dotAll, dotStep } from '../dot-product/dot-score.js';
import { decoderSizes } from '../sizes.js';

/** Luong et al.'s score functions. */
export type LuongScore = 'dot' | 'general' | 'concat';

/** Options of {@link LuongAttention}. */
export interface LuongAttentionOptions {
  /** Size H of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size Q of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /**
   * `dot`: h_tᵀ h̄_s (needs Q = H); `general`: h_tᵀ W_a h̄_s; `concat`:
   * v_aᵀ tanh(W_a [h_t; h̄_s]). Default `general`, the best global score in the paper.
   */
  readonly score?: LuongScore;
  /** Hidden size A of the `concat` score network (only there). Default 128. */
  readonly size?: number;
}

/** The options `{ name: 'luong', … }` takes in a model config, with their defaults. */
export const luongOptions = z.strictObject(luongShape()).superRefine(sizeOnlyWithConcat);

const constructorOptions = z
  .strictObject({ ...luongShape(), ...decoderSizes })
  .superRefine((o, ctx) => {
    sizeOnlyWithConcat(o, ctx);
    if (o.score === 'dot' && o.querySize !== o.memorySize) {
      ctx.addIssue({
        code: 'custom',
        message: `score 'dot' needs the query size (${o.querySize}) to equal the memory size (${o.memorySize}); use score 'general' or 'concat'`,
      });
    }
  });

function luongShape() {
  return {
    score: z.enum(['dot', 'general', 'concat']).default('general').describe('The score function'),
    size: z
      .int()
      .positive()
      .optional()
      .describe("Hidden size A of the 'concat' score. Default 128"),
  };
}

/** `size` belongs to the `concat` score's network alone. */
function sizeOnlyWithConcat(
  o: { score: LuongScore; size?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  if (o.size !== undefined && o.score !== 'concat') {
    ctx.addIssue({
      code: 'custom',
      path: ['size'],
      message: `applies only to score 'concat', not '${o.score}'`,
    });
  }
}

/** What {@link LuongAttention} precomputes per source. */
export interface LuongCache {
  /**
   * `dot`: `[B, H, S]` h̄_sᵀ; `general`: `[B, Q, S]` (W_a h̄_s)ᵀ, transposed once so each
   * step is one untransposed matMul; `concat`: `[B, S, A]` the memory half of W_a [h_t; h̄_s].
   */
  readonly keys: tf.Tensor3D;
  /** `[B, S, H]` the encoder states. */
  readonly values: tf.Tensor3D;
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
}

/**
 * Global attention of Luong et al. (2015) with the `dot`, `general` or `concat` score,
 * a = softmax(score(h_t, h̄_s)) over real positions, C = Σ_s a_s h̄_s. Whatever does not
 * depend on the query (W_a h̄_s, the memory half of `concat`) is computed once per source.
 * The attentional hidden state h̃_t = tanh(W_c [C; h_t]) is the decoder's business.
 */
export class LuongAttention implements Attention {
  readonly contextSize: number;
  readonly score: LuongScore;
  private readonly params: ParameterSet;
  /** `general`: W_a stored as `[H, Q]`, so the keys are h̄_s · W_a with no transpose. */
  private readonly kernel?: tf.Variable;
  private readonly concat?: AdditiveScore;

  constructor(options: LuongAttentionOptions, seed: number) {
    const o = parseOptions('luong attention', constructorOptions, options);
    const { memorySize: m, querySize: q } = o;
    this.score = o.score;
    const a = o.size ?? 128;
    this.contextSize = m;
    this.params = new ParameterSet(seed);
    if (this.score === 'general') this.kernel = this.params.add('kernel', [m, q], glorotUniform());
    if (this.score === 'concat') this.concat = new AdditiveScore(this.params, m, q, a);
  }

  prepare(memory: Memory): LuongCache {
    return tidyTree(() => {
      const states = memory.states;
      let keys: tf.Tensor3D;
      if (this.concat) keys = this.concat.keys(states);
      else {
        const projected = this.kernel ? projectStates(states, this.kernel as tf.Tensor2D) : states;
        keys = tf.transpose(projected, [0, 2, 1]);
      }
      return { keys, values: states.clone(), bias: maskBias(memory.mask) as tf.Tensor2D };
    });
  }

  attend(query: tf.Tensor2D, cache: LuongCache): AttentionResult {
    return tidyTree(() => {
      return this.concat ? this.concat.step(query, cache) : dotStep(query, cache);
    });
  }

  attendAll(
    queries: tf.Tensor3D,
    cache: LuongCache,
  ): { readonly context: tf.Tensor3D; readonly weights: tf.Tensor3D } {
    return tidyTree(() => {
      return this.concat ? this.concat.all(queries, cache) : dotAll(queries, cache);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'luong', score?, size? }`; sizes come from the decoder. */
export const createLuongAttention = attentionFactory(
  'luong attention',
  (options: LuongAttentionOptions, seed) => new LuongAttention(options, seed),
);
