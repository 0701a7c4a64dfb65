import { randomSplit, type TaskExample, type TaskSettings, type TaskSplit } from '@s2s/core';

/**
 * Holds out a seeded random `training.devFraction` (default 0.1) of the examples with
 * core's `randomSplit`, as `s2s train` does for a task without a split of its own, so the
 * baselines are scored on the articles training held out.
 */
export function splitDev(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit {
  return randomSplit(examples, settings.training.devFraction ?? 0.1, settings.training.seed ?? 0);
}
