import {
  ConfigError,
  knownOptions,
  positiveInt,
  type TaskSettings,
  type TrainerOptions,
  trainerOptionNames,
} from '@s2s/core';

/** Training settings the CLI's loop uses itself; every other key goes to the `Trainer`. */
export interface LoopSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly maxTokens?: number;
  readonly seed: number;
  /** Stop after this many epochs without improvement. Default: never. */
  readonly patience?: number;
  /** Also checkpoint every this many steps (always at each epoch end and on Ctrl-C). */
  readonly checkpointEvery?: number;
}

const loopKeys = [
  'epochs',
  'batchSize',
  'maxTokens',
  'devFraction',
  'seed',
  'patience',
  'checkpointEvery',
];

/** Splits `settings.training` into the loop's settings and the trainer's options. */
export function trainingSettings(settings: TaskSettings): {
  loop: LoopSettings;
  trainer: TrainerOptions;
} {
  const t = settings.training;
  // One check over both halves, so a typo is named with every option it could have meant.
  knownOptions('training', t, [...loopKeys, ...trainerOptionNames]);
  const owner = 'training settings';
  const loop: LoopSettings = {
    epochs: positiveInt(owner, 'epochs', t.epochs ?? 10),
    batchSize: positiveInt(owner, 'batchSize', t.batchSize ?? 32),
    ...(t.maxTokens !== undefined
      ? { maxTokens: positiveInt(owner, 'maxTokens', t.maxTokens) }
      : {}),
    seed: integer(t.seed ?? 0),
    ...(t.patience !== undefined ? { patience: positiveInt(owner, 'patience', t.patience) } : {}),
    ...(t.checkpointEvery !== undefined
      ? { checkpointEvery: positiveInt(owner, 'checkpointEvery', t.checkpointEvery) }
      : {}),
  };
  const trainer: Record<string, unknown> = { seed: loop.seed };
  for (const [key, value] of Object.entries(t)) if (!loopKeys.includes(key)) trainer[key] = value;
  return { loop, trainer: trainer as TrainerOptions };
}

function integer(value: unknown): number {
  if (!Number.isInteger(value)) {
    throw new ConfigError(
      `training settings: option 'seed' must be an integer, got ${JSON.stringify(value)}`,
    );
  }
  return value as number;
}
