import * as tf from '@tensorflow/tfjs';
import type { Memory } from '../contracts/memory.js';

/**
 * A random memory with right-padded rows: real states are N(0, 1); padded states hold
 * `garbage` (default large random values) so a module that fails to mask shows it.
 */
export function randomMemory(options: {
  readonly lengths: readonly number[];
  readonly width?: number;
  readonly size: number;
  readonly finalSizes?: readonly number[];
  readonly seed: number;
  readonly garbageSeed?: number;
}): Memory {
  const width = options.width ?? Math.max(...options.lengths);
  const b = options.lengths.length;
  return tf.tidy(() => {
    const mask = lengthMask(options.lengths, width);
    const real = tf.randomNormal([b, width, options.size], 0, 1, 'float32', options.seed);
    const garbage = tf.randomNormal(
      [b, width, options.size],
      0,
      10,
      'float32',
      options.garbageSeed ?? options.seed + 1,
    );
    const keep = tf.broadcastTo(mask.expandDims(2).cast('bool'), real.shape);
    const states = tf.where(keep, real, garbage) as tf.Tensor3D;
    const final = (options.finalSizes ?? [options.size]).map(
      (h, l) => tf.randomNormal([b, h], 0, 1, 'float32', options.seed + 100 + l) as tf.Tensor2D,
    );
    return { states, mask, final };
  }) as Memory;
}

/**
 * The same memory with its first `lengths[r]` positions of row `r` only: what the row
 * would get if it were encoded alone.
 */
export function memoryRow(memory: Memory, row: number, length: number): Memory {
  return tf.tidy(() => ({
    states: memory.states.slice([row, 0, 0], [1, length, -1]) as tf.Tensor3D,
    mask: memory.mask.slice([row, 0], [1, length]) as tf.Tensor2D,
    final: memory.final.map((f) => f.slice(row, 1) as tf.Tensor2D),
  })) as Memory;
}

/** The same memory with `extra` more padded positions holding different garbage. */
export function widenMemory(memory: Memory, extra: number, seed: number): Memory {
  return tf.tidy(() => {
    const [b, s, h] = memory.states.shape;
    const mask = tf.concat([memory.mask, tf.zeros([b, extra])], 1) as tf.Tensor2D;
    const garbage = tf.randomNormal([b, s + extra, h], 0, 10, 'float32', seed);
    const padded = tf.pad(memory.states, [
      [0, 0],
      [0, extra],
      [0, 0],
    ]);
    const keep = tf.broadcastTo(mask.expandDims(2).cast('bool'), [b, s + extra, h]);
    return {
      states: tf.where(keep, padded, garbage) as tf.Tensor3D,
      mask,
      final: memory.final.map((f) => f.clone()),
    };
  }) as Memory;
}

/** `[B, S]` float32 mask for right-padded lengths, padded to `width`. */
export function lengthMask(lengths: readonly number[], width: number): tf.Tensor2D {
  const data = new Float32Array(lengths.length * width);
  lengths.forEach((len, row) => data.fill(1, row * width, row * width + len));
  return tf.tensor2d(data, [lengths.length, width]);
}
