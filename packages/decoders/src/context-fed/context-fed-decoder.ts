import {
  type Bridge,
  type BuildContext,
  type Decoder,
  type DecoderForwardOptions,
  type DecoderForwardOutput,
  type DecoderStepOutput,
  dropout,
  type Memory,
  ParameterSet,
  parseOptions,
  type RunOptions,
  tidyTree,
  uniform,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { bridgedDecoderOptions, createWithBridge } from '../bridge/bridged-state.js';
import { DecoderRnn, type RnnState } from '../rnn/decoder-rnn.js';
import {
  type RecurrentDecoderOptions,
  recurrentDecoderOptions,
  recurrentSizes,
} from '../rnn/recurrent-options.js';

const owner = 'context-fed decoder';

/** Options of {@link ContextFedDecoder}. */
export interface ContextFedDecoderOptions extends RecurrentDecoderOptions {
  /**
   * Output features [s_t; E·y_{t−1}; c], so the output layer sees the previous word and the
   * context as in Cho et al. (2014); `false` gives s_t alone. Default true.
   */
  readonly deepOutput?: boolean;
}

const extra = {
  deepOutput: z
    .boolean()
    .default(true)
    .describe('Output features [s_t; E·y_{t−1}; c] as in Cho et al. (2014); false gives s_t alone'),
};

/** The options `{ name: 'context-fed', … }` takes in a model config, with their defaults. */
export const contextFedDecoderOptions = bridgedDecoderOptions('its context c', extra);

const constructorOptions = recurrentDecoderOptions.extend(extra);

/** What {@link ContextFedDecoder} precomputes per source. */
export interface ContextFedDecoderCache {
  /** `[B, C]` the bridge's context c. */
  readonly c: tf.Tensor2D;
  /** `[B, G]` c's share of layer 0's gate pre-activations, C_z·c, added at every step. */
  readonly cz: tf.Tensor2D;
  /** h_0 = tanh(V′·c) of every layer. */
  readonly h0: readonly tf.Tensor2D[];
}

/**
 * The RNN Encoder–Decoder of Cho et al. (2014): a bridge summarises the source as c, the
 * decoder starts from h′_0 = tanh(V′·c) and reads c again at every step,
 * h′_t = g(y_{t−1}, c, h′_{t−1}), so the context never fades from its state.
 *
 * c enters layer 0's gates through a kernel C_z; C_z·c is computed once per source in
 * `prepare`, not per step. With L layers V′ maps c to L·H, one H-wide slice per layer.
 */
export class ContextFedDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rnn: DecoderRnn;
  private readonly bridge: Bridge;
  private readonly contextKernel: tf.Variable;
  private readonly initKernel: tf.Variable;
  private readonly deepOutput: boolean;

  constructor(options: ContextFedDecoderOptions, bridge: Bridge, seed: number) {
    const o = parseOptions(owner, constructorOptions, options);
    const sizes = recurrentSizes(o, 0);
    const deepOutput = o.deepOutput;
    this.deepOutput = deepOutput;
    this.params = new ParameterSet(seed);
    this.rnn = new DecoderRnn(this.params, sizes);
    const c = bridge.outputSize;
    this.contextKernel = this.params.add('contextKernel', [c, this.rnn.gateWidth], uniform(0.08));
    this.initKernel = this.params.add(
      'initKernel',
      [c, sizes.layers * sizes.hidden],
      uniform(0.08),
    );
    this.bridge = this.params.child('bridge', bridge);
    this.embedding = this.rnn.embedding;
    this.outputSize = deepOutput ? sizes.hidden + sizes.embedding + c : sizes.hidden;
  }

  prepare(memory: Memory, options: RunOptions): ContextFedDecoderCache {
    return tidyTree(() => {
      const c = this.bridge.context(memory, options);
      const h0 = tf.tanh(tf.matMul(c, this.initKernel)) as tf.Tensor2D;
      const layers = this.rnn.sizes.layers;
      return {
        c,
        cz: tf.matMul(c, this.contextKernel),
        // tfjs cannot take the gradient of a one-way split, hence the special case.
        h0: layers === 1 ? [h0] : (tf.split(h0, layers, 1) as tf.Tensor2D[]),
      };
    });
  }

  initialState(cache: ContextFedDecoderCache, _options: RunOptions): RnnState {
    return tidyTree(() => this.rnn.initialState(cache.h0));
  }

  step(
    prev: tf.Tensor1D,
    state: RnnState,
    cache: ContextFedDecoderCache,
    options: RunOptions,
  ): DecoderStepOutput {
    return tidyTree(() => {
      const y = this.rnn.lookup(prev);
      const zy = this.rnn.inputHalf(dropout(y, this.rnn.sizes.rate, options));
      const next = this.rnn.stepper(options)(tf.add(zy, cache.cz) as tf.Tensor2D, undefined, state);
      const s = this.rnn.top(next);
      const output = this.deepOutput ? tf.concat([s, y, cache.c], 1) : s;
      return { output: dropout(output, this.rnn.sizes.rate, options) as tf.Tensor2D, state: next };
    });
  }

  forward(
    targetIn: tf.Tensor2D,
    cache: ContextFedDecoderCache,
    options: DecoderForwardOptions,
  ): DecoderForwardOutput {
    return tidyTree(() => {
      const [b, t] = targetIn.shape;
      const y = this.rnn.lookup(targetIn);
      // [B, T, G]: W·y_{t−1} + b + C_z·c for every step, before the loop.
      const zx = tf.add(
        this.rnn.inputHalf(dropout(y, this.rnn.sizes.rate, options)),
        cache.cz.expandDims(1),
      ) as tf.Tensor3D;
      const { tops } = this.rnn.run(zx, this.rnn.initialState(cache.h0), options);
      const s = tf.stack(tops, 1);
      const output = this.deepOutput
        ? tf.concat([s, y, tf.broadcastTo(cache.c.expandDims(1), [b, t, cache.c.shape[1]])], 2)
        : s;
      return { output: dropout(output, this.rnn.sizes.rate, options) as tf.Tensor3D };
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
 * Registry factory: `{ name: 'context-fed', bridge: { name, … }, deepOutput?,
 * embeddingSize?, hiddenSize?, layers?, cell?, dropout? }`. The bridge is built with
 * `sizes.query` = H; its context may have any size.
 */
export function createContextFedDecoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): ContextFedDecoder {
  return createWithBridge(owner, options, context, {
    options: contextFedDecoderOptions,
    bridgeSize: ({ hidden }) => hidden,
    make: (config, bridge, seed) => new ContextFedDecoder(config, bridge, seed),
  });
}
