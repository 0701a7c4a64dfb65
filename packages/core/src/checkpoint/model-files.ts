import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { CheckpointError, S2SError } from '../errors/errors.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { registry as globalRegistry, type Registry } from '../registry/registry.js';
import { Vocabulary, type VocabularyJSON } from '../vocabulary/vocabulary.js';
import { writeFolderAtomically } from './files.js';
import { SealedFolder, sealFolder } from './sealed-folder.js';
import { readWeights, WEIGHTS_BINARY, writeWeights } from './weight-files.js';
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

/** A model rebuilt by {@link loadModel}. */
export interface LoadedModel {
  readonly model: Seq2Seq;
  readonly vocabularies: { readonly source?: Vocabulary; readonly target?: Vocabulary };
  readonly metadata: Readonly<Record<string, unknown>>;
}

interface ModelFile {
  format: typeof FORMAT;
  version: number;
  config: ModelConfig;
  vocabularies: { source?: VocabularyJSON; target?: VocabularyJSON };
  metadata: Record<string, unknown>;
  weights: { binary: string; sha256: string };
}

/**
 * Saves a model to `dir`: `model.json` (config, vocabularies, metadata, checksum),
 * `weights.json` (TensorFlow.js weights manifest), `weights.bin` and `checksums.json` (the
 * size and SHA-256 of each, which {@link loadModel} requires). Written to a temporary
 * folder and renamed into place.
 */
export async function saveModel(
  dir: string,
  model: Seq2Seq,
  extras: ModelExtras = {},
): Promise<void> {
  const weights = exportWeights(model);
  try {
    await writeFolderAtomically(dir, async (tmp) => {
      const sha256 = await writeWeights(tmp, weights);
      const file: ModelFile = {
        format: FORMAT,
        version: VERSION,
        config: model.config,
        vocabularies: {
          ...(extras.vocabularies?.source ? { source: extras.vocabularies.source.toJSON() } : {}),
          ...(extras.vocabularies?.target ? { target: extras.vocabularies.target.toJSON() } : {}),
        },
        metadata: { ...extras.metadata },
        weights: { binary: WEIGHTS_BINARY, sha256 },
      };
      await writeFile(join(tmp, MODEL_FILE), `${JSON.stringify(file, null, 2)}\n`);
      await sealFolder(tmp);
    });
  } finally {
    for (const t of weights.values()) t.dispose();
  }
}

/**
 * Rebuilds a model saved by {@link saveModel} through the registry. A missing, truncated,
 * corrupted or mismatched file, a file not covered by `checksums.json` or a path leading out
 * of `dir` is a {@link CheckpointError} naming the file and the problem.
 */
export async function loadModel(
  dir: string,
  options: { registry?: Registry } = {},
): Promise<LoadedModel> {
  const path = join(dir, MODEL_FILE);
  const folder = await SealedFolder.open(dir);
  const file = (await folder.json(MODEL_FILE)) as Partial<ModelFile> | null;
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
    model = Seq2Seq.build(file.config, options.registry ?? globalRegistry);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    if (error instanceof S2SError)
      throw new CheckpointError(path, `cannot be rebuilt: ${error.message}`);
    throw error;
  }
  let weights: Map<string, tf.Tensor> | undefined;
  try {
    weights = await readWeights(folder, { sha256: file.weights.sha256 });
    importWeights(model, weights, join(dir, WEIGHTS_BINARY));
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    for (const t of weights?.values() ?? []) t.dispose();
  }
  return { model, vocabularies, metadata: file.metadata ?? {} };
}
