import { type BuildContext, type ComponentConfig, ConfigError, knownOptions } from '@s2s/core';
import { buildBridge } from '../bridge/bridged-state.js';
import {
  constructOwning,
  recurrentOptionNames,
  resolveRecurrent,
  targetVocabOf,
} from '../rnn/recurrent-options.js';
import { AttentionalDecoder, type AttentionalDecoderOptions } from './attentional-decoder.js';

const owner = 'attentional decoder';

/** The config option names of the `attentional` decoder, for `knownOptions`. */
export const attentionalOptionNames = [
  ...recurrentOptionNames,
  'attention',
  'bridge',
  'order',
  'inputFeeding',
  'coverageLoss',
] as const;

/**
 * Registry factory: `{ name: 'attentional', attention: { name, … }, bridge?, order?,
 * inputFeeding?, coverageLoss?, embeddingSize?, hiddenSize?, layers?, cell?, dropout? }`.
 * The attention is built with `sizes.query` = H, the bridge with `sizes.query` = L·H.
 */
export function createAttentionalDecoder(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): AttentionalDecoder {
  if ('init' in options) {
    throw new ConfigError(
      `${context.path}: option 'init' of the ${owner} was replaced by 'bridge': name a bridge (e.g. { name: 'last' }) to start from the encoder, or leave it out to start from zeros`,
    );
  }
  knownOptions(owner, options, attentionalOptionNames);
  const vocabSize = targetVocabOf(owner, context);
  const memory = context.sizes.memory;
  if (memory === undefined) {
    throw new ConfigError(`${context.path}: the ${owner} needs the encoder's memory size`);
  }
  if (options.attention === undefined) {
    throw new ConfigError(
      `${context.path}: the ${owner} needs an 'attention' config, e.g. { name: 'bahdanau' }`,
    );
  }
  const config = { ...options, vocabSize } as AttentionalDecoderOptions;
  const { layers, hidden } = resolveRecurrent(owner, config, 0);
  const attention = context.build('attention', options.attention as ComponentConfig, 'attention', {
    ...context.sizes,
    query: hidden,
  });
  const bridge = constructOwning([attention], () =>
    buildBridge(context, options.bridge, layers * hidden),
  );
  return constructOwning(
    [attention, bridge],
    () =>
      new AttentionalDecoder(config, { attention, ...(bridge ? { bridge } : {}) }, context.seed),
  );
}
