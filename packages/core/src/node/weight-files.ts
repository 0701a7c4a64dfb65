import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import {
  decodeWeightSet,
  type EncodedWeights,
  encodeWeightSet,
  WEIGHTS_BINARY,
  WEIGHTS_MANIFEST,
  weightBytes,
  weightGroup,
  weightsManifest,
} from '../checkpoint/weight-manifest.js';
import { CheckpointError } from '../errors/errors.js';
import { SealedFolder } from './sealed-folder.js';

/**
 * Writes named tensors as a TensorFlow.js weights manifest plus binary into `dir`.
 * Returns the SHA-256 of the binary, which callers record to detect corruption.
 */
export async function writeWeights(
  dir: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<string> {
  return writeWeightSet(dir, await encodeWeightSet(tensors));
}

/** Writes an encoded weight set (manifest and binary) into `dir`; returns the binary's SHA-256. */
export async function writeWeightSet(dir: string, weights: EncodedWeights): Promise<string> {
  await writeFile(join(dir, WEIGHTS_BINARY), weights.data);
  await writeFile(
    join(dir, WEIGHTS_MANIFEST),
    `${JSON.stringify(weightsManifest(weights.specs), null, 1)}\n`,
  );
  return createHash('sha256').update(weights.data).digest('hex');
}

/**
 * Reads a weight set written by {@link writeWeights} from a sealed folder (or its `sub`
 * folder), validating the manifest, confining the shard's path to the folder, checking the
 * binary's size against the manifest before reading it, its checksums, and (when given)
 * `sha256`. The caller owns the returned tensors.
 */
export async function readWeights(
  source: string | SealedFolder,
  options: { sub?: string; sha256?: string } = {},
): Promise<Map<string, tf.Tensor>> {
  return decodeWeightSet(await readWeightSet(source, options));
}

/** Like {@link readWeights}, returning the checked specs and bytes instead of tensors. */
export async function readWeightSet(
  source: string | SealedFolder,
  options: { sub?: string; sha256?: string } = {},
): Promise<EncodedWeights> {
  const folder = typeof source === 'string' ? await SealedFolder.open(source) : source;
  const within = (name: string) => (options.sub ? `${options.sub}/${name}` : name);
  const manifestPath = join(folder.dir, within(WEIGHTS_MANIFEST));
  const { shard, specs } = weightGroup(await folder.json(within(WEIGHTS_MANIFEST)), manifestPath);
  const expected = weightBytes(specs, manifestPath);
  const binary = within(shard);
  const binaryPath = join(folder.dir, binary);
  const recorded = folder.bytes(binary);
  if (recorded !== undefined && recorded !== expected) {
    throw new CheckpointError(
      binaryPath,
      `has ${recorded} bytes, the manifest describes ${expected}`,
    );
  }
  const data = await folder.read(binary);
  if (
    options.sha256 !== undefined &&
    createHash('sha256').update(data).digest('hex') !== options.sha256
  ) {
    throw new CheckpointError(
      binaryPath,
      'does not match the checksum recorded with it: the file is corrupted',
    );
  }
  return { specs, data };
}
