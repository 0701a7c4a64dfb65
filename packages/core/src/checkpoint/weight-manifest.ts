import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors/errors.js';

/** File names of a weight set: a TensorFlow.js weights manifest and its one binary shard. */
export const WEIGHTS_MANIFEST = 'weights.json';
export const WEIGHTS_BINARY = 'weights.bin';

/** One weight set in memory: the manifest entries and the bytes they describe. */
export interface EncodedWeights {
  readonly specs: tf.io.WeightsManifestEntry[];
  readonly data: Uint8Array;
}

/** Encodes named tensors as TensorFlow.js weight specs and one binary buffer. */
export async function encodeWeightSet(
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<EncodedWeights> {
  const named = [...tensors].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return { specs, data: new Uint8Array(data) };
}

/** The manifest of a weight set stored as one shard named {@link WEIGHTS_BINARY}. */
export function weightsManifest(
  specs: readonly tf.io.WeightsManifestEntry[],
): tf.io.WeightsManifestConfig {
  return [{ paths: [WEIGHTS_BINARY], weights: [...specs] }];
}

/**
 * Checks a parsed `weights.json` read from `where`: one group with one shard. Returns the
 * shard's path as written (the caller confines it) and the validated specs.
 */
export function weightGroup(
  manifest: unknown,
  where: string,
): { shard: string; specs: tf.io.WeightsManifestEntry[] } {
  const group = Array.isArray(manifest) && manifest.length === 1 ? manifest[0] : undefined;
  if (
    !group ||
    !Array.isArray(group.paths) ||
    group.paths.length !== 1 ||
    typeof group.paths[0] !== 'string' ||
    !Array.isArray(group.weights)
  ) {
    throw new CheckpointError(where, 'expected a weights manifest with one group of one shard');
  }
  weightBytes(group.weights, where);
  return { shard: group.paths[0], specs: group.weights };
}

/**
 * The number of bytes `specs` describe, validating each entry (a name, a shape of
 * non-negative integers, a real dtype, no quantization); a bad entry is a
 * {@link CheckpointError} naming `where`.
 */
export function weightBytes(specs: unknown, where: string): number {
  if (!Array.isArray(specs)) throw new CheckpointError(where, 'expected a list of weight specs');
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
        where,
        `malformed weight entry ${JSON.stringify(spec)}: expected a name, a shape of non-negative integers and a dtype of ${Object.keys(DTYPE_BYTES).join(', ')}`,
      );
    }
    expected +=
      spec.shape.reduce((a: number, b: number) => a * b, 1) * DTYPE_BYTES[spec.dtype as Dtype];
  }
  return expected;
}

/** Decodes a weight set into tensors by name; the caller owns them. */
export function decodeWeightSet(weights: EncodedWeights): Map<string, tf.Tensor> {
  const { data } = weights;
  const buffer = data.buffer.slice(
    data.byteOffset,
    data.byteOffset + data.byteLength,
  ) as ArrayBuffer;
  return new Map(Object.entries(tf.io.decodeWeights(buffer, weights.specs)));
}

type Dtype = 'float32' | 'int32' | 'bool';
const DTYPE_BYTES: Record<Dtype, number> = { float32: 4, int32: 4, bool: 1 };
