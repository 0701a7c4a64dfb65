import {
  type Bridge,
  type BuildContext,
  type Memory,
  parseOptions,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  type FinalStates,
  finalSize,
  fromOption,
  outputSize,
  readFinal,
  sizeOption,
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

/** The options `{ name: 'projected', … }` takes in a model config, with their defaults. */
export const projectedBridgeOptions = z.strictObject({ size: sizeOption, from: fromOption });

const constructorOptions = z.strictObject({
  finalSize: z
    .int()
    .positive()
    .describe('Size of the final state(s) read; filled in from the encoder'),
  size: z.int().positive().describe('Size of the context'),
  from: fromOption,
});

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
    const o = parseOptions('projected bridge', constructorOptions, options);
    this.from = o.from;
    this.outputSize = o.size;
    this.projection = new TanhProjection(o.finalSize, this.outputSize, seed);
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
  const { from, size } = parseOptions(owner, projectedBridgeOptions, options, context.path);
  return new ProjectedBridge(
    {
      finalSize: finalSize(owner, context, from),
      size: outputSize(owner, size, context),
      from,
    },
    context.seed,
  );
}
