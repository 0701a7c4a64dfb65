import * as tf from '@tensorflow/tfjs';
import type { Decoder, DecoderCache, DecoderForwardOutput } from '../contracts/decoder.js';
import type { RunOptions } from '../contracts/module.js';

/**
 * Teacher forcing by calling `decoder.step` once per target position. The reference that
 * every decoder's own `forward` must agree with, and the fallback for decoders without one.
 */
export function forwardByStepping(
  decoder: Decoder,
  targetIn: tf.Tensor2D,
  cache: DecoderCache,
  options: RunOptions,
): DecoderForwardOutput {
  return tf.tidy(() => {
    let state = decoder.initialState(cache, options);
    const outputs: tf.Tensor2D[] = [];
    const weights: tf.Tensor2D[] = [];
    for (const prev of tf.unstack(targetIn, 1) as tf.Tensor1D[]) {
      const r = decoder.step(prev, state, cache, options);
      outputs.push(r.output);
      if (r.weights) weights.push(r.weights);
      state = r.state;
    }
    const output = tf.stack(outputs, 1) as tf.Tensor3D;
    return weights.length ? { output, weights: tf.stack(weights, 1) as tf.Tensor3D } : { output };
  }) as DecoderForwardOutput;
}
