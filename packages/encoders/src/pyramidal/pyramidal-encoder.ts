import { type BuildContext, parseOptions } from '@s2s/core';
import type { CellKind } from '../rnn/cells.js';
import { encoderConfig, RnnEncoder, type RnnEncoderOptions } from '../rnn/rnn-encoder.js';
import { pyramidalDefaults, pyramidalEncoderOptions } from '../rnn/rnn-encoder-options.js';

/** Options of {@link PyramidalEncoder}. */
export type PyramidalEncoderOptions = Omit<RnnEncoderOptions, 'pyramidal' | 'residual'>;

/**
 * The pyramidal encoder of Listen, Attend and Spell (Chan et al. 2016) for long inputs
 * such as speech frames: every layer above the first reads pairs of neighbouring outputs
 * of the layer below, h^j_i = RNN(h^j_{i−1}, [h^{j−1}_{2i}; h^{j−1}_{2i+1}]), so L layers
 * divide the time axis by 2^{L−1}. The returned mask follows the halved lengths: a pair is
 * real iff its first frame is (an odd length ⌈n/2⌉). Defaults: 4 bidirectional layers.
 */
export class PyramidalEncoder extends RnnEncoder {
  constructor(options: PyramidalEncoderOptions, seed: number) {
    super({ ...pyramidalDefaults, ...options, pyramidal: true }, seed);
  }
}

/**
 * Registry factory for `pyramidal-lstm` / `pyramidal-gru`: `{ embeddingSize?, hiddenSize?,
 * layers?, bidirectional?, dropout? }` (see `pyramidalEncoderOptions`); the input comes from
 * the model config's `source`.
 */
export function pyramidalEncoderFactory(cell: CellKind) {
  const owner = `pyramidal ${cell} encoder`;
  return (options: Readonly<Record<string, unknown>>, context: BuildContext): PyramidalEncoder => {
    const o = parseOptions(owner, pyramidalEncoderOptions, options, context.path);
    return new PyramidalEncoder({ ...encoderConfig(owner, o, context), cell }, context.seed);
  };
}
