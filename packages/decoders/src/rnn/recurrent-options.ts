import {
  type BuildContext,
  ConfigError,
  type Module,
  numberIn,
  oneOf,
  positiveInt,
} from '@s2s/core';
import type { CellKind, DecoderRnnSizes } from './decoder-rnn.js';

/** Options every recurrent decoder here shares. */
export interface RecurrentDecoderOptions {
  /** Target vocabulary size V; filled in from the model config. */
  readonly vocabSize: number;
  /** Size E of the target embedding. Default 64. */
  readonly embeddingSize?: number;
  /** Size H of every layer's state. Default 128. */
  readonly hiddenSize?: number;
  /** Number of stacked recurrent layers L. Default 1. */
  readonly layers?: number;
  /** `lstm` or `gru` (Cho et al. 2014). Default `lstm`. */
  readonly cell?: CellKind;
  /** Dropout rate on embeddings, between layers and on output features, in training. Default 0. */
  readonly dropout?: number;
}

/** Defaults of {@link RecurrentDecoderOptions}, written once. */
export const recurrentDefaults = {
  embeddingSize: 64,
  hiddenSize: 128,
  layers: 1,
  cell: 'lstm',
  dropout: 0,
} as const;

/** The config option names of {@link RecurrentDecoderOptions}, for `knownOptions`. */
export const recurrentOptionNames = [
  'embeddingSize',
  'hiddenSize',
  'layers',
  'cell',
  'dropout',
] as const;

/** Validates the shared options; errors name the decoder and the bad option. */
export function resolveRecurrent(
  owner: string,
  options: RecurrentDecoderOptions,
  feed: number,
): DecoderRnnSizes {
  const o = { ...recurrentDefaults, ...options };
  return {
    vocab: positiveInt(owner, 'vocabSize', o.vocabSize),
    embedding: positiveInt(owner, 'embeddingSize', o.embeddingSize),
    hidden: positiveInt(owner, 'hiddenSize', o.hiddenSize),
    layers: positiveInt(owner, 'layers', o.layers),
    cell: oneOf(owner, 'cell', o.cell, ['lstm', 'gru']),
    rate: numberIn(owner, 'dropout', o.dropout, 0, 0.99),
    feed,
  };
}

/** The target vocabulary size a decoder factory needs from the model. */
export function targetVocabOf(owner: string, context: BuildContext): number {
  const v = context.sizes.targetVocab;
  if (v === undefined) {
    throw new ConfigError(`${context.path}: the ${owner} needs the target vocabulary size`);
  }
  return v;
}

/**
 * Runs a decoder constructor, disposing the parts a factory already built for it (attention,
 * bridge) when the constructor rejects an option, so a bad config leaks no variables.
 */
export function constructOwning<T>(parts: readonly (Module | undefined)[], make: () => T): T {
  try {
    return make();
  } catch (error) {
    for (const part of parts) part?.dispose();
    throw error;
  }
}
