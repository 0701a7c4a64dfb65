import { type BuildContext, parseOptions } from '@s2s/core';
import { encoderConfig, RnnEncoder, type RnnEncoderOptions } from '../rnn/rnn-encoder.js';
import { recurrentEncoderOptions } from '../rnn/rnn-encoder-options.js';

/** Options of {@link GruEncoder}: those of {@link RnnEncoder} but the cell. */
export type GruEncoderOptions = Omit<RnnEncoderOptions, 'cell' | 'pyramidal'>;

/**
 * A GRU encoder (Cho et al. 2014), in the reset-after form cuDNN and PyTorch use so every
 * step is one fused matMul: one or more layers, forwards or bidirectional, over embedded
 * tokens or projected frames. See {@link RnnEncoder} for the options.
 */
export class GruEncoder extends RnnEncoder {
  constructor(options: GruEncoderOptions, seed: number) {
    super({ ...options, cell: 'gru' }, seed);
  }
}

/**
 * Registry factory: `{ name: 'gru', embeddingSize?, hiddenSize?, layers?, bidirectional?,
 * residual?, dropout? }`; the input comes from the model config's `source`.
 */
export function createGruEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): GruEncoder {
  const owner = 'gru encoder';
  const o = parseOptions(owner, recurrentEncoderOptions, options, context.path);
  return new GruEncoder(encoderConfig(owner, o, context), context.seed);
}
