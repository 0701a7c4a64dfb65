import { join } from 'node:path';
import {
  didYouMean,
  type LoadedModel,
  MODEL_FILE,
  registry,
  type Seq2Seq,
  type Task,
  type TaskPipeline,
  type TaskSettings,
} from '@s2s/core';
import { loadModel } from '@s2s/core/node';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { registeredNames } from '../setup/plugins.js';
import { type LocatedModel, locateModel } from './run-folder.js';
import { type RunMetadata, readRunMetadata } from './run-metadata.js';

/** A trained model with the task pipeline that turns text into its inputs and back. */
export interface OpenModel extends LocatedModel {
  readonly model: Seq2Seq;
  readonly task: Task;
  readonly settings: TaskSettings;
  readonly pipeline: TaskPipeline;
  readonly metadata: RunMetadata;
}

/**
 * Loads the model a user named (see {@link locateModel}), finds the task it was trained
 * for in the registry and restores that task's pipeline from the model's metadata.
 */
export async function openModel(path: string, shown: string, io: CliIO): Promise<OpenModel> {
  const located = locateModel(path, shown);
  if (located.fromCheckpoint) {
    io.stderr.write(`s2s: ${shown} has no finished model yet; using its latest checkpoint\n`);
  }
  const loaded: LoadedModel = await loadModel(located.dir);
  try {
    const metadata = readRunMetadata(loaded.metadata, join(located.dir, MODEL_FILE));
    return { ...located, model: loaded.model, ...restoreTask(metadata), metadata };
  } catch (error) {
    loaded.model.dispose();
    throw error;
  }
}

/** The registered task a model was trained for, and its restored pipeline. */
export function restoreTask(metadata: RunMetadata): {
  task: Task;
  settings: TaskSettings;
  pipeline: TaskPipeline;
} {
  const task = getTask(metadata.task, 'this model');
  return {
    task,
    settings: metadata.settings,
    pipeline: task.restore(metadata.pipeline, metadata.settings),
  };
}

/** A registered task by name; an unknown name lists the registered ones. */
export function getTask(name: string, forModel?: string): Task {
  if (!registry.has('task', name)) {
    const what = forModel
      ? `${forModel} was trained for task '${name}', which is not registered`
      : `unknown task '${name}'${didYouMean(name, registry.names('task'))}`;
    throw new CliError(
      `${what}; registered tasks: ${registeredNames('task')} (load a third-party task with --plugin <package>)`,
    );
  }
  return registry.create('task', { name });
}
