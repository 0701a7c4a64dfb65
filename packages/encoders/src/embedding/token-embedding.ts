import {
  dropout,
  type Module,
  normal,
  numberIn,
  ParameterSet,
  positiveInt,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link TokenEmbedding}. */
export interface TokenEmbeddingOptions {
  readonly vocabSize: number;
  readonly embeddingSize: number;
  /** Dropout on the embedded vectors in training. Default 0. */
  readonly dropout?: number;
}

/** Looks up `[B, S]` token ids as `[B, S, E]` vectors. */
export class TokenEmbedding implements Module {
  readonly table: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rate: number;

  constructor(options: TokenEmbeddingOptions, seed: number) {
    const v = positiveInt('token embedding', 'vocabSize', options.vocabSize);
    const e = positiveInt('token embedding', 'embeddingSize', options.embeddingSize);
    this.rate = numberIn('token embedding', 'dropout', options.dropout ?? 0, 0, 0.99);
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
