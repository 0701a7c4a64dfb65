import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { DataError } from '../errors/data-error.js';

/** One line of a text file, without its line ending. */
export interface Line {
  readonly text: string;
  /** 1-based. */
  readonly number: number;
}

/**
 * Streams the lines of a UTF-8 text file, so a corpus larger than memory can be read. Line
 * endings `\n` and `\r\n` are stripped; a leading byte-order mark is dropped; bytes that
 * are not UTF-8 fail with a {@link DataError} naming the line rather than turning into
 * U+FFFD silently.
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let number = 0;
  const split = function* (flush: boolean): Generator<Line> {
    const parts = pending.split('\n');
    pending = flush ? '' : parts.pop()!;
    if (flush && parts.at(-1) === '') parts.pop();
    for (const part of parts) {
      number++;
      yield { text: part.endsWith('\r') ? part.slice(0, -1) : part, number };
    }
  };
  try {
    for await (const chunk of createReadStream(file)) {
      pending += decodeOrExplain(decoder, chunk as Buffer, pending, number, file);
      yield* split(false);
    }
    pending += decoder.decode();
  } catch (error) {
    throw asDataError(error, file);
  }
  yield* split(true);
}

function decodeOrExplain(
  decoder: TextDecoder,
  chunk: Buffer,
  pending: string,
  linesBefore: number,
  file: string,
): string {
  try {
    return decoder.decode(chunk, { stream: true });
  } catch {
    // Find the line of the first bad byte: decode leniently and look for the replacement.
    const lenient = pending + new TextDecoder('utf-8').decode(chunk);
    const bad = lenient.indexOf('\ufffd');
    const line = linesBefore + 1 + (lenient.slice(0, Math.max(bad, 0)).match(/\n/g)?.length ?? 0);
    throw new DataError({ file, line }, 'not valid UTF-8 text');
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
