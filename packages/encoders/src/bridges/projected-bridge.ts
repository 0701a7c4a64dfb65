import {
  type Bridge,
  type BuildContext,
  knownOptions,
  type Memory,
  positiveInt,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import {
  type FinalStates,
  finalSize,
  finalStatesOption,
  outputSize,
  readFinal,
} from './bridge-sizes.js';
import { TanhProjection } from './tanh-projection.js';

/** Options of {@link ProjectedBridge}. */
export interface ProjectedBridgeOptions {
  /** Size of the final state(s) read; filled in from the encoder. */
  readonly finalSize: number;
  /** Size of the context, usually what the decoder asks for. */
  readonly size: number;
  /** `top` (default): the top layer's final state; `all`: every layer's, bottom first. */
  readonly from?: FinalStates;
}

/**
 * c = tanh(W·h_S + b) of the encoder's final state h_S (the top layer's, or with
 * `from: 'all'` every layer's concatenated), as Cho et al. (2014) start their decoder: it
 * works whatever the encoder's and the decoder's sizes, and mixes a bidirectional
 * encoder's `[→h; ←h]` into one vector.
 */
export class ProjectedBridge implements Bridge {
  readonly outputSize: number;
  private readonly projection: TanhProjection;
  private readonly from: FinalStates;

  constructor(options: ProjectedBridgeOptions, seed: number) {
    const f = positiveInt('projected bridge', 'finalSize', options.finalSize);
    this.from = finalStatesOption('projected bridge', options.from);
    this.outputSize = positiveInt('projected bridge', 'size', options.size);
    this.projection = new TanhProjection(f, this.outputSize, seed);
  }

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return tf.tidy(() => this.projection.apply(readFinal(memory, this.from)));
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.projection.parameters();
  }

  dispose(): void {
    this.projection.dispose();
  }
}

/** Registry factory: `{ name: 'projected', size?, from? }`; `size` defaults to what the decoder asks for. */
export function createProjectedBridge(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): ProjectedBridge {
  const owner = 'projected bridge';
  knownOptions(owner, options, ['size', 'from']);
  const from = finalStatesOption(owner, options.from);
  return new ProjectedBridge(
    {
      finalSize: finalSize(owner, context, from),
      size: outputSize(owner, options.size, context),
      from,
    },
    context.seed,
  );
}
