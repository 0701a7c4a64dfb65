import { parseOptions, type TaskSettings, type TrainerOptions } from '@s2s/core';
import { trainingSchema } from '../setup/config-schema.js';

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
  // One schema over both halves, so a typo is named with every option it could have meant.
  const t = parseOptions('training settings', trainingSchema, settings.training, 'training');
  const loop: LoopSettings = {
    epochs: t.epochs ?? 10,
    batchSize: t.batchSize ?? 32,
    ...(t.maxTokens !== undefined ? { maxTokens: t.maxTokens } : {}),
    seed: t.seed ?? 0,
    ...(t.patience !== undefined ? { patience: t.patience } : {}),
    ...(t.checkpointEvery !== undefined ? { checkpointEvery: t.checkpointEvery } : {}),
  };
  const trainer: Record<string, unknown> = { seed: loop.seed };
  for (const [key, value] of Object.entries(t)) if (!loopKeys.includes(key)) trainer[key] = value;
  return { loop, trainer: trainer as TrainerOptions };
}
