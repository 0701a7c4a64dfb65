import {
  type Bridge,
  type BuildContext,
  type Memory,
  parseOptions,
  type RunOptions,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { memorySize, outputSize, sizeOption } from './bridge-sizes.js';
import { TanhProjection } from './tanh-projection.js';

/** How {@link PooledBridge} summarises the states. */
export type Pool = 'mean' | 'max';

/** Options of {@link PooledBridge}. */
export interface PooledBridgeOptions {
  /** Size H of the encoder states; filled in from the encoder. */
  readonly memorySize: number;
  /** Masked mean or element-wise max over real positions. Default `mean`. */
  readonly pool?: Pool;
  /** Follow the pooling with tanh(W·c + b) of this size; without it c has size H. */
  readonly size?: number;
}

const pool = z
  .enum(['mean', 'max'])
  .default('mean')
  .describe('Masked mean or element-wise max over real positions');

/** The options `{ name: 'pooled', … }` takes in a model config, with their defaults. */
export const pooledBridgeOptions = z
  .strictObject({
    pool,
    project: z
      .boolean()
      .default(false)
      .describe(
        "Follow the pooling with tanh(W·c + b); without it the context has the encoder's state size",
      ),
    size: sizeOption,
  })
  .superRefine((o, ctx) => {
    if (!o.project && o.size !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message:
          "needs 'project' true; without a projection the context has the encoder's state size",
      });
    }
  });

const constructorOptions = z.strictObject({
  memorySize: z
    .int()
    .positive()
    .describe('Size H of the encoder states; filled in from the encoder'),
  pool,
  size: z.int().positive().optional().describe('Size of the tanh projection; default none'),
});

/**
 * c = q(h_1, …, h_S) over the real positions only: the masked mean (1/n)·Σ_j h_j or the
 * element-wise max of the encoder states, optionally followed by tanh(W·c + b) to reach
 * the decoder's size. Padded states get no weight and no gradient, whatever they hold.
 */
export class PooledBridge implements Bridge {
  readonly outputSize: number;
  private readonly pool: Pool;
  private readonly projection?: TanhProjection;

  constructor(options: PooledBridgeOptions, seed: number) {
    const o = parseOptions('pooled bridge', constructorOptions, options);
    const h = o.memorySize;
    this.pool = o.pool;
    if (o.size !== undefined) this.projection = new TanhProjection(h, o.size, seed);
    this.outputSize = o.size ?? h;
  }

  context(memory: Memory, _options: RunOptions): tf.Tensor2D {
    return tf.tidy(() => {
      // where(), not a multiply or an additive bias, so no padded value, not even NaN or
      // ±Inf, reaches the result or receives a gradient.
      const real = memory.mask.expandDims(2).cast('bool');
      const states = memory.states;
      const pooled =
        this.pool === 'mean'
          ? tf.div(
              tf.sum(tf.where(real, states, tf.zerosLike(states)), 1),
              tf.maximum(tf.sum(memory.mask, 1, true), 1),
            )
          : tf.max(tf.where(real, states, tf.fill(states.shape, -Infinity)), 1);
      return (
        this.projection ? this.projection.apply(pooled as tf.Tensor2D) : pooled
      ) as tf.Tensor2D;
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.projection?.parameters() ?? new Map();
  }

  dispose(): void {
    this.projection?.dispose();
  }
}

/**
 * Registry factory: `{ name: 'pooled', pool?, project?, size? }`. Without `project` the
 * context is the pooled state itself, of the encoder's state size; with `project: true`
 * it is projected to `size` (default: what the decoder asks for).
 */
export function createPooledBridge(
  options: Readonly<Record<string, unknown>>,
  context: BuildContext,
): PooledBridge {
  const owner = 'pooled bridge';
  const o = parseOptions(owner, pooledBridgeOptions, options, context.path);
  const h = memorySize(owner, context);
  const size = o.project ? outputSize(owner, o.size, context) : undefined;
  return new PooledBridge(
    { memorySize: h, pool: o.pool, ...(size !== undefined && { size }) },
    context.seed,
  );
}
