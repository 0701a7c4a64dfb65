import {
  type Attention,
  type AttentionCache,
  type AttentionState,
  type BuildContext,
  ConfigError,
  type Decoder,
  type DecoderStepOutput,
  glorotUniform,
  type Memory,
  normal,
  ParameterSet,
  tidyTree,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/** The options `{ name: 'elman', … }` takes in a model config, with their defaults. */
export const elmanOptions = z.strictObject({
  hiddenSize: z.int().positive().default(32).describe('Size of the recurrent state s'),
  embeddingSize: z.int().positive().default(16).describe('Size of the target embedding'),
  attention: z
    .looseObject({ name: z.string() })
    .default({ name: 'bilinear' })
    .describe('The attention, by registry name with its options'),
});

/** The decoder's state: batch-major tensors only, so search can reorder it by gather. */
export interface ElmanState {
  /** `[B, hidden]` s_{t−1}. */
  readonly s: tf.Tensor2D;
  /** The attention's own state, for stateful attention (coverage, location). */
  readonly attention?: AttentionState;
}

/** What the decoder computes once per source. */
export interface ElmanCache {
  readonly attention: AttentionCache;
  /** `[B, hidden]` zeros, the initial state. */
  readonly s0: tf.Tensor2D;
}

/**
 * An Elman RNN decoder with attention: C_t = attend(s_{t−1}), s_t = tanh(W [E y_{t−1}; C_t]
 * + U s_{t−1} + b), output [s_t; C_t]. It takes *an* attention, whichever the config names.
 */
export class ElmanDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly attention: Attention;
  private readonly inputKernel: tf.Variable;
  private readonly stateKernel: tf.Variable;
  private readonly bias: tf.Variable;
  private readonly hidden: number;

  constructor(
    sizes: {
      readonly hiddenSize: number;
      readonly embeddingSize: number;
      readonly targetVocab: number;
    },
    attention: Attention,
    seed: number,
  ) {
    const { hiddenSize: h, embeddingSize: e, targetVocab: v } = sizes;
    this.hidden = h;
    this.params = new ParameterSet(seed);
    // A child module's parameters are named under it: `decoder.attention.kernel`.
    this.attention = this.params.child('attention', attention);
    this.outputSize = h + attention.contextSize;
    this.embedding = this.params.add('embedding', [v, e], normal(0.1));
    this.inputKernel = this.params.add(
      'inputKernel',
      [e + attention.contextSize, h],
      glorotUniform(),
    );
    this.stateKernel = this.params.add('stateKernel', [h, h], glorotUniform());
    this.bias = this.params.add('bias', [h], zeros());
  }

  prepare(memory: Memory): ElmanCache {
    return tidyTree(() => ({
      attention: this.attention.prepare(memory),
      s0: tf.zeros([memory.states.shape[0], this.hidden]) as tf.Tensor2D,
    }));
  }

  initialState(cache: ElmanCache): ElmanState {
    return tidyTree(() => {
      const attention = this.attention.initialState?.(cache.attention);
      return { s: cache.s0.clone(), ...(attention ? { attention } : {}) };
    });
  }

  step(prev: tf.Tensor1D, state: ElmanState, cache: ElmanCache): DecoderStepOutput {
    return tidyTree(() => {
      const y = tf.gather(this.embedding, prev.toInt()); // [B, E]
      const att = this.attention.attend(state.s, cache.attention, state.attention);
      const x = tf.concat([y, att.context], 1);
      const s = tf.tanh(
        tf.add(
          tf.add(tf.matMul(x, this.inputKernel), tf.matMul(state.s, this.stateKernel)),
          this.bias,
        ),
      ) as tf.Tensor2D;
      const next: ElmanState = { s, ...(att.state ? { attention: att.state } : {}) };
      return {
        output: tf.concat([s, att.context], 1) as tf.Tensor2D,
        state: next,
        weights: att.weights,
      };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * Registry factory: the sizes come from `context.sizes` (filled in by `Seq2Seq.build` from
 * the data), and the attention is built through the same registry, at path
 * `decoder.attention`, with the query size this decoder gives it.
 */
export function createElmanDecoder(
  options: z.output<typeof elmanOptions>,
  context: BuildContext,
): ElmanDecoder {
  const { memory, targetVocab } = context.sizes;
  if (memory === undefined || targetVocab === undefined) {
    throw new ConfigError(
      `${context.path}: elman decoder needs sizes.memory and sizes.targetVocab, got ${JSON.stringify(context.sizes)}`,
    );
  }
  const attention = context.build('attention', options.attention, 'attention', {
    memory,
    query: options.hiddenSize,
  });
  return new ElmanDecoder({ ...options, targetVocab }, attention, context.seed);
}
