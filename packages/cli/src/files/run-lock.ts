import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../cli/errors.js';

/** The lock file `s2s train` holds in its run folder while it runs. */
export const LOCK_FILE = '.s2s-train.lock';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** A held lock; {@link RunLock.release} gives it back. */
export interface RunLock {
  release(): Promise<void>;
}

/**
 * Takes the exclusive lock of a run folder, or throws a {@link CliError} naming the process
 * that holds it. The lock file appears whole and at once (written aside, then hard-linked
 * into place, which fails if it exists). A lock left by a process that no longer runs on
 * this machine (killed with `kill -9`, power loss) is stale and taken over.
 */
export async function lockRun(root: string, shown: string): Promise<RunLock> {
  const path = join(root, LOCK_FILE);
  const me: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, path);
        return { release: () => rm(path, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await readOwner(path);
      if (owner === 'gone') continue;
      if (owner && (owner.host !== me.host || isAlive(owner.pid))) {
        throw new CliError(
          `${shown} is in use by another 's2s train' (process ${owner.pid} on ${owner.host}, started ${owner.started}); wait for it to finish, or choose another --out`,
        );
      }
      if (owner === undefined) {
        throw new CliError(
          `${shown} holds an unreadable lock file ${LOCK_FILE}; if no 's2s train' uses this folder, delete that file`,
        );
      }
      await takeOverStale(path, owner);
    }
    throw new CliError(`${shown}: could not take the run lock; another process keeps taking it`);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Moves a stale lock aside; puts it back if another process replaced it meanwhile. */
async function takeOverStale(path: string, stale: Owner): Promise<void> {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else moved it first; try again
  }
  const moved = await readOwner(aside);
  if (moved !== 'gone' && moved && moved.pid !== stale.pid) {
    // Between reading and renaming, another process took the stale lock over: give it back.
    await link(aside, path).catch(() => {});
  }
  await rm(aside, { force: true });
}

async function readOwner(path: string): Promise<Owner | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner>;
    if (Number.isSafeInteger(owner.pid) && typeof owner.host === 'string') return owner as Owner;
  } catch {
    // fall through: not a lock this program wrote
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
