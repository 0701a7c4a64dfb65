import {
  type Bridge,
  type BuildContext,
  type Memory,
  parseOptions,
  type RunOptions,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { type FinalStates, finalSize, fromOption, readFinal } from './bridge-sizes.js';

/** Options of {@link LastStateBridge}. */
export interface LastStateBridgeOptions {
  /** Size of the final state(s) read; filled in from the encoder. */
  readonly size: number;
  /** `top` (default): the top layer's final state; `all`: every layer's, bottom first. */
  readonly from?: FinalStates;
}

/** The options `{ name: 'last', … }` takes in a model config, with their defaults. */
export const lastBridgeOptions = z.strictObject({ from: fromOption });

const constructorOptions = lastBridgeOptions.extend({
  size: z.int().positive().describe('Size of the final state(s) read; filled in from the encoder'),
});

/**
 * c = h_S, the encoder's final state taken at each row's last real position, as the
 * decoder's initial state (Sutskever et al. 2014): the top layer's, or with `from: 'all'`
 * every layer's concatenated. No parameters, so its size is the encoder's; the decoder
 * checks that it can start from it.
 */
export class LastStateBridge implements Bridge {
  readonly outputSize: number;
  private readonly from: FinalStates;

  constructor(options: LastStateBridgeOptions) {
    const o = parseOptions('last bridge', constructorOptions, options);
    this.outputSize = o.size;
    this.from = o.from;
  }

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return readFinal(memory, this.from);
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return new Map();
  }

  dispose(): void {}
}

/** Registry factory: `{ name: 'last', from? }`. */
export function createLastStateBridge(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): LastStateBridge {
  const owner = 'last bridge';
  const { from } = parseOptions(owner, lastBridgeOptions, options, context.path);
  return new LastStateBridge({ size: finalSize(owner, context, from), from });
}
