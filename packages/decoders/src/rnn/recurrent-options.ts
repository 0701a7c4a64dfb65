import { type BuildContext, ConfigError, type Module } from '@s2s/core';
import { z } from 'zod';
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

/** The config options every recurrent decoder here shares, as schema fields with their defaults. */
export const recurrentShape = {
  embeddingSize: z
    .int()
    .positive()
    .default(recurrentDefaults.embeddingSize)
    .describe('Size E of the target embedding'),
  hiddenSize: z
    .int()
    .positive()
    .default(recurrentDefaults.hiddenSize)
    .describe("Size H of every layer's state"),
  layers: z
    .int()
    .positive()
    .default(recurrentDefaults.layers)
    .describe('Number of stacked recurrent layers L'),
  cell: z
    .enum(['lstm', 'gru'])
    .default(recurrentDefaults.cell)
    .describe("'lstm' or 'gru' (Cho et al. 2014)"),
  dropout: z
    .number()
    .min(0)
    .max(0.99)
    .default(recurrentDefaults.dropout)
    .describe('Dropout rate on embeddings, between layers and on output features, in training'),
};

/** The target vocabulary size, which a decoder's constructor takes and its factory fills in. */
export const vocabSizeField = z
  .int()
  .positive()
  .describe('Target vocabulary size V; filled in from the model config');

/** What a recurrent decoder's constructor parses at least: the shared options and V. */
export const recurrentDecoderOptions = z.strictObject({
  vocabSize: vocabSizeField,
  ...recurrentShape,
});

/** Parsed {@link RecurrentDecoderOptions}: every default filled in. */
export interface ResolvedRecurrent {
  readonly vocabSize: number;
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly cell: CellKind;
  readonly dropout: number;
}

/**
 * A nested component config (`{ name: 'bahdanau', … }`): only its `name` is checked here;
 * its own options are checked when it is built, at its path (`decoder.attention.size`).
 */
export function componentConfig(what: string, example: string, purpose?: string) {
  const gives = purpose === undefined ? '' : ` (it gives ${purpose})`;
  return z.looseObject(
    { name: z.string() },
    { error: `expected ${what} config with a string 'name'${gives}, e.g. ${example}` },
  );
}

/** The sizes of a decoder's RNN from its parsed options and what layer 0 reads besides y. */
export function recurrentSizes(o: ResolvedRecurrent, feed: number): DecoderRnnSizes {
  return {
    vocab: o.vocabSize,
    embedding: o.embeddingSize,
    hidden: o.hiddenSize,
    layers: o.layers,
    cell: o.cell,
    rate: o.dropout,
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
