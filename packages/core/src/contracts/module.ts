import type * as tf from '@tensorflow/tfjs';

/**
 * Anything that owns trainable parameters. Parameters are named by their place in the
 * module tree (`encoder.cell.kernel`), which is how checkpoints refer to them.
 */
export interface Module {
  /** Trainable variables by path, in a stable order. */
  parameters(): ReadonlyMap<string, tf.Variable>;
  /** Frees every variable this module owns (and those of its children). */
  dispose(): void;
}

/** Options every forward computation receives. */
export interface RunOptions {
  /** Training mode turns on dropout and other stochastic regularisers. */
  readonly training: boolean;
  /** Source of dropout seeds; required when `training` is true and dropout is used. */
  readonly rng?: SeedSource;
}

/** Hands out fresh integer seeds, deterministically from its own seed. */
export interface SeedSource {
  nextSeed(): number;
}
