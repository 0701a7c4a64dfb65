import { createHash } from 'node:crypto';
import {
  randomSplit,
  type Task,
  type TaskExample,
  type TaskReadOptions,
  type TaskSettings,
  type TaskSplit,
} from '@s2s/core';
import { nodeReadOptions } from '@s2s/data/node';
import { CliError } from '../cli/errors.js';

/** Default share of examples held out for validation when the task has no split of its own. */
export const DEFAULT_DEV_FRACTION = 0.1;

/** Reads every example of `path` through the task; no examples at all is an error. */
export async function readExamples(
  task: Task,
  path: string,
  shown: string,
  settings: TaskSettings,
  options?: TaskReadOptions,
): Promise<TaskExample[]> {
  const examples: TaskExample[] = [];
  for await (const example of task.read(path, settings, { ...nodeReadOptions, ...options })) {
    examples.push(example);
  }
  if (examples.length === 0)
    throw new CliError(`${shown} holds no examples for task '${task.name}'`);
  return examples;
}

/**
 * Training and held-out examples: the task's own split when it has one, else a seeded
 * random `training.devFraction` (default {@link DEFAULT_DEV_FRACTION}) held out.
 */
export function splitExamples(
  task: Task,
  examples: readonly TaskExample[],
  settings: TaskSettings,
): TaskSplit {
  if (task.split) return task.split(examples, settings);
  return randomSplit(
    examples,
    settings.training.devFraction ?? DEFAULT_DEV_FRACTION,
    settings.training.seed ?? 0,
  );
}

/** A fingerprint of the examples, so `--resume` can tell it is given the same data. */
export function fingerprint(examples: readonly TaskExample[]): {
  examples: number;
  sha256: string;
} {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(JSON.stringify([e.input, e.references])).update('\n');
  return { examples: examples.length, sha256: hash.digest('hex') };
}
