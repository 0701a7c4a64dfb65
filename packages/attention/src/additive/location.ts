import {
  type Attention,
  type AttentionResult,
  attentionFactory,
  glorotUniform,
  type Memory,
  maskBias,
  ParameterSet,
  parseOptions,
  tidyTree,
  zeros,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { decoderSizes } from '../sizes.js';
import { type AdditiveCache, AdditiveScore } from './additive-score.js';

/** Options of {@link LocationAttention}. */
export interface LocationAttentionOptions {
  /** Size of the encoder states attended to; filled in by the decoder. */
  readonly memorySize: number;
  /** Size of the decoder query; filled in by the decoder. */
  readonly querySize: number;
  /** Size A of the hidden layer of the score network. Default 128. */
  readonly size?: number;
  /** Number k of convolution filters over the previous alignment. Default 10. */
  readonly filters?: number;
  /** Width r of each filter, odd so it is centred on position j. Default 31. */
  readonly kernelSize?: number;
}

/** The options `{ name: 'location', … }` takes in a model config, with their defaults. */
export const locationOptions = z.strictObject({
  size: z.int().positive().default(128).describe("Size A of the score network's hidden layer"),
  filters: z
    .int()
    .positive()
    .default(10)
    .describe('Number k of convolution filters over the previous alignment'),
  kernelSize: z
    .int()
    .positive()
    .refine((r) => r % 2 === 1, {
      message: 'expected an odd width, so each window is centred on its position',
    })
    .default(31)
    .describe('Width r of each filter, odd'),
});

const constructorOptions = locationOptions.extend(decoderSizes);

/** What {@link LocationAttention} precomputes per source. */
export interface LocationCache extends AdditiveCache {
  /** `[B, S]` 1 at real positions, 0 at padding, for the initial alignment. */
  readonly mask: tf.Tensor2D;
}

/** State of {@link LocationAttention}: the previous step's alignment. */
export interface LocationState {
  /** `[B, S]` α_{i−1}; exactly 0 on padding. */
  readonly alignment: tf.Tensor2D;
}

/**
 * Location-aware attention (Chorowski et al. 2015): f_i = F ∗ α_{i−1} (k filters of width
 * r over the previous alignment), e_{i,j} = wᵀ tanh(W s_{i−1} + V h_j + U f_{i,j} + b).
 * V h_j + b is computed once per source. The convolution runs as one gather of the
 * zero-padded alignment into `[B, S, r]` windows and one matMul with F·U: wasm has no
 * kernel for a convolution's filter gradient, and the gather costs two ops per step.
 *
 * The initial alignment is uniform over each row's real positions rather than zeros:
 * every later α is a distribution, so the filters see the same kind of input at every
 * step, and at the first step the features still mark where the source begins and ends
 * (ESPnet's location attention starts the same way).
 */
export class LocationAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly score: AdditiveScore;
  private readonly bias: tf.Variable;
  private readonly locationFilters: tf.Variable;
  private readonly locationKernel: tf.Variable;
  private readonly kernelSize: number;

  constructor(options: LocationAttentionOptions, seed: number) {
    const o = parseOptions('location attention', constructorOptions, options);
    const { memorySize: m, querySize: q, size: a, filters: k, kernelSize: r } = o;
    this.contextSize = m;
    this.kernelSize = r;
    this.params = new ParameterSet(seed);
    this.score = new AdditiveScore(this.params, m, q, a);
    this.bias = this.params.add('bias', [a], zeros());
    this.locationFilters = this.params.add('locationFilters', [r, k], glorotUniform());
    this.locationKernel = this.params.add('locationKernel', [k, a], glorotUniform());
  }

  prepare(memory: Memory): LocationCache {
    return tidyTree(() => ({
      keys: tf.add(this.score.keys(memory.states), this.bias) as tf.Tensor3D,
      values: memory.states.clone(),
      bias: maskBias(memory.mask) as tf.Tensor2D,
      mask: memory.mask.clone(),
    }));
  }

  /** α_0: uniform over each row's real positions, 0 on padding. */
  initialState(cache: LocationCache): LocationState {
    return tidyTree(() => ({
      alignment: tf.div(cache.mask, tf.sum(cache.mask, 1, true)) as tf.Tensor2D,
    }));
  }

  /** A missing `state` counts as the initial one. */
  attend(query: tf.Tensor2D, cache: LocationCache, state?: LocationState): AttentionResult {
    return tidyTree(() => {
      const [b, s, a] = cache.keys.shape;
      const r = this.kernelSize;
      const previous = state?.alignment ?? this.initialState(cache).alignment;
      // Padding real positions with zeros outside [0, S) matches what padded positions hold
      // (α is exactly 0 there), so a row's features do not depend on how wide the batch is.
      const half = (r - 1) / 2;
      const padded = tf.pad(previous, [
        [0, 0],
        [half, half],
      ]);
      const windows = tf.gather(padded, windowIndices(s, r), 1).reshape([b * s, r]);
      const filterThenProject = tf.matMul(this.locationFilters, this.locationKernel);
      const location = tf.matMul(windows, filterThenProject).reshape([b, s, a]) as tf.Tensor3D;
      const { weights, context } = this.score.step(query, cache, location);
      // Cloned, so disposing the state never frees the weights the caller was handed.
      return { context, weights, state: { alignment: weights.clone() } };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registry factory: `{ name: 'location', size?, filters?, kernelSize? }`. */
export const createLocationAttention = attentionFactory(
  'location attention',
  (options: LocationAttentionOptions, seed) => new LocationAttention(options, seed),
);

/** `[S, r]` int32: window j covers padded positions j … j + r − 1, i.e. j − (r−1)/2 … j + (r−1)/2. */
function windowIndices(s: number, r: number): tf.Tensor2D {
  const index = new Int32Array(s * r);
  for (let j = 0; j < s; j++) for (let i = 0; i < r; i++) index[j * r + i] = j + i;
  return tf.tensor2d(index, [s, r], 'int32');
}
