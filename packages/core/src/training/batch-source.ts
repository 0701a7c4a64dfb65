import type { Batch } from '../model/batch.js';

/**
 * Where a trainer gets its batches. The order of an epoch must be a pure function of the
 * source's seed and the epoch number, so training can resume exactly at (epoch, batch).
 * The trainer disposes each batch after using it.
 */
export interface BatchSource {
  /** Batches per epoch, when known (for progress and ETA). */
  readonly length?: number;
  /** The batches of epoch `index` (0-based), in order. */
  epoch(index: number): Iterable<Batch>;
}
