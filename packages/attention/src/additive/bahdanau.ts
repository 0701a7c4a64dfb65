import {
  type Attention,
  type AttentionResult,
  type BuildContext,
  ConfigError,
  glorotUniform,
  knownOptions,
  type Memory,
  maskBias,
  ParameterSet,
  positiveInt,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link BahdanauAttention}. */
export interface BahdanauAttentionOptions {
  /** Size of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size A of the hidden layer of the score network. Default 128. */
  readonly size?: number;
}

/** What {@link BahdanauAttention} precomputes per source. */
export interface BahdanauCache {
  /** `[B, S, A]` projected keys h_j·W_k, once per sequence. */
  readonly keys: tf.Tensor3D;
  /** `[B, S, H]` the encoder states. */
  readonly values: tf.Tensor3D;
  /** `[B, S]` 0 at real positions, −1e9 at padding. */
  readonly bias: tf.Tensor2D;
}

/**
 * Additive attention (Bahdanau et al. 2015): e_j = vᵀ tanh(W_k h_j + W_q s), a = softmax(e)
 * over real positions, C = Σ_j a_j h_j. The keys W_k h_j are computed once per source in
 * {@link BahdanauAttention.prepare}, not at every step.
 */
export class BahdanauAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly keyKernel: tf.Variable;
  private readonly queryKernel: tf.Variable;
  private readonly scoreVector: tf.Variable;

  constructor(options: BahdanauAttentionOptions, seed: number) {
    const m = positiveInt('bahdanau attention', 'memorySize', options.memorySize);
    const q = positiveInt('bahdanau attention', 'querySize', options.querySize);
    const a = positiveInt('bahdanau attention', 'size', options.size ?? 128);
    this.contextSize = m;
    this.params = new ParameterSet(seed);
    this.keyKernel = this.params.add('keyKernel', [m, a], glorotUniform());
    this.queryKernel = this.params.add('queryKernel', [q, a], glorotUniform());
    this.scoreVector = this.params.add('scoreVector', [a, 1], glorotUniform());
  }

  prepare(memory: Memory): BahdanauCache {
    return tidyTree(() => {
      const [b, s, h] = memory.states.shape;
      const a = this.keyKernel.shape[1]!;
      const keys = tf
        .matMul(memory.states.reshape([b * s, h]), this.keyKernel)
        .reshape([b, s, a]) as tf.Tensor3D;
      return { keys, values: memory.states.clone(), bias: maskBias(memory.mask) as tf.Tensor2D };
    });
  }

  attend(query: tf.Tensor2D, cache: BahdanauCache): AttentionResult {
    return tf.tidy(() => {
      const [b, s, a] = cache.keys.shape;
      const q = tf.matMul(query, this.queryKernel).reshape([b, 1, a]);
      const hidden = tf.tanh(tf.add(cache.keys, q)).reshape([b * s, a]);
      const scores = tf.add(tf.matMul(hidden, this.scoreVector).reshape([b, s]), cache.bias);
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = tf
        .matMul(weights.reshape([b, 1, s]), cache.values)
        .reshape([b, -1]) as tf.Tensor2D;
      return { context, weights };
    });
  }

  attendAll(
    queries: tf.Tensor3D,
    cache: BahdanauCache,
  ): { context: tf.Tensor3D; weights: tf.Tensor3D } {
    return tf.tidy(() => {
      const [b, s, a] = cache.keys.shape;
      const t = queries.shape[1];
      const q = tf.matMul(queries.reshape([b * t, -1]), this.queryKernel).reshape([b, t, 1, a]);
      const hidden = tf.tanh(tf.add(cache.keys.reshape([b, 1, s, a]), q)).reshape([b * t * s, a]);
      const scores = tf.add(
        tf.matMul(hidden, this.scoreVector).reshape([b, t, s]),
        cache.bias.reshape([b, 1, s]),
      );
      const weights = tf.softmax(scores) as tf.Tensor3D;
      return { context: tf.matMul(weights, cache.values) as tf.Tensor3D, weights };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'bahdanau', size? }`; sizes come from the decoder. */
export function createBahdanauAttention(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): BahdanauAttention {
  knownOptions('bahdanau attention', options, ['size']);
  const { memory, query } = context.sizes;
  if (memory === undefined || query === undefined) {
    throw new ConfigError(
      `${context.path}: bahdanau attention needs the memory and query sizes from its decoder`,
    );
  }
  return new BahdanauAttention(
    { ...(options as { size?: number }), memorySize: memory, querySize: query },
    context.seed,
  );
}
