import {
  assertShape,
  type BuildContext,
  ConfigError,
  glorotUniform,
  type OutputContext,
  type OutputLayer,
  ParameterSet,
  parseOptions,
  ShapeError,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { outputSizes } from '../output-sizes.js';

const owner = 'pointer output';

/**
 * Smallest probability whose log is taken: ids that can never be emitted (`<pad>`, `<bos>`,
 * padded or absent input positions) get log(1e-30) ≈ −69, finite, so masked sums and
 * search arithmetic never meet −∞ · 0.
 */
export const POINTER_FLOOR = 1e-30;

/** Options of {@link PointerOutput}. */
export interface PointerOutputOptions {
  /** Size D of the decoder features. */
  readonly inputSize: number;
  /** Size of the target vocabulary: `firstPosition` + the most input positions P. */
  readonly vocabSize: number;
  /** Target id of input position 0; position j is `firstPosition + j`. Default 4. */
  readonly firstPosition?: number;
  /** Target id of `<eos>`, which must lie below `firstPosition`. Default 2. */
  readonly eos?: number;
}

const shape = {
  firstPosition: z
    .int()
    .positive()
    .default(4)
    .describe('Target id of input position 0; position j is firstPosition + j'),
  eos: z.int().min(0).default(2).describe('Target id of <eos>, below firstPosition'),
};

/** `<eos>` is a special id, below the first position. */
function eosBelowFirstPosition(
  o: { readonly firstPosition: number; readonly eos: number },
  ctx: z.RefinementCtx,
): void {
  // No path: either may be the default, so the message names both with their values.
  if (o.eos >= o.firstPosition) {
    ctx.addIssue({
      code: 'custom',
      message: `'eos' (${o.eos}) must be an id below 'firstPosition' (${o.firstPosition})`,
    });
  }
}

/** The options `{ name: 'pointer', … }` takes in a model config, with their defaults. */
export const pointerOutputOptions = z.strictObject(shape).superRefine(eosBelowFirstPosition);

/** The constructor's options: the sizes from the model besides the config's. */
const constructorOptions = z
  .strictObject({
    inputSize: z.int().positive().describe('Size D of the decoder features'),
    vocabSize: z
      .int()
      .positive()
      .describe('Size of the target vocabulary: firstPosition + the most input positions P'),
    ...shape,
  })
  .superRefine((o, ctx) => {
    eosBelowFirstPosition(o, ctx);
    if (o.firstPosition >= o.vocabSize) {
      ctx.addIssue({
        code: 'custom',
        message: `'firstPosition' (${o.firstPosition}) must be below the vocabulary size ${o.vocabSize}, to leave room for positions`,
      });
    }
  });

/**
 * The output layer of a pointer network (Vinyals et al. 2015): its distribution is the
 * decoder's attention over the input positions, plus an `<eos>` position,
 *
 *   P(<eos>) = p,  P(position j) = (1 − p) · a_j,  p = σ(w·f + b),
 *
 * where a are the attention weights from the output context, masked again with the
 * memory's mask, and f the decoder features. Target ids `firstPosition + j` name input
 * position j, so any task can point at its input positions (sentences to extract, tokens
 * to reorder) with any attentional decoder; ids of positions beyond the input and the
 * other specials get probability 0 (log {@link POINTER_FLOOR}). Returns log P and no
 * `logits`, since the mixture is not a softmax.
 */
export class PointerOutput implements OutputLayer {
  readonly vocabSize: number;
  readonly firstPosition: number;
  readonly eos: number;
  /** P, the most input positions a target can name. */
  readonly positions: number;
  private readonly inputSize: number;
  private readonly params: ParameterSet;
  private readonly stopKernel: tf.Variable;
  private readonly stopBias: tf.Variable;

  constructor(options: PointerOutputOptions, seed: number) {
    const o = parseOptions(owner, constructorOptions, options);
    this.inputSize = o.inputSize;
    this.vocabSize = o.vocabSize;
    this.firstPosition = o.firstPosition;
    this.eos = o.eos;
    this.positions = this.vocabSize - this.firstPosition;
    this.params = new ParameterSet(seed);
    this.stopKernel = this.params.add('stopKernel', [this.inputSize, 1], glorotUniform());
    this.stopBias = this.params.add('stopBias', [1], zeros());
  }

  /** `[B, D]` with `[B, S]` weights, or `[B, T, D]` with `[B, T, S]`: log P over the V ids. */
  logProbs(features: tf.Tensor, context: OutputContext): tf.Tensor {
    const weights = this.weights(features, context);
    return tf.tidy(() => {
      const lead = features.shape.slice(0, -1);
      const n = lead.reduce((x, y) => x * y, 1);
      const s = weights.shape[weights.rank - 1]!;
      const f = features.reshape([n, this.inputSize]) as tf.Tensor2D;
      const z = tf.add(tf.matMul(f, this.stopKernel), this.stopBias); // [N, 1]
      // Padded positions get exactly the floor, even from an attention that does not mask.
      let mask = context.memory.mask as tf.Tensor;
      if (lead.length === 2) mask = tf.tile(mask.expandDims(1), [1, lead[1]!, 1]);
      const real = tf.greater(mask.reshape([n, s]), 0);
      const floor = Math.log(POINTER_FLOOR);
      const picks = tf.where(
        real,
        tf.add(tf.log(tf.maximum(weights.reshape([n, s]), POINTER_FLOOR)), logSigmoid(tf.neg(z))),
        tf.fill([n, s], floor),
      );
      const stop = logSigmoid(z);
      const specials = tf.add(
        tf.mul(tf.oneHot(tf.fill([n], this.eos, 'int32'), this.firstPosition), tf.sub(stop, floor)),
        floor,
      );
      const beyond = tf.fill([n, this.positions - s], floor);
      return tf.concat([specials, picks, beyond], 1).reshape([...lead, this.vocabSize]);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** The attention weights, checked against the features, the memory and P. */
  private weights(features: tf.Tensor, context: OutputContext): tf.Tensor {
    const { weights } = context;
    if (!weights) {
      throw new ConfigError(
        `${owner}: no attention weights to point with; pair it with a decoder that attends (e.g. 'attentional')`,
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
    const s = context.memory.mask.shape[1];
    assertShape(`${owner} attention weights`, weights, [...lead, s], ['B', ...steps, 'S']);
    if (s > this.positions) {
      throw new ShapeError(
        `${owner} input`,
        `at most ${this.positions} positions (vocabSize − firstPosition)`,
        `${s}`,
      );
    }
    return weights;
  }
}

/** log σ(z) = min(z, 0) − log(1 + e^−|z|), stable, from kernels every backend has. */
function logSigmoid(z: tf.Tensor): tf.Tensor {
  return tf.sub(tf.minimum(z, 0), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(z))))));
}

/**
 * Registry factory: `{ name: 'pointer', firstPosition?, eos? }`; D and V (the first position
 * id plus the most input positions) come from the model.
 */
export function createPointerOutput(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): PointerOutput {
  const o = parseOptions(owner, pointerOutputOptions, options, context.path);
  const sizes = outputSizes(owner, context);
  // Rules against the model's sizes fail here, naming the option by its path.
  const checked = parseOptions(owner, constructorOptions, { ...o, ...sizes }, context.path);
  return new PointerOutput(checked, context.seed);
}
