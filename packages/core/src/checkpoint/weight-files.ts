import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors/errors.js';
import { readCheckpointFile, readCheckpointJSON } from './files.js';

/** File names of a weight set: a TensorFlow.js weights manifest and its one binary shard. */
export const WEIGHTS_MANIFEST = 'weights.json';
export const WEIGHTS_BINARY = 'weights.bin';

/**
 * Writes named tensors as a TensorFlow.js weights manifest plus binary into `dir`.
 * Returns the SHA-256 of the binary, which callers record to detect corruption.
 */
export async function writeWeights(
  dir: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<string> {
  const named = [...tensors].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BINARY], weights: specs }];
  const bytes = new Uint8Array(data);
  await writeFile(join(dir, WEIGHTS_BINARY), bytes);
  await writeFile(join(dir, WEIGHTS_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a weight set written by {@link writeWeights}, validating the manifest, the binary's
 * length and (when given) its SHA-256. The caller owns the returned tensors.
 */
export async function readWeights(dir: string, sha256?: string): Promise<Map<string, tf.Tensor>> {
  const manifestPath = join(dir, WEIGHTS_MANIFEST);
  const manifest = await readCheckpointJSON(manifestPath);
  const group = Array.isArray(manifest) && manifest.length === 1 ? manifest[0] : undefined;
  if (
    !group ||
    !Array.isArray(group.paths) ||
    group.paths.length !== 1 ||
    !Array.isArray(group.weights)
  ) {
    throw new CheckpointError(
      manifestPath,
      'expected a weights manifest with one group of one shard',
    );
  }
  const specs = group.weights as tf.io.WeightsManifestEntry[];
  let expected = 0;
  for (const spec of specs) {
    if (
      typeof spec?.name !== 'string' ||
      !Array.isArray(spec.shape) ||
      !(spec.dtype in DTYPE_BYTES)
    ) {
      throw new CheckpointError(manifestPath, `malformed weight entry ${JSON.stringify(spec)}`);
    }
    expected +=
      spec.shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[spec.dtype as Dtype];
  }
  const binaryPath = join(dir, String(group.paths[0]));
  const buffer = await readCheckpointFile(binaryPath);
  if (buffer.byteLength < expected) {
    throw new CheckpointError(
      binaryPath,
      `is truncated: ${buffer.byteLength} bytes, the manifest describes ${expected}`,
    );
  }
  if (buffer.byteLength > expected) {
    throw new CheckpointError(
      binaryPath,
      `has ${buffer.byteLength} bytes, the manifest describes only ${expected}`,
    );
  }
  if (sha256 !== undefined && createHash('sha256').update(buffer).digest('hex') !== sha256) {
    throw new CheckpointError(
      binaryPath,
      'does not match the checksum recorded with it: the file is corrupted',
    );
  }
  const data = buffer.buffer.slice(
    buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength,
  ) as ArrayBuffer;
  return new Map(Object.entries(tf.io.decodeWeights(data, specs)));
}

type Dtype = 'float32' | 'int32' | 'bool';
const DTYPE_BYTES: Record<Dtype, number> = { float32: 4, int32: 4, bool: 1 };
