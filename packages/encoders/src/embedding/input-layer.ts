import {
  assertShape,
  ConfigError,
  deriveSeed,
  type Module,
  type RunOptions,
  type Sizes,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { FeatureProjection } from './feature-projection.js';
import { TokenEmbedding } from './token-embedding.js';

/** What an encoder reads: `[B, S]` token ids below `vocabSize`, or `[B, S, F]` frames. */
export type SourceInput = { readonly vocabSize: number } | { readonly features: number };

/** An encoder's front end: turns the source into `[B, S, E]` vectors. */
export interface InputLayer extends Module {
  /** Size E of each vector. */
  readonly size: number;
  embed(source: tf.Tensor, options: RunOptions): tf.Tensor;
}

/**
 * The front end for an input: a {@link TokenEmbedding} (parameters under `embedding.`) for
 * token ids, a {@link FeatureProjection} (under `projection.`) for feature frames.
 */
export function createInputLayer(
  owner: string,
  input: { readonly vocabSize?: number; readonly features?: number },
  embeddingSize: number,
  dropout: number,
  seed: number,
): {
  readonly name: 'embedding' | 'projection';
  readonly layer: InputLayer;
  readonly input: SourceInput;
} {
  if ((input.vocabSize === undefined) === (input.features === undefined)) {
    throw new ConfigError(
      `${owner}: needs exactly one of 'vocabSize' (token ids) or 'features' (feature frames), got vocabSize ${input.vocabSize} and features ${input.features}`,
    );
  }
  if (input.vocabSize !== undefined) {
    const options = { vocabSize: input.vocabSize, embeddingSize, dropout };
    const layer = new TokenEmbedding(options, deriveSeed(seed, 'embedding'));
    return { name: 'embedding', layer, input: { vocabSize: input.vocabSize } };
  }
  const features = input.features!;
  const layer = new FeatureProjection(
    { features, embeddingSize, dropout },
    deriveSeed(seed, 'projection'),
  );
  return { name: 'projection', layer, input: { features } };
}

/** Checks a source against its input: `[B, S]` ids, or `[B, S, F]` frames. */
export function assertSource(owner: string, source: tf.Tensor, input: SourceInput): void {
  if ('vocabSize' in input) assertShape(`${owner} source`, source, [null, null], ['B', 'S']);
  else assertShape(`${owner} source`, source, [null, null, input.features], ['B', 'S', 'F']);
}

/**
 * Which input a model config gives an encoder: `source.vocabSize` means token ids,
 * `source.features` feature frames. Exactly one must be set.
 */
export function sourceInput(owner: string, sizes: Sizes): SourceInput {
  const { sourceVocab, sourceFeatures } = sizes;
  if (sourceVocab !== undefined && sourceFeatures !== undefined) {
    throw new ConfigError(
      `${owner}: got both source.vocabSize (${sourceVocab}) and source.features (${sourceFeatures}); a source is either token ids or feature frames`,
    );
  }
  if (sourceVocab !== undefined) return { vocabSize: sourceVocab };
  if (sourceFeatures !== undefined) return { features: sourceFeatures };
  throw new ConfigError(
    `${owner}: the model config needs source.vocabSize (token ids) or source.features (feature frames)`,
  );
}
