import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { CheckpointError, ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { registry as globalRegistry, type Registry } from '../registry/registry.js';
import {
  type LoadedModel,
  MODEL_FILE,
  type ModelExtras,
  type ModelIOHandler,
  modelArtifacts,
  modelFromArtifacts,
} from './model-format.js';
import { type FetchLike, fetchOption, modelFromURL } from './model-url.js';

/** Where a model is read from: the URL of its folder (or of its `model.json`), or any `tf.io` IO handler. */
export type ModelSource = string | URL | tf.io.IOHandler;

/** {@link LoadModelOptions} (and `TaskModel.load`'s options) as a zod schema. */
export const loadModelOptions = z.strictObject({
  registry: z
    .custom<Registry>((v) => typeof v === 'object' && v !== null, 'expected a Registry')
    .optional()
    .describe("The registry the model's parts are built from. Default: the global one"),
  fetch: fetchOption,
});

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** The registry the model's parts are built from. Default: the global one. */
  readonly registry?: Registry;
  /** The `fetch` a URL is read with. Default: the global `fetch`. */
  readonly fetch?: FetchLike;
}

/**
 * Saves a model through a `tf.io` IO handler: `modelTopology` carries `model.json`
 * (config, vocabularies, metadata, the weights' SHA-256), `weightSpecs`/`weightData` the
 * TensorFlow.js weights manifest and bytes. To write a model folder in Node use
 * `saveModel` from `@s2s/core/node`, which also writes `checksums.json` atomically.
 */
export async function saveModel(
  destination: tf.io.IOHandler,
  model: Seq2Seq,
  extras: ModelExtras = {},
): Promise<void> {
  if (typeof destination?.save !== 'function') {
    throw new ConfigError(
      `saveModel: expected a tf.io IO handler with a save method, found ${describe(destination)}; to write a folder in Node, import saveModel from '@s2s/core/node'`,
    );
  }
  const result = await destination.save(await modelArtifacts(model, extras));
  if (result.errors?.length) {
    const where = (destination as ModelIOHandler).locate?.(MODEL_FILE) ?? MODEL_FILE;
    throw new CheckpointError(where, `could not be saved: ${result.errors.join('; ')}`);
  }
}

/**
 * Rebuilds a model saved by {@link saveModel} through the registry, from the URL of its
 * folder (read with `fetch`, every file checked against the folder's `checksums.json`) or
 * from any `tf.io` IO handler. A missing, truncated, corrupted or mismatched file is a
 * {@link CheckpointError} naming the file and the problem. To read a folder in Node use
 * `loadModel` from `@s2s/core/node`.
 */
export async function loadModel(
  source: ModelSource,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const o = parseOptions('loadModel', loadModelOptions, options);
  const handler: ModelIOHandler =
    typeof source === 'string' || source instanceof URL
      ? modelFromURL(source, o.fetch ? { fetch: o.fetch } : {})
      : source;
  if (typeof handler?.load !== 'function') {
    throw new ConfigError(
      `loadModel: expected a URL or a tf.io IO handler with a load method, found ${describe(source)}`,
    );
  }
  const locate = (file: string) => handler.locate?.(file) ?? file;
  const artifacts = await handler.load();
  return modelFromArtifacts(artifacts, o.registry ?? globalRegistry, locate);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}
