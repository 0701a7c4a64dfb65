import type * as tf from '@tensorflow/tfjs';
import { TaskModel } from '../task-model/task-model.js';
import type { TaskModelLoadOptions } from '../task-model/task-model-types.js';
import { folderOrSource, modelFolder } from './model-folder.js';

/**
 * Loads a {@link TaskModel} from a model folder (a path or a `file:` URL, read through
 * {@link modelFolder}: confined, every file checked against `checksums.json`), an
 * `http(s)` URL or any `tf.io` IO handler.
 */
export function loadTaskModel(
  source: string | URL | tf.io.IOHandler,
  options: TaskModelLoadOptions = {},
): Promise<TaskModel> {
  return TaskModel.load(folderOrSource(source), options);
}

/**
 * Saves a {@link TaskModel} into the folder `destination`, written beside it, sealed and
 * renamed into place (or through any `tf.io` IO handler); {@link loadTaskModel} reads it.
 */
export function saveTaskModel(
  model: TaskModel,
  destination: string | tf.io.IOHandler,
  options: { readonly metadata?: Readonly<Record<string, unknown>> } = {},
): Promise<void> {
  return model.save(
    typeof destination === 'string' ? modelFolder(destination) : destination,
    options,
  );
}
