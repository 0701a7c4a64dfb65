import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CHECKSUMS_FILE } from '../checkpoint/checksums.js';
import { CheckpointError } from '../errors/errors.js';
import { isSealed } from './sealed-folder.js';

/**
 * Writes a folder atomically: `fill` writes into a temporary sibling folder, which is then
 * renamed into place. `fill` must finish by sealing the folder ({@link sealFolder}), which
 * marks it complete. A crash at any instant leaves either `dir` or, between the two
 * renames, complete hidden siblings that {@link recoverFolder} puts back.
 */
export async function writeFolderAtomically(
  dir: string,
  fill: (tmp: string) => Promise<void>,
): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  await recoverFolder(dir);
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

/**
 * Repairs what a crash during {@link writeFolderAtomically} left: when `dir` is missing, the
 * newest complete (sealed) hidden sibling, `.NAME.tmp-*` or `.NAME.old-*`, is renamed into
 * place; then the leftover siblings of dead processes are removed. Returns whether `dir`
 * exists afterwards. Siblings of a live process (a write in progress) are left alone.
 */
export async function recoverFolder(dir: string): Promise<boolean> {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.`;
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return false;
  }
  const leftovers = names.filter((name) => {
    if (!name.startsWith(prefix)) return false;
    const tag = /^(?:tmp|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
    return tag !== null && !isAlive(Number(tag[1]));
  });
  if (!(await exists(dir))) {
    const complete: { path: string; time: number }[] = [];
    for (const name of leftovers) {
      const path = join(parent, name);
      if (await isSealed(path)) {
        complete.push({ path, time: (await stat(join(path, CHECKSUMS_FILE))).mtimeMs });
      }
    }
    // The newest complete copy: within one swap, the new folder is sealed after the old one.
    complete.sort((a, b) => b.time - a.time || (a.path.includes('.tmp-') ? -1 : 1));
    if (complete[0]) await rename(complete[0].path, dir);
  }
  for (const name of leftovers) await rm(join(parent, name), { recursive: true, force: true });
  return exists(dir);
}

/** Whether a process with this id runs (on this machine). */
function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
