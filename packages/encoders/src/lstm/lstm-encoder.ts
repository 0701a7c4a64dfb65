import {
  assertShape,
  type BuildContext,
  ConfigError,
  carryOverPadding,
  constant,
  deriveSeed,
  dropout,
  type Encoder,
  knownOptions,
  lstmGates,
  type Memory,
  numberIn,
  ParameterSet,
  positiveInt,
  type RunOptions,
  uniform,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { TokenEmbedding } from '../embedding/token-embedding.js';

/** Options of {@link LstmEncoder}. */
export interface LstmEncoderOptions {
  /** Source vocabulary size; filled in from the model config. */
  readonly vocabSize: number;
  /** Default 64. */
  readonly embeddingSize?: number;
  /** Default 128. */
  readonly hiddenSize?: number;
  /** Dropout on embeddings and outputs in training. Default 0. */
  readonly dropout?: number;
}

const defaults = { embeddingSize: 64, hiddenSize: 128, dropout: 0 } as const;

/**
 * A unidirectional LSTM over embedded source tokens.
 *
 * The input half of every gate, x_t·W_x + b, is computed for all S steps in one matMul
 * before the time loop; each step then costs one `[B, H] × [H, 4H]` matMul and the gate
 * arithmetic. Padded steps leave the state unchanged, so `final` is each row's state at
 * its last real token.
 */
export class LstmEncoder implements Encoder {
  readonly outputSize: number;
  readonly finalSizes: readonly number[];
  private readonly params: ParameterSet;
  private readonly embedding: TokenEmbedding;
  private readonly inputKernel: tf.Variable;
  private readonly recurrentKernel: tf.Variable;
  private readonly bias: tf.Variable;
  private readonly rate: number;

  constructor(options: LstmEncoderOptions, seed: number) {
    const o = { ...defaults, ...options };
    const h = positiveInt('lstm encoder', 'hiddenSize', o.hiddenSize);
    const e = positiveInt('lstm encoder', 'embeddingSize', o.embeddingSize);
    this.rate = numberIn('lstm encoder', 'dropout', o.dropout, 0, 0.99);
    this.outputSize = h;
    this.finalSizes = [h];
    this.params = new ParameterSet(seed);
    this.embedding = this.params.child(
      'embedding',
      new TokenEmbedding(
        { vocabSize: o.vocabSize, embeddingSize: e, dropout: this.rate },
        deriveSeed(seed, 'embedding'),
      ),
    );
    this.inputKernel = this.params.add('inputKernel', [e, 4 * h], uniform(0.08));
    this.recurrentKernel = this.params.add('recurrentKernel', [h, 4 * h], uniform(0.08));
    // Gate order [i, f, o, g]; a forget-gate bias of 1 (Jozefowicz et al. 2015).
    this.bias = this.params.add('bias', [4 * h], (shape) =>
      tf.concat([tf.zeros([h]), constant(1)([h], 0), tf.zeros([2 * h])]).reshape([...shape]),
    );
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D, options: RunOptions): Memory {
    assertShape('lstm encoder source', source, [null, null], ['B', 'S']);
    assertShape('lstm encoder mask', mask, [source.shape[0]!, source.shape[1]!], ['B', 'S']);
    return tf.tidy(() => {
      const [b, s] = source.shape as [number, number];
      const h = this.outputSize;
      const x = this.embedding.embed(source, options);
      const inputs = tf
        .add(tf.matMul(x.reshape([b * s, this.embedding.size]), this.inputKernel), this.bias)
        .reshape([b, s, 4 * h]);
      const zx = tf.unstack(inputs, 1) as tf.Tensor2D[];
      const m = tf.unstack(mask.expandDims(2), 1) as tf.Tensor2D[];
      let hPrev = tf.zeros([b, h]) as tf.Tensor2D;
      let cPrev = tf.zeros([b, h]) as tf.Tensor2D;
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < s; t++) {
        const z = tf.add(zx[t]!, tf.matMul(hPrev, this.recurrentKernel)) as tf.Tensor2D;
        const next = lstmGates(z, cPrev);
        hPrev = carryOverPadding(next.h, hPrev, m[t]!);
        cPrev = carryOverPadding(next.c, cPrev, m[t]!);
        outputs.push(hPrev);
      }
      const states = dropout(tf.stack(outputs, 1) as tf.Tensor3D, this.rate, options);
      return { states, mask: mask.clone(), final: [hPrev] };
    }) as Memory;
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'lstm', embeddingSize?, hiddenSize?, dropout? }`. */
export function createLstmEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): LstmEncoder {
  knownOptions('lstm encoder', options, ['embeddingSize', 'hiddenSize', 'dropout']);
  if (context.sizes.sourceVocab === undefined) {
    throw new ConfigError('lstm encoder reads token ids: the model config needs source.vocabSize');
  }
  return new LstmEncoder(
    { ...(options as Partial<LstmEncoderOptions>), vocabSize: context.sizes.sourceVocab },
    context.seed,
  );
}
