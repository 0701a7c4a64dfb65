import {
  assertShape,
  type BuildContext,
  ConfigError,
  deriveSeed,
  dropout,
  type EncodeOptions,
  type Encoder,
  type Memory,
  normal,
  ParameterSet,
  parseOptions,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TokenEmbedding } from '../embedding/token-embedding.js';
import { componentConfig, fields } from '../options.js';
import { sentenceVectors } from './sentence-vectors.js';

/** How the words of a sentence make its vector. */
export type WordCombination = 'position' | 'bag';

/** Options of {@link HierarchicalEncoder}. */
export interface HierarchicalEncoderOptions {
  /** Word vocabulary size; filled in from the model config. */
  readonly vocabSize: number;
  /** Size E of word and sentence vectors. Default 64. */
  readonly embeddingSize?: number;
  /**
   * `position`: m_i = Σ_j l_j ⊙ A x_ij with the position encoding l_kj = (1 − j/J) −
   * (k/E)(1 − 2j/J) of Sukhbaatar et al. (2015), so word order counts; `bag`: the plain
   * sum of word vectors. Default `position`.
   */
  readonly words?: WordCombination;
  /**
   * Add a learned vector T(r) for each sentence's recency r (0 for the last real sentence),
   * the temporal encoding of memory networks. Default true.
   */
  readonly temporal?: boolean;
  /** Recencies with their own T(r); older sentences share the oldest. Default 50. */
  readonly maxSentences?: number;
  /** The id that pads a sentence's words. Default 0, as a core `Vocabulary` assigns it. */
  readonly pad?: number;
  /** Dropout on the sentence vectors in training. Default 0. */
  readonly dropout?: number;
}

const shape = {
  embeddingSize: z.int().positive().default(64).describe('Size E of word and sentence vectors'),
  words: z
    .enum(['position', 'bag'])
    .default('position')
    .describe(
      "How a sentence's words make its vector: 'position' (position encoding, word order counts) or 'bag' (the plain sum)",
    ),
  temporal: z
    .boolean()
    .default(true)
    .describe("Add a learned vector T(r) for each sentence's recency r (temporal encoding)"),
  maxSentences: z
    .int()
    .positive()
    .default(50)
    .describe('Recencies with their own T(r); older sentences share the oldest'),
  pad: z.int().min(0).default(0).describe("The id that pads a sentence's words"),
  dropout: fields.dropout(),
};

/** The options `{ name: 'hierarchical', … }` takes in a model config, with their defaults. */
export const hierarchicalEncoderOptions = z.strictObject({
  ...shape,
  sentences: componentConfig('an encoder', "{ name: 'gru', bidirectional: 'concat' }")
    .optional()
    .describe('The sentence-level encoder, built by name to read frames of size E; default none'),
});

const constructorOptions = z.strictObject({ vocabSize: fields.vocabSize(), ...shape });
const owner = 'hierarchical encoder';

/**
 * A passage encoder in two levels: each sentence's words become one vector (position
 * encoding or bag of words), then an optional sentence-level encoder (any registered
 * encoder that reads `[B, N, E]` frames, e.g. a bidirectional GRU) reads the sequence of
 * sentences. Memory positions are sentences, so attention picks sentences.
 *
 * The source is `[B, N, W]` int32 word ids (N sentences of up to W words, right-padded
 * with `pad`) and the mask `[B, N]` marks real sentences. `Memory.final` is the
 * sentence-level encoder's, or else the vector of each row's last real sentence.
 */
export class HierarchicalEncoder implements Encoder {
  readonly outputSize: number;
  readonly finalSizes: readonly number[];
  private readonly params: ParameterSet;
  private readonly embedding: TokenEmbedding;
  private readonly temporal?: tf.Variable;
  private readonly sentences?: Encoder;
  private readonly reader: WordCombination;
  private readonly pad: number;
  private readonly rate: number;

  /** @param sentences the sentence-level encoder, reading `[B, N, E]` frames. */
  constructor(options: HierarchicalEncoderOptions, seed: number, sentences?: Encoder) {
    const o = parseOptions(owner, constructorOptions, options);
    const { embeddingSize: e, maxSentences: n } = o;
    this.reader = o.words;
    this.pad = o.pad;
    this.rate = o.dropout;
    this.params = new ParameterSet(seed);
    this.embedding = this.params.child(
      'embedding',
      new TokenEmbedding(
        { vocabSize: o.vocabSize, embeddingSize: e },
        deriveSeed(seed, 'embedding'),
      ),
    );
    if (o.temporal) this.temporal = this.params.add('temporal', [n, e], normal(0.1));
    if (sentences) this.sentences = this.params.child('sentences', sentences);
    this.outputSize = sentences?.outputSize ?? e;
    this.finalSizes = sentences?.finalSizes ?? [e];
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D, options: EncodeOptions): Memory {
    assertShape(`${owner} source`, source, [null, null, null], ['B', 'N', 'W']);
    assertShape(`${owner} mask`, mask, [source.shape[0]!, source.shape[1]!], ['B', 'N']);
    return tidyTree(() => {
      const ids = source.toInt() as tf.Tensor3D;
      const words = tf.mul(tf.notEqual(ids, this.pad).toFloat(), mask.expandDims(2)) as tf.Tensor3D;
      let m = sentenceVectors(
        this.embedding.embed(ids, options) as tf.Tensor4D,
        words,
        this.reader,
      );
      if (this.temporal)
        m = tf.add(m, tf.gather(this.temporal, recency(mask, this.temporal.shape[0]!)));
      m = dropout(m, this.rate, options) as tf.Tensor3D;
      if (this.sentences) {
        const { training, rng } = options;
        const inner = this.sentences.encode(m, mask, { training, ...(rng ? { rng } : {}) });
        return { states: inner.states, mask: mask.clone(), final: inner.final };
      }
      return { states: m, mask: mask.clone(), final: [lastReal(m, mask)] };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** `[B, N]` int32 recency of each sentence, n_b − 1 − i, clamped to [0, max − 1]. */
function recency(mask: tf.Tensor2D, max: number): tf.Tensor2D {
  const n = mask.shape[1];
  const count = tf.sum(mask, 1, true);
  const back = tf.sub(tf.sub(count, 1), tf.range(0, n).reshape([1, n]));
  return tf.clipByValue(back, 0, max - 1).toInt() as tf.Tensor2D;
}

/** `[B, E]` the vector at each row's last real position. */
function lastReal(states: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const [b, n, e] = states.shape;
  const last = tf.sub(tf.sum(mask, 1), 1);
  const rows = tf.add(tf.mul(tf.range(0, b), n), last).toInt();
  return tf.gather(states.reshape([b * n, e]), rows) as tf.Tensor2D;
}

/**
 * Registry factory: `{ name: 'hierarchical', embeddingSize?, words?, temporal?,
 * maxSentences?, pad?, dropout?, sentences?: { name: 'gru', … } }`. The sentence-level
 * encoder is built by name to read frames of size E.
 */
export function createHierarchicalEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): HierarchicalEncoder {
  const o = parseOptions(owner, hierarchicalEncoderOptions, options, context.path);
  const vocabSize = context.sizes.sourceVocab;
  if (vocabSize === undefined) {
    throw new ConfigError(
      `${context.path}: the ${owner} reads word ids; the model config needs source.vocabSize`,
    );
  }
  const { sentences: config, ...rest } = o;
  const sentences =
    config === undefined
      ? undefined
      : context.build('encoder', config, 'sentences', { sourceFeatures: rest.embeddingSize });
  try {
    return new HierarchicalEncoder({ ...rest, vocabSize }, context.seed, sentences);
  } catch (error) {
    sentences?.dispose();
    throw error;
  }
}
