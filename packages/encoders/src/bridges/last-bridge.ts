import {
  type Bridge,
  type BuildContext,
  knownOptions,
  type Memory,
  positiveInt,
  type RunOptions,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { type FinalStates, finalSize, finalStatesOption, readFinal } from './bridge-sizes.js';

/** Options of {@link LastStateBridge}. */
export interface LastStateBridgeOptions {
  /** Size of the final state(s) read; filled in from the encoder. */
  readonly size: number;
  /** `top` (default): the top layer's final state; `all`: every layer's, bottom first. */
  readonly from?: FinalStates;
}

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
    this.outputSize = positiveInt('last bridge', 'size', options.size);
    this.from = finalStatesOption('last bridge', options.from);
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
  knownOptions(owner, options, ['from']);
  const from = finalStatesOption(owner, options.from);
  return new LastStateBridge({ size: finalSize(owner, context, from), from });
}
