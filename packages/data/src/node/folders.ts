import { readdir, stat } from 'node:fs/promises';
import type { TaskReadOptions } from '@s2s/core';
import { asDataError, readLines } from './read-lines.js';

/** What is at `path`: `'folder'`, `'file'`, or undefined when nothing is (Node's `stat`). */
export async function pathKind(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return undefined;
    throw asDataError(error, path);
  }
}

/** The names of a folder's entries; a missing folder is a `DataError` naming it. */
export async function listFolder(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    throw asDataError(error, path);
  }
}

/**
 * The file access a task's `read` may need, from Node's file system: pass it as (or spread
 * it into) the `TaskReadOptions` of `task.read`.
 */
export const nodeReadOptions: Required<
  Pick<TaskReadOptions, 'readLines' | 'pathKind' | 'listFolder'>
> = { readLines, pathKind, listFolder };
