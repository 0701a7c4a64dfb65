import {
  type Attention,
  type AttentionCache,
  type AttentionState,
  type Bridge,
  type Decoder,
  type DecoderForwardOptions,
  type DecoderForwardOutput,
  type DecoderStepOutput,
  dropout,
  type Memory,
  ParameterSet,
  parseOptions,
  type RunOptions,
  recurrentMatMul,
  tidyTree,
  uniform,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  bridgedInitialStates,
  checkBridgeForLayers,
  zeroInitialStates,
} from '../bridge/bridged-state.js';
import { DecoderRnn, type RnnState } from '../rnn/decoder-rnn.js';
import {
  type RecurrentDecoderOptions,
  recurrentShape,
  recurrentSizes,
  vocabSizeField,
} from '../rnn/recurrent-options.js';
import { coverageLoss } from './coverage-loss.js';

const owner = 'attentional decoder';

/** Options of {@link AttentionalDecoder}. */
export interface AttentionalDecoderOptions extends RecurrentDecoderOptions {
  /**
   * `bahdanau`: s_{t−1} queries the attention, the RNN reads [y_{t−1}; C_t], the output is
   * [s_t; C_t] (Bahdanau et al. 2015). `luong`: the RNN steps first, s_t queries, the output
   * is h̃_t = tanh(W_c·[C_t; s_t]) (Luong et al. 2015). Default `bahdanau`.
   */
  readonly order?: 'bahdanau' | 'luong';
  /** Luong order only: the RNN reads h̃_{t−1} beside y_{t−1} (Luong et al. §3.3). Default false. */
  readonly inputFeeding?: boolean;
  /** λ of the coverage loss (See et al. 2017) added in teacher forcing; 0 is off. Default 0. */
  readonly coverageLoss?: number;
}

/** The options of the attentional decoder besides the recurrent ones, with their defaults. */
export const attentionalShape = {
  order: z
    .enum(['bahdanau', 'luong'])
    .default('bahdanau')
    .describe(
      "'bahdanau': s_{t−1} queries, the RNN reads [y_{t−1}; C_t]; 'luong': the RNN steps first, s_t queries, the output is tanh(W_c·[C_t; s_t])",
    ),
  inputFeeding: z
    .boolean()
    .default(false)
    .describe('Luong order only: the RNN reads h̃_{t−1} beside y_{t−1}'),
  coverageLoss: z
    .number()
    .min(0)
    .default(0)
    .describe('λ of the coverage loss (See et al. 2017) added in teacher forcing; 0 is off'),
};

/** Input feeding belongs to Luong order. */
export function inputFeedingNeedsLuong(
  o: { readonly order: 'bahdanau' | 'luong'; readonly inputFeeding: boolean },
  ctx: z.RefinementCtx,
): void {
  if (o.inputFeeding && o.order !== 'luong') {
    ctx.addIssue({
      code: 'custom',
      path: ['inputFeeding'],
      message: "needs order 'luong' (Bahdanau order already feeds C_t)",
    });
  }
}

const constructorOptions = z
  .strictObject({ vocabSize: vocabSizeField, ...recurrentShape, ...attentionalShape })
  .superRefine(inputFeedingNeedsLuong);

/** The modules an {@link AttentionalDecoder} is built around. */
export interface AttentionalDecoderParts {
  readonly attention: Attention;
  /** Gives every layer's h_0; absent, h_0 = 0. */
  readonly bridge?: Bridge;
}

/** State of {@link AttentionalDecoder}. */
export interface AttentionalDecoderState extends RnnState {
  /** h̃_{t−1}, with Luong input feeding. */
  readonly feed?: tf.Tensor2D;
  /** The attention's own state, for stateful attentions (coverage, location). */
  readonly attention?: AttentionState;
}

/** What {@link AttentionalDecoder} precomputes per source. */
export interface AttentionalDecoderCache {
  readonly attention: AttentionCache;
  readonly h0: readonly tf.Tensor2D[];
}

interface Cell {
  readonly state: AttentionalDecoderState;
  readonly weights: tf.Tensor2D;
  /** Bahdanau: C_t. Luong: h̃_t after dropout. */
  readonly out: tf.Tensor2D;
}

/**
 * A stacked LSTM or GRU decoder over any {@link Attention}, in Bahdanau or Luong order,
 * optionally started by a {@link Bridge} and optionally adding a coverage loss.
 *
 * Teacher forcing embeds and projects all targets in one matMul before the time loop. In
 * Luong order without input feeding the queries s_t do not depend on earlier contexts, so
 * the RNN runs first and the attention is applied once to all T queries (`attendAll`, when
 * the attention is stateless and has one), followed by one matMul for every h̃_t.
 */
export class AttentionalDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rnn: DecoderRnn;
  private readonly attention: Attention;
  private readonly bridge?: Bridge;
  private readonly combineKernel?: tf.Variable;
  private readonly order: 'bahdanau' | 'luong';
  private readonly inputFeeding: boolean;
  private readonly coverageWeight: number;

  constructor(options: AttentionalDecoderOptions, parts: AttentionalDecoderParts, seed: number) {
    const o = parseOptions(owner, constructorOptions, options);
    this.order = o.order;
    this.inputFeeding = o.inputFeeding;
    this.coverageWeight = o.coverageLoss;
    const hidden = o.hiddenSize;
    const c = parts.attention.contextSize;
    const feed = this.order === 'bahdanau' ? c : this.inputFeeding ? hidden : 0;
    const sizes = recurrentSizes(o, feed);
    if (parts.bridge) checkBridgeForLayers(owner, parts.bridge, sizes.layers, hidden);
    this.params = new ParameterSet(seed);
    this.rnn = new DecoderRnn(this.params, sizes);
    if (this.order === 'luong') {
      // W_c of Luong et al. eq. 5, over [C_t; s_t]; no bias.
      this.combineKernel = this.params.add('combineKernel', [c + hidden, hidden], uniform(0.08));
    }
    this.attention = this.params.child('attention', parts.attention);
    if (parts.bridge) this.bridge = this.params.child('bridge', parts.bridge);
    this.embedding = this.rnn.embedding;
    this.outputSize = this.order === 'bahdanau' ? hidden + c : hidden;
  }

  prepare(memory: Memory, options: RunOptions): AttentionalDecoderCache {
    const { layers, hidden } = this.rnn.sizes;
    return tidyTree(() => ({
      attention: this.attention.prepare(memory),
      h0: this.bridge
        ? bridgedInitialStates(this.bridge, memory, layers, hidden, options)
        : zeroInitialStates(memory, layers, hidden),
    }));
  }

  initialState(cache: AttentionalDecoderCache, _options: RunOptions): AttentionalDecoderState {
    return tidyTree(() => {
      const attention = this.attention.initialState?.(cache.attention);
      return {
        ...this.rnn.initialState(cache.h0),
        ...(this.inputFeeding ? { feed: tf.zerosLike(cache.h0[0]!) } : {}),
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
      const zx = this.rnn.inputHalf(this.rnn.embed(prev, options)) as tf.Tensor2D;
      const r = this.cell(options)(zx, state, cache);
      const output =
        this.order === 'bahdanau'
          ? dropout(tf.concat([this.rnn.top(r.state), r.out], 1), this.rnn.sizes.rate, options)
          : r.out;
      return { output, state: r.state, weights: r.weights };
    });
  }

  forward(
    targetIn: tf.Tensor2D,
    cache: AttentionalDecoderCache,
    options: DecoderForwardOptions,
  ): DecoderForwardOutput {
    return tidyTree(() => {
      // [B, T, G]: every step's input half in one matMul.
      const zx = this.rnn.inputHalf(this.rnn.embed(targetIn, options)) as tf.Tensor3D;
      const r =
        this.order === 'luong' && !this.inputFeeding
          ? this.luongHoisted(zx, cache, options)
          : this.loop(zx, cache, options);
      return {
        ...r,
        ...(this.coverageWeight > 0
          ? { extraLoss: coverageLoss(r.weights, this.coverageWeight, options.targetMask) }
          : {}),
      };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }

  /** Teacher forcing one step at a time, for the orders whose step t needs step t − 1's context. */
  private loop(zx: tf.Tensor3D, cache: AttentionalDecoderCache, options: RunOptions) {
    const cell = this.cell(options);
    let state = this.initialState(cache, options);
    const tops: tf.Tensor2D[] = [];
    const outs: tf.Tensor2D[] = [];
    const weights: tf.Tensor2D[] = [];
    for (const zxt of tf.unstack(zx, 1) as tf.Tensor2D[]) {
      const r = cell(zxt, state, cache);
      state = r.state;
      tops.push(this.rnn.top(state));
      outs.push(r.out);
      weights.push(r.weights);
    }
    const out = tf.stack(outs, 1) as tf.Tensor3D;
    const output =
      this.order === 'bahdanau'
        ? dropout(tf.concat([tf.stack(tops, 1), out], 2), this.rnn.sizes.rate, options)
        : out;
    return { output: output as tf.Tensor3D, weights: tf.stack(weights, 1) as tf.Tensor3D };
  }

  /** Luong order without input feeding: RNN over all T, then attention and W_c for all T. */
  private luongHoisted(zx: tf.Tensor3D, cache: AttentionalDecoderCache, options: RunOptions) {
    const [b, t] = zx.shape;
    const { tops } = this.rnn.run(zx, this.rnn.initialState(cache.h0), options);
    const s = tf.stack(tops, 1) as tf.Tensor3D;
    let att: { context: tf.Tensor3D; weights: tf.Tensor3D };
    if (this.attention.attendAll && !this.attention.initialState) {
      att = this.attention.attendAll(s, cache.attention);
    } else {
      // A stateful attention (coverage) still needs one call per step, in order.
      let state = this.attention.initialState?.(cache.attention);
      const contexts: tf.Tensor2D[] = [];
      const weights: tf.Tensor2D[] = [];
      for (const st of tops) {
        const a = this.attention.attend(st, cache.attention, state);
        state = a.state;
        contexts.push(a.context);
        weights.push(a.weights);
      }
      att = {
        context: tf.stack(contexts, 1) as tf.Tensor3D,
        weights: tf.stack(weights, 1) as tf.Tensor3D,
      };
    }
    const both = tf.concat([att.context, s], 2).reshape([b * t, -1]) as tf.Tensor2D;
    const ht = tf.tanh(tf.matMul(both, this.combineKernel!)).reshape([b, t, -1]);
    return {
      output: dropout(ht, this.rnn.sizes.rate, options) as tf.Tensor3D,
      weights: att.weights,
    };
  }

  /**
   * One step in either order on the precomputed input half `zx`, as a function built once
   * per pass (its per-step matMuls come from {@link DecoderRnn.stepper}).
   */
  private cell(
    options: RunOptions,
  ): (zx: tf.Tensor2D, state: AttentionalDecoderState, cache: AttentionalDecoderCache) => Cell {
    const step = this.rnn.stepper(options);
    if (this.order === 'bahdanau') {
      return (zx, state, cache) => {
        const att = this.attention.attend(this.rnn.top(state), cache.attention, state.attention);
        const rnn = step(zx, att.context, state);
        return { state: withAttention(rnn, att.state), weights: att.weights, out: att.context };
      };
    }
    const combine = recurrentMatMul(this.combineKernel!, options);
    return (zx, state, cache) => {
      const rnn = step(zx, state.feed, state);
      const s = this.rnn.top(rnn);
      const att = this.attention.attend(s, cache.attention, state.attention);
      const ht = tf.tanh(combine(tf.concat([att.context, s], 1)));
      const out = dropout(ht, this.rnn.sizes.rate, options) as tf.Tensor2D;
      const next = withAttention(this.inputFeeding ? { ...rnn, feed: out } : rnn, att.state);
      return { state: next, weights: att.weights, out };
    };
  }
}

function withAttention(
  state: AttentionalDecoderState,
  attention: AttentionState | undefined,
): AttentionalDecoderState {
  return attention ? { ...state, attention } : state;
}
