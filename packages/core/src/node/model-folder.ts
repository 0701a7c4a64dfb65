import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import {
  type LoadModelOptions,
  loadModel as loadFrom,
  type ModelSource,
  saveModel as saveTo,
} from '../checkpoint/model-files.js';
import {
  type LoadedModel,
  MODEL_FILE,
  type ModelExtras,
  type ModelIOHandler,
} from '../checkpoint/model-format.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import { writeFolderAtomically } from './atomic-folder.js';
import { SealedFolder, sealFolder } from './sealed-folder.js';
import { readWeightSet, writeWeightSet } from './weight-files.js';

/**
 * A `tf.io` IO handler over a model folder: `save` writes `model.json`, `weights.json`,
 * `weights.bin` and `checksums.json` into a temporary sibling and renames it into place;
 * `load` reads them back with every read confined to the folder and checked against
 * `checksums.json` (size before reading, SHA-256 after).
 */
export function modelFolder(dir: string): ModelIOHandler {
  return {
    locate: (file) => join(dir, file),
    async save(artifacts) {
      const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
      const specs = artifacts.weightSpecs ?? [];
      const topology = `${JSON.stringify(artifacts.modelTopology, null, 2)}\n`;
      await writeFolderAtomically(dir, async (tmp) => {
        await writeWeightSet(tmp, { specs, data });
        await writeFile(join(tmp, MODEL_FILE), topology);
        await sealFolder(tmp);
      });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: Buffer.byteLength(topology),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(specs)),
          weightDataBytes: data.byteLength,
        },
      };
    },
    async load() {
      const folder = await SealedFolder.open(dir);
      const topology = await folder.json(MODEL_FILE);
      const { specs, data } = await readWeightSet(folder);
      return {
        modelTopology: topology as object,
        weightSpecs: specs,
        weightData: data.buffer.slice(
          data.byteOffset,
          data.byteOffset + data.byteLength,
        ) as ArrayBuffer,
      };
    },
  };
}

/**
 * Saves a model to the folder `destination` — `model.json` (config, vocabularies, metadata,
 * checksum), `weights.json` (TensorFlow.js weights manifest), `weights.bin` and
 * `checksums.json` (the size and SHA-256 of each, which {@link loadModel} requires), written
 * to a temporary folder and renamed into place — or through any `tf.io` IO handler.
 */
export function saveModel(
  destination: string | tf.io.IOHandler,
  model: Seq2Seq,
  extras: ModelExtras = {},
): Promise<void> {
  return saveTo(
    typeof destination === 'string' ? modelFolder(destination) : destination,
    model,
    extras,
  );
}

/**
 * Rebuilds a model saved by {@link saveModel} from a folder (a path or a `file:` URL), an
 * `http(s)` URL or any `tf.io` IO handler. A missing, truncated, corrupted or mismatched
 * file, a file not covered by `checksums.json` or a path leading out of the folder is a
 * `CheckpointError` naming the file and the problem.
 */
export function loadModel(
  source: string | URL | tf.io.IOHandler,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  return loadFrom(folderOr(source), options);
}

/** A folder path or `file:` URL as its IO handler; anything else as it is. */
function folderOr(source: string | URL | tf.io.IOHandler): ModelSource {
  if (source instanceof URL) {
    return source.protocol === 'file:' ? modelFolder(fileURLToPath(source)) : source;
  }
  if (typeof source !== 'string') return source;
  if (/^https?:\/\//i.test(source)) return source;
  return modelFolder(source.startsWith('file:') ? fileURLToPath(source) : source);
}
