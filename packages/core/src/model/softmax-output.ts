import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Decoder } from '../contracts/decoder.js';
import type { OutputContext, OutputLayer } from '../contracts/output.js';
import { ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { glorotUniform, zeros } from '../module/initializers.js';
import { ParameterSet } from '../module/parameters.js';

/** Options of {@link SoftmaxOutput}. */
export interface SoftmaxOutputOptions {
  /** Features per position, D. */
  readonly inputSize: number;
  readonly vocabSize: number;
  /**
   * Share the decoder's `[V, E]` target embedding as the projection (Press & Wolf 2017).
   * When D ≠ E a `[D, E]` projection is learned in front of it.
   */
  readonly tiedEmbedding?: tf.Variable;
}

/** The options `{ name: 'softmax', … }` takes in a model config, with their defaults. */
export const softmaxOutputOptions = z.strictObject({
  tie: z
    .boolean()
    .default(false)
    .describe("Share the decoder's target embedding as the projection (Press & Wolf 2017)"),
});

/** {@link SoftmaxOutputOptions} as a zod schema. */
const constructorOptions = z.strictObject({
  inputSize: z.int().positive().describe('Features per position, D'),
  vocabSize: z.int().positive().describe('Target vocabulary size V'),
  tiedEmbedding: z
    .custom<tf.Variable>(isVariable, 'expected a tf.Variable')
    .optional()
    .describe('The decoder target embedding [V, E] to share'),
});

/**
 * The standard output layer: log softmax(W·o + b) over the target vocabulary. Applies to
 * all T steps of a teacher-forced batch in one matMul.
 */
export class SoftmaxOutput implements OutputLayer {
  readonly vocabSize: number;
  private readonly params: ParameterSet;
  private readonly kernel?: tf.Variable;
  private readonly toEmbedding?: tf.Variable;
  private readonly bias: tf.Variable;
  private readonly tied?: tf.Variable;
  private readonly inputSize: number;

  constructor(options: SoftmaxOutputOptions, seed: number) {
    const o = parseOptions('softmax output', constructorOptions, options);
    this.inputSize = o.inputSize;
    this.vocabSize = o.vocabSize;
    this.params = new ParameterSet(seed);
    this.tied = o.tiedEmbedding;
    if (this.tied) {
      const [v, e] = this.tied.shape as [number, number];
      if (v !== this.vocabSize) {
        throw new ConfigError(
          `softmax output: tied embedding has ${v} rows, expected vocabSize ${this.vocabSize}`,
        );
      }
      if (e !== this.inputSize) {
        this.toEmbedding = this.params.add('projection', [this.inputSize, e], glorotUniform());
      }
    } else {
      this.kernel = this.params.add('kernel', [this.inputSize, this.vocabSize], glorotUniform());
    }
    this.bias = this.params.add('bias', [this.vocabSize], zeros());
  }

  logProbs(features: tf.Tensor, context: OutputContext): tf.Tensor {
    return tf.tidy(() => {
      const logits = this.logits(features, context);
      return tf.logSoftmax(logits.reshape([-1, this.vocabSize])).reshape(logits.shape);
    });
  }

  logits(features: tf.Tensor, _context: OutputContext): tf.Tensor {
    return tf.tidy(() => {
      const lead = features.shape.slice(0, -1);
      let x = features.reshape([-1, this.inputSize]) as tf.Tensor2D;
      let logits: tf.Tensor2D;
      if (this.tied) {
        if (this.toEmbedding) x = tf.matMul(x, this.toEmbedding);
        logits = tf.matMul(x, this.tied, false, true);
      } else {
        logits = tf.matMul(x, this.kernel!);
      }
      return tf.add(logits, this.bias).reshape([...lead, this.vocabSize]);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Builds a {@link SoftmaxOutput} from config options `{ tie?: boolean }`. */
export function createSoftmaxOutput(
  options: Readonly<Record<string, unknown>>,
  sizes: { features?: number; targetVocab?: number },
  decoder: Decoder | undefined,
  seed: number,
): SoftmaxOutput {
  const { tie } = parseOptions('softmax output', softmaxOutputOptions, options);
  if (tie && !decoder?.embedding) {
    throw new ConfigError(
      'softmax output: tie is true but the decoder has no target embedding to tie to',
    );
  }
  return new SoftmaxOutput(
    {
      inputSize: sizes.features as number,
      vocabSize: sizes.targetVocab as number,
      ...(tie ? { tiedEmbedding: decoder!.embedding! } : {}),
    },
    seed,
  );
}

// By shape, not instanceof: a second copy of tfjs in the tree has its own Variable class.
function isVariable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'assign' in value && 'shape' in value;
}
