import type { TaskSettings } from '../contracts/task.js';
import { CheckpointError } from '../errors/errors.js';

/** The marker of a saved task model's metadata. */
export const TASK_MODEL_FORMAT = 's2s-task-model-1';

/**
 * The marker `s2s train` wrote before the task model moved into core; models that carry it
 * hold the same fields and load the same.
 */
export const LEGACY_CLI_FORMAT = 's2s-cli-run-1';

/**
 * What a task model saves in its model file's metadata so that it can be rebuilt: the
 * task, its settings and its pipeline. Whoever saves it may add fields (the CLI adds its
 * training data fingerprint and summary); they are kept. A type rather than an interface,
 * so it is assignable to the metadata's record type.
 */
export type TaskModelMetadata = {
  readonly format: typeof TASK_MODEL_FORMAT | typeof LEGACY_CLI_FORMAT;
  /** The registered task's name. */
  readonly task: string;
  /** The task settings the model was trained with. */
  readonly settings: TaskSettings;
  /** The task pipeline's `toJSON()`. */
  readonly pipeline: unknown;
  readonly [field: string]: unknown;
};

/** Builds a task model's metadata, marked with {@link TASK_MODEL_FORMAT}. */
export function taskModelMetadata(fields: {
  readonly task: string;
  readonly settings: TaskSettings;
  readonly pipeline: unknown;
  readonly [field: string]: unknown;
}): TaskModelMetadata {
  return { ...fields, format: TASK_MODEL_FORMAT } as TaskModelMetadata;
}

/**
 * Validates a loaded model's metadata as a task model's; `file` names the model file in
 * the error, a {@link CheckpointError} saying what is missing.
 */
export function readTaskModelMetadata(
  metadata: Readonly<Record<string, unknown>>,
  file: string,
): TaskModelMetadata {
  const m = metadata as Partial<TaskModelMetadata>;
  const formats: readonly unknown[] = [TASK_MODEL_FORMAT, LEGACY_CLI_FORMAT];
  if (!formats.includes(m.format)) {
    throw new CheckpointError(
      file,
      `is not a saved task model: its metadata has format ${JSON.stringify(m.format ?? null)}, expected '${TASK_MODEL_FORMAT}' (written by TaskModel.save and 's2s train')`,
    );
  }
  const missing = [
    typeof m.task === 'string' ? undefined : "'task' (a string)",
    typeof m.settings === 'object' && m.settings ? undefined : "'settings' (an object)",
    'pipeline' in m ? undefined : "'pipeline'",
  ].filter((x) => x !== undefined);
  if (missing.length > 0) {
    throw new CheckpointError(
      file,
      `is a task model without ${missing.join(', ')} in its metadata; expected task, settings and pipeline`,
    );
  }
  return m as TaskModelMetadata;
}
