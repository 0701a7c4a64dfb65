import {
  ConfigError,
  type DecoderCache,
  type DecoderState,
  gatherTree,
  type Memory,
  mapTree,
  type StepModel,
  tidyTree,
  treeLeaves,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/**
 * `model.prepare(memory)`, owned by the caller: a model may hand parts of `memory` back
 * inside its cache (`Seq2Seq` keeps the memory itself there), and a strategy that disposed
 * them would free its caller's tensors. Those leaves are cloned (which shares the data).
 */
export function prepareCache(model: StepModel, memory: Memory): DecoderCache {
  const given = new Set(treeLeaves(memory));
  return tidyTree(() => mapTree(model.prepare(memory), (t) => (given.has(t) ? t.clone() : t)));
}

/**
 * The model's cache with every source's rows repeated `copies` times, source-major
 * (`[B·k, …]`, rows `s·k … s·k+k−1` belong to source s). Done once per search: the rows of
 * one source are identical, so reordering hypotheses within a source never touches it.
 */
export function expandedCache(model: StepModel, memory: Memory, copies: number): DecoderCache {
  const cache = prepareCache(model, memory);
  if (copies === 1) return cache;
  const b = memory.states.shape[0];
  const rows = tf.tensor1d(repeatEach(b, copies), 'int32');
  try {
    return gatherTree(cache, rows);
  } finally {
    rows.dispose();
    tf.dispose(treeLeaves(cache));
  }
}

/** `[0, …, 0, 1, …, 1, …]`: each of `n` indices `copies` times. */
export function repeatEach(n: number, copies: number): number[] {
  return Array.from({ length: n * copies }, (_, i) => Math.floor(i / copies));
}

/**
 * Flattens `parts` into one buffer and reads it back in a single host read (the one read a
 * decoding step may make), disposing what it created. Integer values (token ids) travel
 * as float32, exact below 2^24.
 */
export async function readOnce(parts: readonly tf.Tensor[]): Promise<Float32Array> {
  const packed = tf.tidy(() => tf.concat(parts.map((p) => p.toFloat().reshape([-1]))));
  try {
    return (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
}

/** Number of real positions of each source, from `memory.mask` (one host read). */
export async function sourceLengths(memory: Memory): Promise<number[]> {
  const sums = tf.tidy(() => tf.sum(memory.mask, 1));
  try {
    return Array.from(await sums.data(), (x) => Math.round(x));
  } finally {
    sums.dispose();
  }
}

/** Refuses flat indices that float32 cannot carry exactly through {@link readOnce}. */
export function assertExactIndices(owner: string, count: number): void {
  if (count > 2 ** 24) {
    throw new ConfigError(
      `${owner}: ${count} candidates per source exceed 2^24, the largest index read back exactly; use a smaller beam`,
    );
  }
}

/** One tree whose every leaf is the row-wise concatenation of the trees' leaves (new tensors). */
export function concatRows(trees: readonly DecoderState[]): DecoderState {
  const leaves = trees.map((tree) => treeLeaves(tree));
  let i = 0;
  // mapTree visits leaves in the order treeLeaves lists them.
  return mapTree(trees[0]!, () => {
    const j = i++;
    return tf.concat(leaves.map((l) => l[j]!));
  });
}
