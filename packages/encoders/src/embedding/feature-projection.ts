import {
  dropout,
  glorotUniform,
  type Module,
  ParameterSet,
  parseOptions,
  type RunOptions,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { fields } from '../options.js';

/** Options of {@link FeatureProjection}. */
export interface FeatureProjectionOptions {
  /** Floats per input frame, F. */
  readonly features: number;
  /** Size E of each projected frame. */
  readonly embeddingSize: number;
  /** Dropout on the projected frames in training. Default 0. */
  readonly dropout?: number;
}

/** The options of {@link FeatureProjection} as a schema: sizes required, dropout defaulting to 0. */
export const featureProjectionOptions = z.strictObject({
  features: fields.features(),
  embeddingSize: z.int().positive().describe('Size E of each vector'),
  dropout: fields.dropout(),
});

/**
 * The front end for feature frames (speech): `[B, S, F]` → `[B, S, E]` by x·W + b, all
 * frames in one matMul. It plays the role a token embedding plays for ids.
 */
export class FeatureProjection implements Module {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rate: number;

  constructor(options: FeatureProjectionOptions, seed: number) {
    const o = parseOptions('feature projection', featureProjectionOptions, options);
    const { features: f, embeddingSize: e } = o;
    this.rate = o.dropout;
    this.params = new ParameterSet(seed);
    this.kernel = this.params.add('kernel', [f, e], glorotUniform());
    this.bias = this.params.add('bias', [e], zeros());
  }

  /** Size E of the vectors {@link FeatureProjection.embed} returns. */
  get size(): number {
    return this.kernel.shape[1]!;
  }

  /** `[B, S, F]` frames → `[B, S, E]`. */
  embed(frames: tf.Tensor, options: RunOptions): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, s, f] = frames.shape as [number, number, number];
      const x = tf.add(tf.matMul(frames.toFloat().reshape([b * s, f]), this.kernel), this.bias);
      return dropout(x.reshape([b, s, this.size]) as tf.Tensor3D, this.rate, options);
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
