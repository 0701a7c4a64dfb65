import {
  assertDtype,
  assertShape,
  type BuildContext,
  ConfigError,
  glorotUniform,
  type OutputContext,
  type OutputLayer,
  ParameterSet,
  parseOptions,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { outputSizes } from '../output-sizes.js';

const owner = 'pointer-generator output';

/** The `Memory.extras` name the source's extended-vocabulary ids travel under by default. */
export const EXTENDED_IDS = 'extendedIds';

/**
 * Smallest probability whose log is taken. Extended-vocabulary slots that no source word
 * fills have probability exactly 0; their log-probability is log(1e-30) ≈ −69, finite, so
 * masked sums and search arithmetic never meet −∞ · 0.
 */
export const PROBABILITY_FLOOR = 1e-30;

/** Options of {@link PointerGeneratorOutput}. */
export interface PointerGeneratorOutputOptions {
  /** Size D of the decoder features, e.g. [s_t; C_t; x_t]. */
  readonly inputSize: number;
  /** Target vocabulary size V. */
  readonly vocabSize: number;
  /**
   * K, the extended-vocabulary slots: a source's i-th distinct out-of-vocabulary word has
   * id V + i for i < K. Default 50.
   */
  readonly maxSourceOovs?: number;
  /**
   * Size of the linear layer in front of the vocabulary projection, P_vocab =
   * softmax(V′(V·f + b) + b′) as in See et al.; 0 projects f straight to V. Default 0.
   */
  readonly projectionSize?: number;
  /** Name of the `[B, S]` int32 extended-vocabulary source ids in `Memory.extras`. Default {@link EXTENDED_IDS}. */
  readonly sourceIds?: string;
  /** Id that source ids outside [0, V + K) are read as. Default 3 (`<unk>`). */
  readonly unk?: number;
}

const shape = {
  maxSourceOovs: z
    .int()
    .positive()
    .default(50)
    .describe(
      "K, the extended-vocabulary slots: a source's i-th distinct OOV word has id V + i for i < K",
    ),
  projectionSize: z
    .int()
    .min(0)
    .default(0)
    .describe(
      'Size of the linear layer in front of the vocabulary projection; 0 projects straight to V',
    ),
  sourceIds: z
    .string()
    .min(1)
    .default(EXTENDED_IDS)
    .describe('Name of the [B, S] int32 extended-vocabulary source ids in Memory.extras'),
  unk: z.int().min(0).default(3).describe('Id that source ids outside [0, V + K) are read as'),
};

/** The options `{ name: 'pointer-generator', … }` (output) takes, with their defaults. */
export const pointerGeneratorOutputOptions = z.strictObject(shape);

/** The constructor's options: the sizes from the model besides the config's; `unk` below V. */
const constructorOptions = z
  .strictObject({
    inputSize: z.int().positive().describe('Size D of the decoder features'),
    vocabSize: z.int().positive().describe('Target vocabulary size V'),
    ...shape,
  })
  .superRefine((o, ctx) => {
    // No path: 'unk' may be the default, so the message names it and its value.
    if (o.unk >= o.vocabSize) {
      ctx.addIssue({
        code: 'custom',
        message: `'unk' (${o.unk}) must be an id below the target vocabulary size ${o.vocabSize}`,
      });
    }
  });

/**
 * The copy-aware output layer of the pointer-generator network (See et al. 2017), over the
 * extended vocabulary of V + K ids:
 *
 *   P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j: x_j = w} a_j,
 *   P_vocab = softmax(W·f + b),  p_gen = σ(w_gen·f + b_gen),
 *
 * where f are the decoder features, a the attention weights from the output context and x
 * the source's extended ids from `memory.extras`. A word outside the vocabulary gets
 * probability only by being copied. It returns log P and no `logits`, since the mixture is
 * not a softmax. The copy sum is one scatter-add (`unsortedSegmentSum`) over all rows and
 * steps, so its cost grows with B·T·S, never with a one-hot `[S, V + K]` matrix.
 */
export class PointerGeneratorOutput implements OutputLayer {
  /** V + K. */
  readonly vocabSize: number;
  readonly baseVocabSize: number;
  readonly maxSourceOovs: number;
  readonly sourceIds: string;
  private readonly inputSize: number;
  private readonly unk: number;
  private readonly params: ParameterSet;
  private readonly projection?: { kernel: tf.Variable; bias: tf.Variable };
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;
  private readonly genKernel: tf.Variable;
  private readonly genBias: tf.Variable;

  constructor(options: PointerGeneratorOutputOptions, seed: number) {
    const o = parseOptions(owner, constructorOptions, options);
    this.inputSize = o.inputSize;
    this.baseVocabSize = o.vocabSize;
    this.maxSourceOovs = o.maxSourceOovs;
    this.sourceIds = o.sourceIds;
    this.unk = o.unk;
    this.vocabSize = this.baseVocabSize + this.maxSourceOovs;
    this.params = new ParameterSet(seed);
    let width = this.inputSize;
    if (o.projectionSize > 0) {
      this.projection = {
        kernel: this.params.add('projection', [width, o.projectionSize], glorotUniform()),
        bias: this.params.add('projectionBias', [o.projectionSize], zeros()),
      };
      width = o.projectionSize;
    }
    this.kernel = this.params.add('kernel', [width, this.baseVocabSize], glorotUniform());
    this.bias = this.params.add('bias', [this.baseVocabSize], zeros());
    this.genKernel = this.params.add('genKernel', [this.inputSize, 1], glorotUniform());
    this.genBias = this.params.add('genBias', [1], zeros());
  }

  /** `[B, D]` with `[B, S]` weights, or `[B, T, D]` with `[B, T, S]`: log P over V + K ids. */
  logProbs(features: tf.Tensor, context: OutputContext): tf.Tensor {
    const { weights, ids } = this.inputs(features, context);
    return tf.tidy(() => {
      const lead = features.shape.slice(0, -1);
      const [b, s] = ids.shape;
      const n = lead.reduce((x, y) => x * y, 1);
      const w = this.vocabSize;
      const f = features.reshape([n, this.inputSize]) as tf.Tensor2D;
      const pGen = tf.sigmoid(tf.add(tf.matMul(f, this.genKernel), this.genBias)); // [N, 1]
      const generated = tf.pad(tf.mul(tf.softmax(this.vocabLogits(f)), pGen), [
        [0, 0],
        [0, this.maxSourceOovs],
      ]);
      // Row r of the N rows copies from source row r / (N / B); its segment ids are offset
      // by r·(V + K), so one scatter-add builds every row's copy distribution at once.
      let x = tf.where(tf.less(ids, w), ids, tf.fill([b, s], this.unk, 'int32'));
      if (n !== b) x = tf.tile(x.expandDims(1), [1, n / b, 1]).reshape([n, s]);
      const segments = tf.add(x, tf.range(0, n * w, w, 'int32').expandDims(1));
      const copied = tf.mul(weights.reshape([n, s]), tf.sub(1, pGen));
      const copy = tf.unsortedSegmentSum(copied.reshape([-1]), segments.reshape([-1]), n * w);
      const p = tf.add(generated, copy.reshape([n, w]));
      return tf.log(tf.maximum(p, PROBABILITY_FLOOR)).reshape([...lead, w]);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** `[N, V]` scores of P_vocab. */
  private vocabLogits(f: tf.Tensor2D): tf.Tensor2D {
    const h = this.projection
      ? tf.add(tf.matMul(f, this.projection.kernel), this.projection.bias)
      : f;
    return tf.add(tf.matMul(h as tf.Tensor2D, this.kernel), this.bias);
  }

  /** The attention weights and extended source ids, checked against the features. */
  private inputs(
    features: tf.Tensor,
    context: OutputContext,
  ): { weights: tf.Tensor; ids: tf.Tensor2D } {
    const { weights } = context;
    if (!weights) {
      throw new ConfigError(
        `${owner}: no attention weights to copy with; pair it with a decoder that attends (e.g. 'pointer-generator')`,
      );
    }
    const ids = context.memory.extras?.[this.sourceIds];
    if (!(ids instanceof tf.Tensor)) {
      throw new ConfigError(
        `${owner}: memory.extras has no '${this.sourceIds}' tensor; give the batch (or generate) the source's extended-vocabulary ids as inputs.${this.sourceIds}`,
      );
    }
    const lead = features.shape.slice(0, -1);
    const steps = lead.length === 2 ? ['T'] : [];
    assertShape(
      `${owner} features`,
      features,
      [...lead.map(() => null), this.inputSize],
      ['B', ...steps, 'D'],
    );
    const s = weights.shape[weights.rank - 1]!;
    assertShape(`${owner} attention weights`, weights, [...lead, null], ['B', ...steps, 'S']);
    assertShape(`${owner} ${this.sourceIds}`, ids, [lead[0]!, s], ['B', 'S']);
    assertDtype(`${owner} ${this.sourceIds}`, ids, 'int32');
    return { weights, ids: ids as tf.Tensor2D };
  }
}

/**
 * Registry factory: `{ name: 'pointer-generator', maxSourceOovs?, projectionSize?,
 * sourceIds?, unk? }`; D and V come from the model.
 */
export function createPointerGeneratorOutput(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): PointerGeneratorOutput {
  const o = parseOptions(owner, pointerGeneratorOutputOptions, options, context.path);
  const sizes = outputSizes(owner, context);
  // Rules against the model's sizes fail here, naming the option by its path.
  const checked = parseOptions(owner, constructorOptions, { ...o, ...sizes }, context.path);
  return new PointerGeneratorOutput(checked, context.seed);
}
