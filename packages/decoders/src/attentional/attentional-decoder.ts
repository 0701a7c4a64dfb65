import {
  type Attention,
  type AttentionCache,
  type AttentionState,
  type BuildContext,
  type ComponentConfig,
  ConfigError,
  constant,
  type Decoder,
  type DecoderForwardOutput,
  type DecoderStepOutput,
  dropout,
  knownOptions,
  lstmGates,
  type Memory,
  normal,
  numberIn,
  oneOf,
  ParameterSet,
  positiveInt,
  type RunOptions,
  tidyTree,
  uniform,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link AttentionalDecoder}. */
export interface AttentionalDecoderOptions {
  /** Target vocabulary size; filled in from the model config. */
  readonly vocabSize: number;
  /** Size of the encoder states; filled in from the encoder. */
  readonly memorySize: number;
  /** Size of the encoder's top final state; filled in from the encoder. */
  readonly finalSize?: number;
  /** Default 64. */
  readonly embeddingSize?: number;
  /** Default 128. */
  readonly hiddenSize?: number;
  /**
   * Initial (h, c): `final` starts h from the encoder's top final state (sizes must match),
   * `zeros` from zero. Default `final`.
   */
  readonly init?: 'final' | 'zeros';
  /** Dropout on embeddings and outputs in training. Default 0. */
  readonly dropout?: number;
}

const defaults = { embeddingSize: 64, hiddenSize: 128, init: 'final', dropout: 0 } as const;

/** State of {@link AttentionalDecoder}. */
export interface AttentionalDecoderState {
  readonly h: tf.Tensor2D;
  readonly c: tf.Tensor2D;
  readonly attention?: AttentionState;
}

/** What {@link AttentionalDecoder} precomputes per source. */
export interface AttentionalDecoderCache {
  readonly attention: AttentionCache;
  readonly h0: tf.Tensor2D;
}

/**
 * An LSTM decoder that attends before each step (Bahdanau et al. 2015): the previous
 * hidden state s_{t−1} queries the attention for C_t, the LSTM reads [y_{t−1}; C_t] to give
 * s_t, and the output features are [s_t; C_t].
 *
 * Any {@link Attention} plugin works; its keys are prepared once per source. Teacher
 * forcing embeds and projects all target inputs in one matMul before the time loop.
 */
export class AttentionalDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly attention: Attention;
  private readonly inputKernel: tf.Variable;
  private readonly recurrentKernel: tf.Variable;
  private readonly bias: tf.Variable;
  private readonly hidden: number;
  private readonly init: 'final' | 'zeros';
  private readonly rate: number;

  constructor(options: AttentionalDecoderOptions, attention: Attention, seed: number) {
    const o = { ...defaults, ...options };
    const v = positiveInt('attentional decoder', 'vocabSize', o.vocabSize);
    const e = positiveInt('attentional decoder', 'embeddingSize', o.embeddingSize);
    const h = positiveInt('attentional decoder', 'hiddenSize', o.hiddenSize);
    this.init = oneOf('attentional decoder', 'init', o.init, ['final', 'zeros']);
    this.rate = numberIn('attentional decoder', 'dropout', o.dropout, 0, 0.99);
    if (this.init === 'final' && o.finalSize !== h) {
      throw new ConfigError(
        `attentional decoder: init 'final' needs the encoder's final state size (${o.finalSize}) to equal hiddenSize (${h}); set init: 'zeros' or make them equal`,
      );
    }
    this.hidden = h;
    this.params = new ParameterSet(seed);
    this.attention = this.params.child('attention', attention);
    const c = attention.contextSize;
    this.outputSize = h + c;
    this.embedding = this.params.add('embedding', [v, e], normal(1 / Math.sqrt(e)));
    this.inputKernel = this.params.add('inputKernel', [e, 4 * h], uniform(0.08));
    // One kernel for [C_t; s_{t−1}], so each step is one matMul for both.
    this.recurrentKernel = this.params.add('recurrentKernel', [c + h, 4 * h], uniform(0.08));
    this.bias = this.params.add('bias', [4 * h], (shape) =>
      tf.concat([tf.zeros([h]), constant(1)([h], 0), tf.zeros([2 * h])]).reshape([...shape]),
    );
  }

  prepare(memory: Memory, _options: RunOptions): AttentionalDecoderCache {
    return tidyTree(() => {
      const b = memory.states.shape[0];
      const h0 = (
        this.init === 'final'
          ? memory.final[memory.final.length - 1]!.clone()
          : tf.zeros([b, this.hidden])
      ) as tf.Tensor2D;
      return { attention: this.attention.prepare(memory), h0 };
    });
  }

  initialState(cache: AttentionalDecoderCache, _options: RunOptions): AttentionalDecoderState {
    return tidyTree(() => {
      const attention = this.attention.initialState?.(cache.attention);
      return {
        h: cache.h0.clone(),
        c: tf.zerosLike(cache.h0),
        ...(attention ? { attention } : {}),
      };
    });
  }

  step(
    prev: tf.Tensor1D,
    state: AttentionalDecoderState,
    cache: AttentionalDecoderCache,
    options: RunOptions,
  ): DecoderStepOutput {
    return tidyTree(() => {
      const y = dropout(tf.gather(this.embedding, prev.toInt()), this.rate, options);
      const zy = tf.add(tf.matMul(y, this.inputKernel), this.bias) as tf.Tensor2D;
      const r = this.cell(zy, state, cache);
      const output = dropout(tf.concat([r.state.h, r.context], 1), this.rate, options);
      return { output, state: r.state, weights: r.weights };
    });
  }

  forward(
    targetIn: tf.Tensor2D,
    cache: AttentionalDecoderCache,
    options: RunOptions,
  ): DecoderForwardOutput {
    return tidyTree(() => {
      const [b, t] = targetIn.shape;
      const y = dropout(tf.gather(this.embedding, targetIn.toInt()), this.rate, options);
      const zy = tf
        .add(tf.matMul(y.reshape([b * t, -1]), this.inputKernel), this.bias)
        .reshape([b, t, -1]);
      let state = this.initialState(cache, options);
      const hs: tf.Tensor2D[] = [];
      const contexts: tf.Tensor2D[] = [];
      const weights: tf.Tensor2D[] = [];
      for (const zyt of tf.unstack(zy, 1) as tf.Tensor2D[]) {
        const r = this.cell(zyt, state, cache);
        state = r.state;
        hs.push(state.h);
        contexts.push(r.context);
        weights.push(r.weights);
      }
      const output = tf.concat([tf.stack(hs, 1), tf.stack(contexts, 1)], 2) as tf.Tensor3D;
      return {
        output: dropout(output, this.rate, options),
        weights: tf.stack(weights, 1) as tf.Tensor3D,
      };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** Attend with s_{t−1}, then one LSTM step on the precomputed input half `zy`. */
  private cell(zy: tf.Tensor2D, state: AttentionalDecoderState, cache: AttentionalDecoderCache) {
    const att = this.attention.attend(state.h, cache.attention, state.attention);
    const z = tf.add(
      zy,
      tf.matMul(tf.concat([att.context, state.h], 1), this.recurrentKernel),
    ) as tf.Tensor2D;
    const next = lstmGates(z, state.c);
    const nextState: AttentionalDecoderState = {
      h: next.h,
      c: next.c,
      ...(att.state ? { attention: att.state } : {}),
    };
    return { state: nextState, context: att.context, weights: att.weights };
  }
}

/**
 * Registry factory: `{ name: 'attentional', attention: { name, … }, embeddingSize?,
 * hiddenSize?, init?, dropout? }`.
 */
export function createAttentionalDecoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): AttentionalDecoder {
  knownOptions('attentional decoder', options, [
    'attention',
    'embeddingSize',
    'hiddenSize',
    'init',
    'dropout',
  ]);
  const { targetVocab, memory, final } = context.sizes;
  if (targetVocab === undefined || memory === undefined) {
    throw new ConfigError(
      `${context.path}: the attentional decoder needs the target vocabulary and memory sizes`,
    );
  }
  const attentionConfig = options.attention as ComponentConfig | undefined;
  if (!attentionConfig) {
    throw new ConfigError(
      `${context.path}: the attentional decoder needs an 'attention' config, e.g. { name: 'bahdanau' }`,
    );
  }
  const hidden = (options.hiddenSize as number | undefined) ?? defaults.hiddenSize;
  const attention = context.build('attention', attentionConfig, 'attention', {
    memory,
    query: hidden,
  });
  const finalSize = final?.[final.length - 1];
  return new AttentionalDecoder(
    {
      ...(options as Partial<AttentionalDecoderOptions>),
      vocabSize: targetVocab,
      memorySize: memory,
      ...(finalSize !== undefined ? { finalSize } : {}),
    },
    attention,
    context.seed,
  );
}
