import { CheckpointError, type TaskSettings } from '@s2s/core';

/**
 * What `s2s train` saves in a model's metadata, so every other verb can rebuild the task.
 * A type rather than an interface so it is assignable to the metadata's record type.
 */
export type RunMetadata = {
  /** Marks models written by the CLI. */
  readonly format: typeof FORMAT;
  /** The registered task's name. */
  readonly task: string;
  /** The task settings training used (defaults merged with `--config`). */
  readonly settings: TaskSettings;
  /** The task pipeline's `toJSON()`. */
  readonly pipeline: unknown;
  /** The training data, to make sure `--resume` continues on the same examples. */
  readonly data: { readonly examples: number; readonly sha256: string };
  /** Where training stood when this model was saved. */
  readonly training?: {
    readonly steps: number;
    readonly epochs: number;
    readonly stopReason?: string;
    readonly best?: unknown;
  };
};

const FORMAT = 's2s-cli-run-1';

/** Builds the metadata of a run. */
export function runMetadata(fields: Omit<RunMetadata, 'format'>): RunMetadata {
  return { format: FORMAT, ...fields };
}

/** Validates a loaded model's metadata; `file` names `model.json` in errors. */
export function readRunMetadata(
  metadata: Readonly<Record<string, unknown>>,
  file: string,
): RunMetadata {
  const m = metadata as Partial<RunMetadata>;
  if (
    m.format !== FORMAT ||
    typeof m.task !== 'string' ||
    typeof m.settings !== 'object' ||
    !m.settings
  ) {
    throw new CheckpointError(
      file,
      `was not written by 's2s train' (its metadata has no task, settings and pipeline of format '${FORMAT}')`,
    );
  }
  return m as RunMetadata;
}
