import type { BuildContext } from '@s2s/core';
import { encoderConfig, RnnEncoder, type RnnEncoderOptions } from '../rnn/rnn-encoder.js';

/** Options of {@link LstmEncoder}: those of {@link RnnEncoder} but the cell. */
export type LstmEncoderOptions = Omit<RnnEncoderOptions, 'cell' | 'pyramidal'>;

/** Options the `lstm` (and `gru`) registry configs accept. */
export const recurrentEncoderOptions = [
  'embeddingSize',
  'hiddenSize',
  'layers',
  'bidirectional',
  'residual',
  'dropout',
] as const;

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
 * residual?, dropout? }`; the input comes from the model config's `source`.
 */
export function createLstmEncoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): LstmEncoder {
  return new LstmEncoder(
    encoderConfig('lstm encoder', recurrentEncoderOptions, options, context),
    context.seed,
  );
}
