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
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import {
  bridgedDecoderOptions,
  bridgedInitialStates,
  checkBridgeForLayers,
  createWithBridge,
} from '../bridge/bridged-state.js';
import { DecoderRnn, type RnnState } from '../rnn/decoder-rnn.js';
import {
  type RecurrentDecoderOptions,
  recurrentDecoderOptions,
  recurrentSizes,
} from '../rnn/recurrent-options.js';

const owner = 'initial-context decoder';

/** The options `{ name: 'initial-context', … }` takes in a model config, with their defaults. */
export const initialContextDecoderOptions = bridgedDecoderOptions('its initial state', {});

/** Options of {@link InitialContextDecoder}: the shared recurrent ones. */
export type InitialContextDecoderOptions = RecurrentDecoderOptions;

/** What {@link InitialContextDecoder} precomputes per source: h_0 of every layer. */
export interface InitialContextDecoderCache {
  readonly h0: readonly tf.Tensor2D[];
}

/** State of {@link InitialContextDecoder}: per-layer h (and c for LSTMs). */
export type InitialContextDecoderState = RnnState;

/**
 * The encoder–decoder of Sutskever et al. (2014): a bridge squeezes the source into one
 * context c = q(h_1, …, h_S), which becomes the decoder's initial state; from then on the
 * decoder reads only y_{t−1}. Output features are the top layer's s_t.
 *
 * With L layers the bridge's context is H wide (every layer starts from it) or L·H wide
 * (layer l starts from the l-th slice, as Sutskever et al. copy each encoder layer's final
 * state into the matching decoder layer). LSTM memory cells start at zero.
 */
export class InitialContextDecoder implements Decoder {
  readonly outputSize: number;
  readonly embedding: tf.Variable;
  private readonly params: ParameterSet;
  private readonly rnn: DecoderRnn;
  private readonly bridge: Bridge;

  constructor(options: InitialContextDecoderOptions, bridge: Bridge, seed: number) {
    const sizes = recurrentSizes(parseOptions(owner, recurrentDecoderOptions, options), 0);
    checkBridgeForLayers(owner, bridge, sizes.layers, sizes.hidden);
    this.params = new ParameterSet(seed);
    this.rnn = new DecoderRnn(this.params, sizes);
    this.bridge = this.params.child('bridge', bridge);
    this.embedding = this.rnn.embedding;
    this.outputSize = sizes.hidden;
  }

  prepare(memory: Memory, options: RunOptions): InitialContextDecoderCache {
    const { layers, hidden } = this.rnn.sizes;
    return tidyTree(() => ({
      h0: bridgedInitialStates(this.bridge, memory, layers, hidden, options),
    }));
  }

  initialState(cache: InitialContextDecoderCache, _options: RunOptions): RnnState {
    return tidyTree(() => this.rnn.initialState(cache.h0));
  }

  step(
    prev: tf.Tensor1D,
    state: RnnState,
    _cache: InitialContextDecoderCache,
    options: RunOptions,
  ): DecoderStepOutput {
    return tidyTree(() => {
      const zx = this.rnn.inputHalf(this.rnn.embed(prev, options)) as tf.Tensor2D;
      const next = this.rnn.stepper(options)(zx, undefined, state);
      return { output: dropout(this.rnn.top(next), this.rnn.sizes.rate, options), state: next };
    });
  }

  forward(
    targetIn: tf.Tensor2D,
    cache: InitialContextDecoderCache,
    options: DecoderForwardOptions,
  ): DecoderForwardOutput {
    return tidyTree(() => {
      // [B, T, G]: every step's input half in one matMul.
      const zx = this.rnn.inputHalf(this.rnn.embed(targetIn, options)) as tf.Tensor3D;
      const { tops } = this.rnn.run(zx, this.rnn.initialState(cache.h0), options);
      const output = tf.stack(tops, 1) as tf.Tensor3D;
      return { output: dropout(output, this.rnn.sizes.rate, options) };
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
 * Registry factory: `{ name: 'initial-context', bridge: { name, … }, embeddingSize?,
 * hiddenSize?, layers?, cell?, dropout? }`. The bridge is built with `sizes.query` = L·H.
 */
export function createInitialContextDecoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): InitialContextDecoder {
  return createWithBridge(owner, options, context, {
    options: initialContextDecoderOptions,
    bridgeSize: ({ layers, hidden }) => layers * hidden,
    make: (config, bridge, seed) => new InitialContextDecoder(config, bridge, seed),
  });
}
