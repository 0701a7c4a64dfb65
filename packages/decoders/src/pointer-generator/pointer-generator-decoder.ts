import {
  type BuildContext,
  ConfigError,
  type Decoder,
  type DecoderCache,
  type DecoderForwardOptions,
  type DecoderForwardOutput,
  type DecoderState,
  type DecoderStepOutput,
  forwardByStepping,
  type Memory,
  parseOptions,
  type RunOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { inputFeedingNeedsLuong } from '../attentional/attentional-decoder.js';
import {
  attentionalConfigShape,
  createAttentionalDecoder,
} from '../attentional/create-attentional-decoder.js';
import { targetVocabOf, vocabSizeField } from '../rnn/recurrent-options.js';

const owner = 'pointer-generator decoder';

/** Options of {@link PointerGeneratorDecoder}. */
export interface PointerGeneratorDecoderOptions {
  /** Target vocabulary size V: ids ≥ V are extended-vocabulary (copied) words. */
  readonly vocabSize: number;
  /** Id fed to the inner decoder in place of a copied word's id ≥ V. Default 3 (`<unk>`). */
  readonly unk?: number;
}

const unk = z
  .int()
  .min(0)
  .default(3)
  .describe("Id fed to the inner decoder in place of a copied word's id ≥ V (<unk>)");

/** The options `{ name: 'pointer-generator', … }` takes: the attentional decoder's and `unk`. */
export const pointerGeneratorDecoderOptions = z
  .strictObject({ ...attentionalConfigShape, unk })
  .superRefine(inputFeedingNeedsLuong);

const constructorOptions = z
  .strictObject({ vocabSize: vocabSizeField, unk })
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
 * The decoder half of the pointer-generator network (See et al. 2017): an attentional
 * decoder whose step outputs carry what the copy mechanism needs. Its features are
 * [o_t; x_t], the inner decoder's output o_t (in Bahdanau order [s_t; C_t], the decoder
 * state and the context) followed by the embedding x_t of the input token, so an output
 * layer can compute p_gen = σ(w·[s_t; C_t; x_t] + b) from the context, the state and the
 * input. The weights a_t it returns let that layer copy.
 *
 * Previous tokens may lie in an extended vocabulary (a word copied from the source, id
 * ≥ V); they have no embedding, so they are fed as `<unk>`, as in See et al.
 */
export class PointerGeneratorDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  readonly vocabSize: number;
  readonly unk: number;

  /** Takes ownership of `inner`, which must expose its target embedding and attend. */
  constructor(
    private readonly inner: Decoder,
    options: PointerGeneratorDecoderOptions,
  ) {
    const o = parseOptions(owner, constructorOptions, options);
    if (!inner.embedding) {
      throw new ConfigError(`${owner}: the inner decoder has no target embedding to feed x_t from`);
    }
    const [v, e] = inner.embedding.shape as [number, number];
    if (o.vocabSize !== v) {
      throw new ConfigError(
        `${owner}: option 'vocabSize' is ${o.vocabSize} but the inner decoder embeds ${v} tokens`,
      );
    }
    this.vocabSize = v;
    this.unk = o.unk;
    this.embedding = inner.embedding;
    this.outputSize = inner.outputSize + e;
  }

  prepare(memory: Memory, options: RunOptions): DecoderCache {
    return this.inner.prepare(memory, options);
  }

  initialState(cache: DecoderCache, options: RunOptions): DecoderState {
    return this.inner.initialState(cache, options);
  }

  step(
    prev: tf.Tensor1D,
    state: DecoderState,
    cache: DecoderCache,
    options: RunOptions,
  ): DecoderStepOutput {
    return tidyTree(() => {
      const ids = this.inVocabulary(prev) as tf.Tensor1D;
      const r = this.inner.step(ids, state, cache, options);
      const x = tf.gather(this.embedding, ids);
      return { ...r, output: tf.concat([r.output, x], 1) as tf.Tensor2D };
    });
  }

  forward(
    targetIn: tf.Tensor2D,
    cache: DecoderCache,
    options: DecoderForwardOptions,
  ): DecoderForwardOutput {
    return tidyTree(() => {
      const ids = this.inVocabulary(targetIn) as tf.Tensor2D;
      const r = this.inner.forward
        ? this.inner.forward(ids, cache, options)
        : forwardByStepping(this.inner, ids, cache, options);
      const x = tf.gather(this.embedding, ids);
      return { ...r, output: tf.concat([r.output, x], 2) as tf.Tensor3D };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.inner.parameters();
  }

  dispose(): void {
    this.inner.dispose();
  }

  /** Ids ≥ V (copied words) become `<unk>`. */
  private inVocabulary(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const int = ids.dtype === 'int32' ? ids : ids.toInt();
      return tf.where(tf.less(int, this.vocabSize), int, tf.fill(int.shape, this.unk, 'int32'));
    });
  }
}

/**
 * Registry factory: the options of `attentional` (`attention`, `bridge?`, `order?`,
 * `coverageLoss?`, `embeddingSize?`, `hiddenSize?`, …) plus `unk?`. Pair it with the
 * `pointer-generator` output layer.
 */
export function createPointerGeneratorDecoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): PointerGeneratorDecoder {
  const { unk, ...rest } = parseOptions(
    owner,
    pointerGeneratorDecoderOptions,
    options,
    context.path,
  );
  // Checked against V before anything is built, naming the option by its path.
  const checked = parseOptions(
    owner,
    constructorOptions,
    { vocabSize: targetVocabOf(owner, context), unk },
    context.path,
  );
  const inner = createAttentionalDecoder(rest, context);
  try {
    return new PointerGeneratorDecoder(inner, checked);
  } catch (error) {
    inner.dispose();
    throw error;
  }
}
