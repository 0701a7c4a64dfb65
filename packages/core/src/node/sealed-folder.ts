import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import {
  CHECKSUMS_FILE,
  type ChecksumEntry,
  checksumsText,
  MAX_CHECKSUMS_BYTES,
  parseChecksums,
} from '../checkpoint/checksums.js';
import { CheckpointError } from '../errors/errors.js';

/**
 * Records the size and SHA-256 of every regular file under `dir` (sub-folders included) in
 * `checksums.json`. Written last, so a folder with a valid checksums file is complete.
 */
export async function sealFolder(dir: string): Promise<void> {
  const files: Record<string, ChecksumEntry> = {};
  for (const rel of await listFiles(dir)) {
    if (rel === CHECKSUMS_FILE) continue;
    const bytes = await readConfined(dir, rel);
    files[rel] = { bytes: bytes.byteLength, sha256: sha256Of(bytes) };
  }
  await writeFile(join(dir, CHECKSUMS_FILE), checksumsText(files));
}

/**
 * A model or checkpoint folder opened for reading: every read is confined to the folder
 * (no `..`, no absolute path, no symlink leading out, regular files only), its size is
 * checked against `checksums.json` before a byte is read, and its content against the
 * recorded SHA-256. A file the checksums do not list cannot be read.
 */
export class SealedFolder {
  private constructor(
    readonly dir: string,
    private readonly files: Readonly<Record<string, ChecksumEntry>>,
  ) {}

  /** Opens `dir`, reading its mandatory `checksums.json`. */
  static async open(dir: string): Promise<SealedFolder> {
    const path = join(dir, CHECKSUMS_FILE);
    let text: string;
    try {
      text = (await readConfined(dir, CHECKSUMS_FILE, { maxBytes: MAX_CHECKSUMS_BYTES })).toString(
        'utf8',
      );
    } catch (error) {
      if (error instanceof CheckpointError && error.problem === 'file is missing') {
        throw new CheckpointError(
          path,
          `is missing: every file of a model or checkpoint must be covered by checksums. A folder saved by an older s2s has none; if you trust it, record them with 's2s seal ${dir}'`,
        );
      }
      throw error;
    }
    const files = parseChecksums(text, path, (rel) => confinedRelative(dir, rel, path));
    return new SealedFolder(dir, files);
  }

  /** A folder's file by its path relative to the folder, checked before and after reading. */
  async read(rel: string): Promise<Buffer> {
    const key = confinedRelative(this.dir, rel, join(this.dir, CHECKSUMS_FILE));
    const path = join(this.dir, key);
    const entry = this.files[key];
    if (!entry) {
      throw new CheckpointError(
        path,
        `is not listed in ${CHECKSUMS_FILE}: only files covered by checksums are read`,
      );
    }
    const bytes = await readConfined(this.dir, key, { exactBytes: entry.bytes });
    if (sha256Of(bytes) !== entry.sha256) {
      throw new CheckpointError(
        path,
        `does not match the checksum recorded in ${CHECKSUMS_FILE}: the file is corrupted or was edited`,
      );
    }
    return bytes;
  }

  /** Reads and parses a JSON file of the folder. */
  async json(rel: string): Promise<unknown> {
    const text = (await this.read(rel)).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CheckpointError(
        join(this.dir, rel),
        `is not valid JSON (${(error as Error).message})`,
      );
    }
  }

  /** The recorded size of a file, or undefined when the checksums do not list it. */
  bytes(rel: string): number | undefined {
    return this.files[normalize(rel).split(sep).join('/')]?.bytes;
  }
}

/**
 * Reads `rel` inside `root` only: refuses a path that leaves the folder (`..`, absolute, or
 * a symlink resolving outside), anything but a regular file, and a size other than
 * `exactBytes` (or above `maxBytes`) before reading a byte.
 */
export async function readConfined(
  root: string,
  rel: string,
  limits: { exactBytes?: number; maxBytes?: number } = {},
): Promise<Buffer> {
  const key = confinedRelative(root, rel, root);
  const path = join(root, key);
  let real: string;
  try {
    await lstat(path);
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError(path, 'file is missing');
    throw new CheckpointError(path, `cannot be read (${code ?? String(error)})`);
  }
  const realRoot = await realpath(root);
  const inside = relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new CheckpointError(path, `leads outside the folder ${root} (to ${real}); refused`);
  }
  // Checked before opening (opening a FIFO would block) and again on the open handle.
  checkRegular(path, await stat(real));
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    checkRegular(path, info);
    if (limits.exactBytes !== undefined && info.size !== limits.exactBytes) {
      throw new CheckpointError(
        path,
        `has ${info.size} bytes, ${limits.exactBytes} expected: the file is truncated or was replaced`,
      );
    }
    if (limits.maxBytes !== undefined && info.size > limits.maxBytes) {
      throw new CheckpointError(path, `has ${info.size} bytes, at most ${limits.maxBytes} allowed`);
    }
    const buffer = Buffer.alloc(info.size);
    let at = 0;
    while (at < info.size) {
      const { bytesRead } = await handle.read(buffer, at, info.size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at !== info.size) throw new CheckpointError(path, 'changed size while being read');
    return buffer;
  } finally {
    await handle.close();
  }
}

function checkRegular(path: string, info: Stats): void {
  if (info.isDirectory()) throw new CheckpointError(path, 'expected a file, found a folder');
  if (!info.isFile()) throw new CheckpointError(path, 'is not a regular file; refused');
}

/** `rel` normalised to `a/b` form; a path leaving `root` is a {@link CheckpointError}. */
function confinedRelative(root: string, rel: string, reportAs: string): string {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0') || isAbsolute(rel)) {
    throw new CheckpointError(
      reportAs,
      `names the file ${JSON.stringify(rel)}, outside ${root}; refused`,
    );
  }
  const inside = relative(resolve(root), resolve(root, rel));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new CheckpointError(
      reportAs,
      `names the file ${JSON.stringify(rel)}, outside ${root}; refused`,
    );
  }
  return inside.split(sep).join('/');
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `dir` holds a checksums file (a folder written completely by this version). */
export async function isSealed(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, CHECKSUMS_FILE))).isFile();
  } catch {
    return false;
  }
}
