import { type BuildContext, ConfigError, type Memory } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

/**
 * Which final states a bridge reads: the top layer's, or every layer's concatenated bottom
 * first, so a decoder with as many layers can start layer l from encoder layer l
 * (Sutskever et al. 2014).
 */
export type FinalStates = 'top' | 'all';

/** The `from` option of a bridge, default `top`. */
export const fromOption = z
  .enum(['top', 'all'])
  .default('top')
  .describe("Which final states to read: the top layer's, or every layer's, bottom first");

/** The `size` option of a bridge with a projection; default the size the decoder asks for. */
export const sizeOption = z
  .int()
  .positive()
  .optional()
  .describe('Size of the context; default the size the decoder asks for');

/** Size of the final state(s) a bridge reads, from the sizes a decoder passes to it. */
export function finalSize(owner: string, context: BuildContext, from: FinalStates): number {
  const final = context.sizes.final;
  if (!final || final.length === 0) {
    throw new ConfigError(`${owner}: needs the encoder's final state sizes (sizes.final)`);
  }
  return from === 'top' ? final[final.length - 1]! : final.reduce((a, b) => a + b, 0);
}

/** `[B, size]`: the top final state, or every layer's concatenated (a fresh tensor). */
export function readFinal(memory: Memory, from: FinalStates): tf.Tensor2D {
  return from === 'top'
    ? memory.final[memory.final.length - 1]!.clone()
    : (tf.concat([...memory.final], 1) as tf.Tensor2D);
}

/** Size of the encoder states, from the sizes a decoder passes to its bridge. */
export function memorySize(owner: string, context: BuildContext): number {
  if (context.sizes.memory === undefined) {
    throw new ConfigError(`${owner}: needs the encoder's state size (sizes.memory)`);
  }
  return context.sizes.memory;
}

/** The context size a bridge with parameters produces: option `size`, else the decoder's. */
export function outputSize(owner: string, size: number | undefined, context: BuildContext): number {
  const query = context.sizes.query;
  if (size !== undefined) {
    if (query !== undefined && query !== size) {
      throw new ConfigError(
        `${owner}: option '${context.path}.size' is ${size} but the decoder asks for ${query}; leave 'size' out or make them equal`,
      );
    }
    return size;
  }
  if (query === undefined) {
    throw new ConfigError(
      `${owner}: set option 'size' or build it with the size the decoder asks for (sizes.query)`,
    );
  }
  return query;
}
