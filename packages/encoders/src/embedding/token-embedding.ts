import {
  dropout,
  type Module,
  normal,
  ParameterSet,
  parseOptions,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { fields } from '../options.js';

/** Options of {@link TokenEmbedding}. */
export interface TokenEmbeddingOptions {
  readonly vocabSize: number;
  readonly embeddingSize: number;
  /** Dropout on the embedded vectors in training. Default 0. */
  readonly dropout?: number;
}

/** The options of {@link TokenEmbedding} as a schema: sizes required, dropout defaulting to 0. */
export const tokenEmbeddingOptions = z.strictObject({
  vocabSize: fields.vocabSize(),
  embeddingSize: z.int().positive().describe('Size E of each vector'),
  dropout: fields.dropout(),
});

/** Looks up `[B, S]` token ids as `[B, S, E]` vectors. */
export class TokenEmbedding implements Module {
  readonly table: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rate: number;

  constructor(options: TokenEmbeddingOptions, seed: number) {
    const o = parseOptions('token embedding', tokenEmbeddingOptions, options);
    const { vocabSize: v, embeddingSize: e } = o;
    this.rate = o.dropout;
    this.params = new ParameterSet(seed);
    this.table = this.params.add('table', [v, e], normal(1 / Math.sqrt(e)));
  }

  get size(): number {
    return this.table.shape[1]!;
  }

  embed(ids: tf.Tensor, options: RunOptions): tf.Tensor {
    return tf.tidy(() => dropout(tf.gather(this.table, ids.toInt()), this.rate, options));
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
