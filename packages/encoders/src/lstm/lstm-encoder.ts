import { type BuildContext, parseOptions } from '@s2s/core';
import { encoderConfig, RnnEncoder, type RnnEncoderOptions } from '../rnn/rnn-encoder.js';
import { recurrentEncoderOptions } from '../rnn/rnn-encoder-options.js';

/** Options of {@link LstmEncoder}: those of {@link RnnEncoder} but the cell. */
export type LstmEncoderOptions = Omit<RnnEncoderOptions, 'cell' | 'pyramidal'>;

/**
 * An LSTM encoder (Hochreiter & Schmidhuber 1997; Sutskever et al. 2014): one or more
 * layers, forwards or bidirectional, over embedded tokens or projected frames. See
 * {@link RnnEncoder} for the options.
 */
export class LstmEncoder extends RnnEncoder {
  constructor(options: LstmEncoderOptions, seed: number) {
    super({ ...options, cell: 'lstm' }, seed);
  }
}

/**
 * Registry factory: `{ name: 'lstm', embeddingSize?, hiddenSize?, layers?, bidirectional?,
 * residual?, dropout? }` (see `recurrentEncoderOptions`); the input comes from the model
 * config's `source`.
 */
export function createLstmEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): LstmEncoder {
  const owner = 'lstm encoder';
  const o = parseOptions(owner, recurrentEncoderOptions, options, context.path);
  return new LstmEncoder(encoderConfig(owner, o, context), context.seed);
}
