import { createReadStream } from 'node:fs';
import { DataError } from '../errors/data-error.js';
import { type Line, splitLines } from '../readers/lines.js';

/**
 * Streams the lines of a UTF-8 text file, so a corpus larger than memory can be read. Line
 * endings `\n` and `\r\n` are stripped; a leading byte-order mark is dropped; bytes that
 * are not UTF-8 fail with a {@link DataError} naming the line rather than turning into
 * U+FFFD silently; a file that cannot be read is a {@link DataError} naming it.
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  try {
    yield* splitLines(createReadStream(file), file);
  } catch (error) {
    throw asDataError(error, file);
  }
}

/** Turns a file-system error into a {@link DataError} naming the file; passes others on. */
export function asDataError(error: unknown, file: string): unknown {
  if (error instanceof DataError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new DataError({ file }, 'no such file');
  if (code === 'EISDIR') return new DataError({ file }, 'is a directory, expected a file');
  if (code) return new DataError({ file }, `cannot read (${code})`);
  return error;
}
