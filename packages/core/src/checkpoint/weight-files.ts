import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors/errors.js';
import { SealedFolder } from './sealed-folder.js';

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
 * Reads a weight set written by {@link writeWeights} from a sealed folder (or its `sub`
 * folder), validating the manifest, confining the shard's path to the folder, checking the
 * binary's size against the manifest before reading it, its checksums, and (when given)
 * `sha256`. The caller owns the returned tensors.
 */
export async function readWeights(
  source: string | SealedFolder,
  options: { sub?: string; sha256?: string } = {},
): Promise<Map<string, tf.Tensor>> {
  const folder = typeof source === 'string' ? await SealedFolder.open(source) : source;
  const within = (name: string) => (options.sub ? `${options.sub}/${name}` : name);
  const manifestPath = join(folder.dir, within(WEIGHTS_MANIFEST));
  const manifest = await folder.json(within(WEIGHTS_MANIFEST));
  const group = Array.isArray(manifest) && manifest.length === 1 ? manifest[0] : undefined;
  if (
    !group ||
    !Array.isArray(group.paths) ||
    group.paths.length !== 1 ||
    typeof group.paths[0] !== 'string' ||
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
      !spec.shape.every((d: unknown) => Number.isSafeInteger(d) && (d as number) >= 0) ||
      typeof spec.dtype !== 'string' ||
      !Object.hasOwn(DTYPE_BYTES, spec.dtype) ||
      spec.quantization !== undefined
    ) {
      throw new CheckpointError(
        manifestPath,
        `malformed weight entry ${JSON.stringify(spec)}: expected a name, a shape of non-negative integers and a dtype of ${Object.keys(DTYPE_BYTES).join(', ')}`,
      );
    }
    expected +=
      spec.shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[spec.dtype as Dtype];
  }
  const binary = within(group.paths[0]);
  const binaryPath = join(folder.dir, binary);
  const recorded = folder.bytes(binary);
  if (recorded !== undefined && recorded !== expected) {
    throw new CheckpointError(
      binaryPath,
      `has ${recorded} bytes, the manifest describes ${expected}`,
    );
  }
  const buffer = await folder.read(binary);
  if (
    options.sha256 !== undefined &&
    createHash('sha256').update(buffer).digest('hex') !== options.sha256
  ) {
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
