import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors/errors.js';

/**
 * Writes a folder atomically: `fill` writes into a temporary sibling folder, which is then
 * renamed into place. A crash while writing leaves the old folder (or none) intact, never
 * a half-written one.
 */
export async function writeFolderAtomically(
  dir: string,
  fill: (tmp: string) => Promise<void>,
): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${basename(dir)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    await fill(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  const old = join(parent, `.${basename(dir)}.old-${tag}`);
  const existed = await exists(dir);
  if (existed) await rename(dir, old);
  try {
    await rename(tmp, dir);
  } catch (error) {
    if (existed) await rename(old, dir);
    throw error;
  }
  if (existed) await rm(old, { recursive: true, force: true });
}

/** Reads a file, turning "not there" into a {@link CheckpointError} naming it. */
export async function readCheckpointFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError(path, 'file is missing');
    if (code === 'EISDIR') throw new CheckpointError(path, 'expected a file, found a folder');
    throw new CheckpointError(path, `cannot be read (${code ?? String(error)})`);
  }
}

/** Parses a JSON checkpoint file, naming it on failure. */
export async function readCheckpointJSON(path: string): Promise<unknown> {
  const text = (await readCheckpointFile(path)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(
      path,
      `is not valid JSON (${(error as Error).message}); the file may be truncated`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
