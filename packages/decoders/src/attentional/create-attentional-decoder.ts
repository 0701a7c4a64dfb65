import { type BuildContext, ConfigError, parseOptions } from '@s2s/core';
import { z } from 'zod';
import { buildBridge } from '../bridge/bridged-state.js';
import {
  componentConfig,
  constructOwning,
  recurrentShape,
  targetVocabOf,
} from '../rnn/recurrent-options.js';
import {
  AttentionalDecoder,
  attentionalShape,
  inputFeedingNeedsLuong,
} from './attentional-decoder.js';

const owner = 'attentional decoder';

/** The config fields of the `attentional` decoder (the pointer-generator adds its own). */
export const attentionalConfigShape = {
  ...recurrentShape,
  attention: componentConfig('an attention', "{ name: 'bahdanau' }").describe(
    'The attention, built by name with a query of size H',
  ),
  bridge: componentConfig('a bridge', "{ name: 'last' }")
    .optional()
    .describe("Gives every layer's h_0, built with a context of size L·H; absent, h_0 = 0"),
  ...attentionalShape,
};

/** The options `{ name: 'attentional', … }` takes in a model config, with their defaults. */
export const attentionalDecoderOptions = z
  .strictObject(attentionalConfigShape)
  .superRefine(inputFeedingNeedsLuong);

/**
 * Registry factory: `{ name: 'attentional', attention: { name, … }, bridge?, order?,
 * inputFeeding?, coverageLoss?, embeddingSize?, hiddenSize?, layers?, cell?, dropout? }`
 * (see {@link attentionalDecoderOptions}). The attention is built with `sizes.query` = H,
 * the bridge with `sizes.query` = L·H.
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
  const o = parseOptions(owner, attentionalDecoderOptions, options, context.path);
  const vocabSize = targetVocabOf(owner, context);
  if (context.sizes.memory === undefined) {
    throw new ConfigError(`${context.path}: the ${owner} needs the encoder's memory size`);
  }
  const { attention: attentionConfig, bridge: bridgeConfig, ...rest } = o;
  const { layers, hiddenSize: hidden } = rest;
  const attention = context.build('attention', attentionConfig, 'attention', {
    ...context.sizes,
    query: hidden,
  });
  const bridge = constructOwning([attention], () =>
    buildBridge(context, bridgeConfig, layers * hidden),
  );
  return constructOwning(
    [attention, bridge],
    () =>
      new AttentionalDecoder(
        { ...rest, vocabSize },
        { attention, ...(bridge ? { bridge } : {}) },
        context.seed,
      ),
  );
}
