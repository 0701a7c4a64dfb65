import {
  didYouMean,
  InputError,
  registry,
  type Task,
  TaskModel,
  UnknownPluginError,
} from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { registeredNames } from '../setup/plugins.js';
import { type LocatedModel, locateModel } from './run-folder.js';

/** A trained task model and where it was found. */
export interface OpenModel extends LocatedModel {
  readonly model: TaskModel;
}

/**
 * Loads the model a user named (see {@link locateModel}) as a {@link TaskModel}; a model
 * trained for a task that is not registered says how to register it.
 */
export async function openModel(path: string, shown: string, io: CliIO): Promise<OpenModel> {
  const located = locateModel(path, shown);
  if (located.fromCheckpoint) {
    io.stderr.write(`s2s: ${shown} has no finished model yet; using its latest checkpoint\n`);
  }
  try {
    return { ...located, model: await TaskModel.load(modelFolder(located.dir)) };
  } catch (error) {
    if (error instanceof UnknownPluginError && error.kind === 'task') {
      throw new CliError(
        `this model was trained for task '${error.pluginName}', which is not registered; registered tasks: ${registeredNames('task')} (load a third-party task with --plugin <package>)`,
      );
    }
    throw error;
  }
}

/** A registered task by name; an unknown name lists the registered ones. */
export function getTask(name: string): Task {
  if (!registry.has('task', name)) {
    throw new CliError(
      `unknown task '${name}'${didYouMean(name, registry.names('task'))}; registered tasks: ${registeredNames('task')} (load a third-party task with --plugin <package>)`,
    );
  }
  return registry.create('task', { name });
}

/**
 * Runs `decode` over inputs whose origins a user knows (`file:line`): an input the model
 * rejects is named by its origin rather than its position.
 */
export async function withOrigins<T>(
  origins: readonly (string | undefined)[],
  decode: () => Promise<T>,
): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof InputError) {
      throw new CliError(`${origins[error.index] ?? `input ${error.index + 1}`}: ${error.problem}`);
    }
    throw error;
  }
}
