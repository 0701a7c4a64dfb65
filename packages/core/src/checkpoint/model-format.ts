import * as tf from '@tensorflow/tfjs';
import { CheckpointError, S2SError } from '../errors/errors.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import type { Registry } from '../registry/registry.js';
import { Vocabulary, type VocabularyJSON } from '../vocabulary/vocabulary.js';
import { sha256Hex } from './checksums.js';
import {
  decodeWeightSet,
  encodeWeightSet,
  WEIGHTS_BINARY,
  WEIGHTS_MANIFEST,
  weightBytes,
} from './weight-manifest.js';
import { exportWeights, importWeights } from './weights.js';

/** The file that describes a saved model. */
export const MODEL_FILE = 'model.json';
const FORMAT = 's2s-model';
const VERSION = 1;

/** What is saved beside the weights. */
export interface ModelExtras {
  readonly vocabularies?: { readonly source?: Vocabulary; readonly target?: Vocabulary };
  /** Anything JSON the task wants back (tokenizer configs, training summary). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A model rebuilt by `loadModel`. */
export interface LoadedModel {
  readonly model: Seq2Seq;
  readonly vocabularies: { readonly source?: Vocabulary; readonly target?: Vocabulary };
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * A `tf.io` IO handler that can also say where each file of the model lives (a path or a
 * URL), so a {@link CheckpointError} names the file that was wrong.
 */
export interface ModelIOHandler extends tf.io.IOHandler {
  /** Where `file` (`model.json`, `weights.bin`, …) of this model is, as errors show it. */
  locate?(file: string): string;
}

/** The content of `model.json`, carried as the `modelTopology` of the model's artifacts. */
interface ModelFile {
  format: typeof FORMAT;
  version: number;
  config: ModelConfig;
  vocabularies: { source?: VocabularyJSON; target?: VocabularyJSON };
  metadata: Record<string, unknown>;
  weights: { binary: string; sha256: string };
}

/**
 * The `tf.io` model artifacts of a model: `modelTopology` is the content of `model.json`
 * (config, vocabularies, metadata, the weights' SHA-256), `weightSpecs` and `weightData`
 * are the TensorFlow.js weights manifest entries and bytes.
 */
export async function modelArtifacts(
  model: Seq2Seq,
  extras: ModelExtras = {},
): Promise<tf.io.ModelArtifacts> {
  const weights = exportWeights(model);
  let encoded: Awaited<ReturnType<typeof encodeWeightSet>>;
  try {
    encoded = await encodeWeightSet(weights);
  } finally {
    for (const t of weights.values()) t.dispose();
  }
  const file: ModelFile = {
    format: FORMAT,
    version: VERSION,
    config: model.config,
    vocabularies: {
      ...(extras.vocabularies?.source ? { source: extras.vocabularies.source.toJSON() } : {}),
      ...(extras.vocabularies?.target ? { target: extras.vocabularies.target.toJSON() } : {}),
    },
    metadata: { ...extras.metadata },
    weights: { binary: WEIGHTS_BINARY, sha256: await sha256Hex(encoded.data) },
  };
  return {
    format: FORMAT,
    generatedBy: '@s2s/core',
    modelTopology: file,
    weightSpecs: encoded.specs,
    weightData: encoded.data.buffer as ArrayBuffer,
  };
}

/**
 * Rebuilds a model from its artifacts through the registry, checking everything first: the
 * format and version of `model.json`, the weight specs, the size of the weight bytes and
 * their SHA-256 against the one recorded in `model.json`, vocabularies no larger than the
 * model. `locate` names files in errors. A failure frees every tensor it made.
 */
export async function modelFromArtifacts(
  artifacts: tf.io.ModelArtifacts,
  registry: Registry,
  locate: (file: string) => string,
): Promise<LoadedModel> {
  const path = locate(MODEL_FILE);
  const topology = artifacts.modelTopology;
  const file = (topology instanceof ArrayBuffer ? undefined : topology) as
    | Partial<ModelFile>
    | undefined;
  if (!file || file.format !== FORMAT) {
    throw new CheckpointError(path, `is not an s2s model file (expected format '${FORMAT}')`);
  }
  if (file.version !== VERSION) {
    throw new CheckpointError(
      path,
      `has version ${file.version}; this @s2s/core reads version ${VERSION}`,
    );
  }
  if (!file.config || !file.weights || typeof file.weights.sha256 !== 'string') {
    throw new CheckpointError(path, "is missing its 'config' or 'weights' entry");
  }
  const binaryPath = locate(WEIGHTS_BINARY);
  const specs = artifacts.weightSpecs ?? [];
  const expected = weightBytes(specs, locate(WEIGHTS_MANIFEST));
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
  if (data.byteLength !== expected) {
    throw new CheckpointError(
      binaryPath,
      `has ${data.byteLength} bytes, the manifest describes ${expected}`,
    );
  }
  if ((await sha256Hex(data)) !== file.weights.sha256) {
    throw new CheckpointError(
      binaryPath,
      'does not match the checksum recorded with it: the file is corrupted',
    );
  }
  let model: Seq2Seq;
  let vocabularies: LoadedModel['vocabularies'];
  try {
    vocabularies = {
      ...(file.vocabularies?.source
        ? { source: Vocabulary.fromJSON(file.vocabularies.source) }
        : {}),
      ...(file.vocabularies?.target
        ? { target: Vocabulary.fromJSON(file.vocabularies.target) }
        : {}),
    };
    for (const side of ['source', 'target'] as const) {
      const size = vocabularies[side]?.size;
      const modelSize = (file.config as Partial<ModelConfig>)[side]?.vocabSize;
      if (size !== undefined && modelSize !== undefined && size > modelSize) {
        throw new CheckpointError(
          path,
          `the ${side} vocabulary has ${size} tokens, the model only ${modelSize}`,
        );
      }
    }
    model = Seq2Seq.build(file.config, registry);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    if (error instanceof S2SError)
      throw new CheckpointError(path, `cannot be rebuilt: ${error.message}`);
    throw error;
  }
  let weights: Map<string, tf.Tensor> | undefined;
  try {
    weights = decodeWeightSet({ specs, data });
    importWeights(model, weights, binaryPath);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    for (const t of weights?.values() ?? []) t.dispose();
  }
  return { model, vocabularies, metadata: file.metadata ?? {} };
}
