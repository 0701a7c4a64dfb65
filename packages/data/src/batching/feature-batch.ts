import { type Batch, type BatchSpecials, padSequences, ShapeError } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import type { Features } from '../audio/features.js';

/**
 * Pads feature sequences (speech) into a {@link Batch}: `source` is `[B, S, F]` float32,
 * zero after each row's last frame, with its `[B, S]` mask; targets are framed as in core's
 * `makeBatch` (`<bos> y` in, `y <eos>` out) by core's `padSequences`.
 */
export function makeFeatureBatch(
  sources: readonly Features[],
  targets: readonly (readonly number[])[],
  specials: BatchSpecials,
): Batch {
  if (sources.length === 0 || sources.length !== targets.length) {
    throw new ShapeError(
      'feature batch',
      'as many targets as sources, at least one',
      `${sources.length} sources and ${targets.length} targets`,
    );
  }
  const f = sources[0]!.features;
  let s = 0;
  sources.forEach((source, row) => {
    if (source.features !== f) {
      throw new ShapeError(
        `feature source ${row}`,
        `${f} features per frame`,
        `${source.features}`,
      );
    }
    if (source.frames === 0)
      throw new ShapeError(`feature source ${row}`, 'at least one frame', '0');
    s = Math.max(s, source.frames);
  });
  const b = sources.length;
  const data = new Float32Array(b * s * f);
  const mask = new Float32Array(b * s);
  sources.forEach((source, row) => {
    data.set(source.data.subarray(0, source.frames * f), row * s * f);
    mask.fill(1, row * s, row * s + source.frames);
  });
  const targetIn = padSequences(
    targets.map((t) => [specials.bos, ...t]),
    specials.pad,
  );
  const targetOut = padSequences(
    targets.map((t) => [...t, specials.eos]),
    specials.pad,
  );
  targetIn.mask.dispose();
  return {
    source: tf.tensor3d(data, [b, s, f], 'float32'),
    sourceMask: tf.tensor2d(mask, [b, s], 'float32'),
    targetIn: targetIn.ids,
    targetOut: targetOut.ids,
    targetMask: targetOut.mask,
  };
}
