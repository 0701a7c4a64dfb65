import {
  type Bridge,
  type BuildContext,
  knownOptions,
  type Memory,
  positiveInt,
  type RunOptions,
} from '@s2s/core';
import type * as tf from '@tensorflow/tfjs';
import { outputSize, topFinalSize } from './bridge-sizes.js';
import { TanhProjection } from './tanh-projection.js';

/** Options of {@link ProjectedBridge}. */
export interface ProjectedBridgeOptions {
  /** Size of the encoder's top final state; filled in from the encoder. */
  readonly finalSize: number;
  /** Size of the context, usually the decoder's hidden size. */
  readonly size: number;
}

/**
 * c = tanh(W·h_S + b) of the encoder's top final state h_S, as Cho et al. (2014) start
 * their decoder: it works whatever the encoder's and the decoder's sizes, and a
 * bidirectional encoder's `[→h; ←h]` final state is mixed into one vector.
 */
export class ProjectedBridge implements Bridge {
  readonly outputSize: number;
  private readonly projection: TanhProjection;

  constructor(options: ProjectedBridgeOptions, seed: number) {
    const f = positiveInt('projected bridge', 'finalSize', options.finalSize);
    this.outputSize = positiveInt('projected bridge', 'size', options.size);
    this.projection = new TanhProjection(f, this.outputSize, seed);
  }

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return this.projection.apply(memory.final[memory.final.length - 1]!);
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.projection.parameters();
  }

  dispose(): void {
    this.projection.dispose();
  }
}

/** Registry factory: `{ name: 'projected', size? }`; `size` defaults to the decoder's hidden size. */
export function createProjectedBridge(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): ProjectedBridge {
  const owner = 'projected bridge';
  knownOptions(owner, options, ['size']);
  return new ProjectedBridge(
    { finalSize: topFinalSize(owner, context), size: outputSize(owner, options.size, context) },
    context.seed,
  );
}
