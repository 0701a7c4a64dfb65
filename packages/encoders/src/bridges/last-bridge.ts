import {
  type Bridge,
  type BuildContext,
  ConfigError,
  knownOptions,
  type Memory,
  type RunOptions,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { topFinalSize } from './bridge-sizes.js';

/**
 * c = h_S of the top layer: the encoder's top final state, taken at each row's last real
 * position, as the decoder's initial state (Sutskever et al. 2014). No parameters, so the
 * decoder's hidden size must equal the encoder's top final size.
 */
export class LastStateBridge implements Bridge {
  constructor(readonly outputSize: number) {}

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return memory.final[memory.final.length - 1]!.clone();
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return new Map();
  }

  dispose(): void {}
}

/** Registry factory: `{ name: 'last' }`. */
export function createLastStateBridge(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): LastStateBridge {
  knownOptions('last bridge', options, []);
  const size = topFinalSize('last bridge', context);
  const query = context.sizes.query;
  if (query !== undefined && query !== size) {
    throw new ConfigError(
      `last bridge: the encoder's top final state has size ${size} but the decoder needs ${query}; use the 'projected' bridge or make the sizes equal`,
    );
  }
  return new LastStateBridge(size);
}
