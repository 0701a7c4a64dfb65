import type { BuildContext } from '@s2s/core';
import type { CellKind } from '../rnn/cells.js';
import { encoderConfig, RnnEncoder, type RnnEncoderOptions } from '../rnn/rnn-encoder.js';

/** Options of {@link PyramidalEncoder}. */
export type PyramidalEncoderOptions = Omit<RnnEncoderOptions, 'pyramidal' | 'residual'>;

/** LAS's listener: a BLSTM and three pyramidal BLSTMs above it, 8× fewer frames. */
const defaults = { layers: 4, bidirectional: 'concat' } as const;

/** Options the `pyramidal-lstm` and `pyramidal-gru` registry configs accept. */
const known = ['embeddingSize', 'hiddenSize', 'layers', 'bidirectional', 'dropout'] as const;

/**
 * The pyramidal encoder of Listen, Attend and Spell (Chan et al. 2016) for long inputs
 * such as speech frames: every layer above the first reads pairs of neighbouring outputs
 * of the layer below, h^j_i = RNN(h^j_{i−1}, [h^{j−1}_{2i}; h^{j−1}_{2i+1}]), so L layers
 * divide the time axis by 2^{L−1}. The returned mask follows the halved lengths: a pair is
 * real iff its first frame is (an odd length ⌈n/2⌉). Defaults: 4 bidirectional layers.
 */
export class PyramidalEncoder extends RnnEncoder {
  constructor(options: PyramidalEncoderOptions, seed: number) {
    super({ ...defaults, ...options, pyramidal: true }, seed);
  }
}

/**
 * Registry factory for `pyramidal-lstm` / `pyramidal-gru`: `{ embeddingSize?, hiddenSize?,
 * layers?, bidirectional?, dropout? }`; the input comes from the model config's `source`.
 */
export function pyramidalEncoderFactory(cell: CellKind) {
  return (options: Readonly<Record<string, unknown>>, context: BuildContext): PyramidalEncoder =>
    new PyramidalEncoder(
      { ...encoderConfig(`pyramidal ${cell} encoder`, known, options, context), cell },
      context.seed,
    );
}
