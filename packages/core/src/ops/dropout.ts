import * as tf from '@tensorflow/tfjs';
import type { RunOptions } from '../contracts/module.js';
import { ConfigError } from '../errors/errors.js';

/**
 * Inverted dropout in training mode, identity otherwise. The mask's seed comes from
 * `options.rng`, so a seeded run drops the same units every time.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, options: RunOptions): T {
  if (!options.training || rate === 0) return x;
  if (!options.rng)
    throw new ConfigError('dropout in training mode needs options.rng to seed its masks');
  return tf.dropout(x, rate, undefined, options.rng.nextSeed()) as T;
}
