import { DataError } from '../errors/data-error.js';
import type { Lines } from './lines.js';

/** A source text and its target, with where they came from. */
export interface TextPair {
  readonly source: string;
  readonly target: string;
  /** The file's 1-based line (or record) number. */
  readonly line: number;
}

/**
 * Parses `source<TAB>target` pairs from the lines of a TSV file (the manythings/Tatoeba
 * format; `readTsvPairs` in `@s2s/data/node` reads a file). Extra
 * columns, such as newer releases' attribution column, are ignored; blank lines are
 * skipped. A line without a tab or with an empty source or target fails with a
 * {@link DataError} naming `file` and the line.
 */
export async function* parseTsvPairs(lines: Lines, file = '<text>'): AsyncGenerator<TextPair> {
  for await (const { text, number } of lines) {
    if (text.trim() === '') continue;
    const fields = text.split('\t');
    if (fields.length < 2) {
      throw new DataError(
        { file, line: number },
        'expected 2 tab-separated fields (source, target), found 1',
      );
    }
    const [source, target] = [fields[0]!.trim(), fields[1]!.trim()];
    if (source === '') throw new DataError({ file, line: number }, 'empty source text');
    if (target === '') throw new DataError({ file, line: number }, 'empty target text');
    yield { source, target, line: number };
  }
}
