import { DataError } from '../errors/data-error.js';

/** One line of a text file, without its line ending. */
export interface Line {
  readonly text: string;
  /** 1-based. */
  readonly number: number;
}

/** Text to split into lines: a string, or UTF-8 bytes arriving in chunks (a stream). */
export type TextInput = string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * Splits text into numbered lines as it arrives, so a corpus larger than memory can be
 * read. Line endings `\n` and `\r\n` are stripped; a leading byte-order mark is dropped;
 * bytes that are not UTF-8 fail with a {@link DataError} naming `file` and the line rather
 * than turning into U+FFFD silently. Uses only the global `TextDecoder`: in Node, read a
 * file with `readLines` from `@s2s/data/node`; in a browser, pass `response.body`.
 */
export async function* splitLines(input: TextInput, file = '<text>'): AsyncGenerator<Line> {
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
  if (typeof input === 'string') {
    pending = input.startsWith('\ufeff') ? input.slice(1) : input;
    yield* split(true);
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of input) {
    pending += decodeOrExplain(decoder, chunk, pending, number, file);
    yield* split(false);
  }
  pending += decoder.decode();
  yield* split(true);
}

/** Lines to parse: what {@link splitLines} (or `readLines` from `@s2s/data/node`) yields. */
export type Lines = AsyncIterable<Line> | Iterable<Line>;

function decodeOrExplain(
  decoder: InstanceType<typeof TextDecoder>,
  chunk: Uint8Array,
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
