import { CheckpointError } from '../errors/errors.js';

/** The file that lists the size and SHA-256 of every other file of a model or checkpoint. */
export const CHECKSUMS_FILE = 'checksums.json';
const FORMAT = 's2s-checksums';
const VERSION = 1;
/** A checksums list is small; a larger one is refused before it is read. */
export const MAX_CHECKSUMS_BYTES = 16 * 1024 * 1024;

/** The size and SHA-256 (hex) recorded for one file. */
export interface ChecksumEntry {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * The SHA-256 of `bytes` as hex, through WebCrypto (`crypto.subtle`), which Node 20 and
 * every browser provide as a global: no Node built-in is imported.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The text of a `checksums.json` recording `files` (relative path → size and SHA-256). */
export function checksumsText(files: Readonly<Record<string, ChecksumEntry>>): string {
  return `${JSON.stringify({ format: FORMAT, version: VERSION, files }, null, 1)}\n`;
}

/**
 * Parses a `checksums.json` read from `where`. `key` turns each recorded path into the
 * form files are looked up by, throwing for a path that leaves the model's folder; a
 * malformed file or entry is a {@link CheckpointError} naming `where`.
 */
export function parseChecksums(
  text: string,
  where: string,
  key: (rel: string) => string,
): Record<string, ChecksumEntry> {
  let parsed: { format?: unknown; version?: unknown; files?: unknown } | null;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(where, `is not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || parsed.format !== FORMAT || parsed.version !== VERSION) {
    throw new CheckpointError(where, `is not an s2s checksums file (format '${FORMAT}' v1)`);
  }
  const files: Record<string, ChecksumEntry> = Object.create(null);
  for (const [rel, entry] of Object.entries(parsed.files ?? {}) as [string, ChecksumEntry][]) {
    if (
      !Number.isSafeInteger(entry?.bytes) ||
      entry.bytes < 0 ||
      typeof entry.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(entry.sha256)
    ) {
      throw new CheckpointError(where, `has a malformed entry for '${rel}'`);
    }
    files[key(rel)] = entry;
  }
  return files;
}

/**
 * `rel` as a path inside a folder reached by URL (`a/b`, no `.` segments). A path that
 * is empty, absolute, carries a scheme, a backslash, NUL, `?`, `#` or `%`, or climbs out with `..` is a
 * {@link CheckpointError} reported against `reportAs`: the same confinement the Node folder
 * reader applies, without `node:path`.
 */
export function confinedKey(rel: string, root: string, reportAs: string): string {
  const refuse = () =>
    new CheckpointError(
      reportAs,
      `names the file ${JSON.stringify(rel)}, outside ${root}; refused`,
    );
  if (typeof rel !== 'string' || rel === '' || /[\0\\?#%]/.test(rel) || rel.startsWith('/')) {
    throw refuse();
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel)) throw refuse();
  const parts: string[] = [];
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw refuse();
    parts.push(part);
  }
  if (parts.length === 0) throw refuse();
  return parts.join('/');
}
