import { z } from 'zod';
import type { TaskExample, TaskSplit } from '../contracts/task.js';
import { parseOptions } from '../errors/options.js';
import { deriveSeed, Rng } from '../module/seed.js';

/** The share of examples held out as the dev set: a number in [0, 1). */
const devFraction = z.number().min(0).lt(1);

/**
 * Holds out a seeded random `fraction` of the examples as the dev set, keeping the order of
 * both parts: the split a task without {@link Task.split} gets from `s2s train`, exported
 * so that scripts (baselines, reports) score exactly the examples training held out. The
 * same examples, fraction and seed always give the same split.
 *
 * @throws ConfigError when `fraction` is not a number in [0, 1).
 */
export function randomSplit(
  examples: readonly TaskExample[],
  fraction: number,
  seed: number,
): TaskSplit {
  parseOptions('settings', devFraction, fraction, 'training.devFraction');
  const order = new Rng(deriveSeed(seed, 'dev-split')).shuffle([...examples.keys()]);
  const held = new Set(order.slice(0, Math.round(fraction * examples.length)));
  return {
    train: examples.filter((_, i) => !held.has(i)),
    dev: examples.filter((_, i) => held.has(i)),
  };
}
