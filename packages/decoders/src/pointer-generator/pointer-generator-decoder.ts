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
  knownOptions,
  type Memory,
  type RunOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import {
  attentionalOptionNames,
  createAttentionalDecoder,
} from '../attentional/create-attentional-decoder.js';

const owner = 'pointer-generator decoder';

/** Options of {@link PointerGeneratorDecoder}. */
export interface PointerGeneratorDecoderOptions {
  /** Target vocabulary size V: ids ≥ V are extended-vocabulary (copied) words. */
  readonly vocabSize: number;
  /** Id fed to the inner decoder in place of a copied word's id ≥ V. Default 3 (`<unk>`). */
  readonly unk?: number;
}

const defaults = { unk: 3 } as const;

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
    const o = { ...defaults, ...options };
    if (!inner.embedding) {
      throw new ConfigError(`${owner}: the inner decoder has no target embedding to feed x_t from`);
    }
    const [v, e] = inner.embedding.shape as [number, number];
    if (o.vocabSize !== v) {
      throw new ConfigError(
        `${owner}: option 'vocabSize' is ${o.vocabSize} but the inner decoder embeds ${v} tokens`,
      );
    }
    if (!Number.isInteger(o.unk) || o.unk < 0 || o.unk >= v) {
      throw new ConfigError(
        `${owner}: option 'unk' must be an id in [0, ${v}), got ${JSON.stringify(o.unk)}`,
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
  knownOptions(owner, options, [...attentionalOptionNames, 'unk']);
  const { unk, ...rest } = options;
  const inner = createAttentionalDecoder(rest, context);
  try {
    return new PointerGeneratorDecoder(inner, {
      vocabSize: context.sizes.targetVocab as number,
      ...(unk === undefined ? {} : { unk: unk as number }),
    });
  } catch (error) {
    inner.dispose();
    throw error;
  }
}
