import * as tf from '@tensorflow/tfjs';
import type { SourceInputs } from '../contracts/encoder.js';
import { ShapeError } from '../errors/errors.js';

/**
 * One training batch, batch-major and right-padded. Masks are float32, 1 at real positions.
 */
export interface Batch {
  /** `[B, S]` int32 token ids, or `[B, S, F]` float32 feature frames. */
  readonly source: tf.Tensor;
  /** `[B, S]`. */
  readonly sourceMask: tf.Tensor2D;
  /** `[B, T]` int32 decoder inputs: `<bos> y_1 … y_{T-1}`. */
  readonly targetIn: tf.Tensor2D;
  /** `[B, T]` int32 gold outputs: `y_1 … y_T` where y_T is `<eos>`. */
  readonly targetOut: tf.Tensor2D;
  /** `[B, T]`. */
  readonly targetMask: tf.Tensor2D;
  /** Further named source inputs (see {@link SourceInputs}). */
  readonly inputs?: SourceInputs;
}

/** Special ids a batch is built with. */
export interface BatchSpecials {
  readonly pad: number;
  readonly bos: number;
  readonly eos: number;
}

/**
 * Pads token-id sequences into a {@link Batch}. Targets are framed as `<bos> y` (inputs)
 * and `y <eos>` (outputs). Empty sources are rejected: there is nothing to attend to.
 */
export function makeBatch(
  sources: readonly (readonly number[])[],
  targets: readonly (readonly number[])[],
  specials: BatchSpecials,
): Batch {
  if (sources.length === 0 || sources.length !== targets.length) {
    throw new ShapeError(
      'batch',
      'as many targets as sources, at least one',
      `${sources.length} sources and ${targets.length} targets`,
    );
  }
  const source = padIds(sources, specials.pad, 'source');
  const targetIn = padIds(
    targets.map((t) => [specials.bos, ...t]),
    specials.pad,
    'target',
  );
  const targetOut = padIds(
    targets.map((t) => [...t, specials.eos]),
    specials.pad,
    'target',
  );
  return {
    source: tf.tensor2d(source.ids, [sources.length, source.width], 'int32'),
    sourceMask: tf.tensor2d(source.mask, [sources.length, source.width], 'float32'),
    targetIn: tf.tensor2d(targetIn.ids, [targets.length, targetIn.width], 'int32'),
    targetOut: tf.tensor2d(targetOut.ids, [targets.length, targetOut.width], 'int32'),
    targetMask: tf.tensor2d(targetOut.mask, [targets.length, targetOut.width], 'float32'),
  };
}

/**
 * Pads token-id sequences to `[B, S]` ids and mask. Used for sources at inference time.
 */
export function padSequences(
  sequences: readonly (readonly number[])[],
  pad: number,
): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const { ids, mask, width } = padIds(sequences, pad, 'source');
  const shape: [number, number] = [sequences.length, width];
  return { ids: tf.tensor2d(ids, shape, 'int32'), mask: tf.tensor2d(mask, shape, 'float32') };
}

/** Disposes every tensor of a batch, its named source inputs included. */
export function disposeBatch(batch: Batch): void {
  for (const t of [
    batch.source,
    batch.sourceMask,
    batch.targetIn,
    batch.targetOut,
    batch.targetMask,
    ...Object.values(batch.inputs ?? {}),
  ]) {
    t.dispose();
  }
}

function padIds(
  sequences: readonly (readonly number[])[],
  pad: number,
  what: string,
): { ids: Int32Array; mask: Float32Array; width: number } {
  let width = 0;
  sequences.forEach((seq, row) => {
    if (seq.length === 0)
      throw new ShapeError(`${what} ${row}`, 'at least one token', 'an empty sequence');
    width = Math.max(width, seq.length);
  });
  const ids = new Int32Array(sequences.length * width).fill(pad);
  const mask = new Float32Array(sequences.length * width);
  sequences.forEach((seq, row) => {
    ids.set(seq, row * width);
    mask.fill(1, row * width, row * width + seq.length);
  });
  return { ids, mask, width };
}
