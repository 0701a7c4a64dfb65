import type { TaskReadOptions } from '../contracts/task.js';
import { ConfigError } from '../errors/errors.js';

/** The file access {@link TaskReadOptions} can give a task's `read`. */
export type ReadAccessName = 'readLines' | 'pathKind' | 'listFolder';

/**
 * `options[name]`, for a task's `read` that needs it to read `path`; absent, a
 * `ConfigError` naming the task, the path, what is missing and what to pass in Node.
 */
export function readAccess<K extends ReadAccessName>(
  options: TaskReadOptions | undefined,
  name: K,
  task: string,
  path: string,
): NonNullable<TaskReadOptions[K]> {
  const found = options?.[name];
  if (!found) {
    throw new ConfigError(
      `${task}: reading ${path} needs options.${name}, found none; in Node pass nodeReadOptions from '@s2s/data/node'`,
    );
  }
  return found as NonNullable<TaskReadOptions[K]>;
}
