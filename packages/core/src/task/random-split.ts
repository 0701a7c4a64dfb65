import type { TaskExample, TaskSplit } from '../contracts/task.js';
import { ConfigError } from '../errors/errors.js';
import { deriveSeed, Rng } from '../module/seed.js';

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
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1)) {
    throw new ConfigError(
      `setting 'training.devFraction' must be a number in [0, 1), got ${JSON.stringify(fraction)}`,
    );
  }
  const order = new Rng(deriveSeed(seed, 'dev-split')).shuffle([...examples.keys()]);
  const held = new Set(order.slice(0, Math.round(fraction * examples.length)));
  return {
    train: examples.filter((_, i) => !held.has(i)),
    dev: examples.filter((_, i) => held.has(i)),
  };
}
