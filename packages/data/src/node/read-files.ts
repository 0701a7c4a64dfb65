import { type BabiStory, parseBabiStories } from '../readers/babi.js';
import {
  type JsonlPairOptions,
  type JsonRecord,
  parseJsonl,
  parseJsonlPairs,
} from '../readers/jsonl.js';
import { parseTsvPairs, type TextPair } from '../readers/tsv.js';
import { readLines } from './read-lines.js';

/**
 * Streams `source<TAB>target` pairs from a TSV file; see `parseTsvPairs`. A malformed line
 * or a file that cannot be read is a `DataError` naming the file and line.
 */
export function readTsvPairs(file: string): AsyncGenerator<TextPair> {
  return parseTsvPairs(readLines(file), file);
}

/** Streams the records of a JSON Lines file; see `parseJsonl`. */
export function readJsonl(file: string): AsyncGenerator<JsonRecord> {
  return parseJsonl(readLines(file), file);
}

/** Streams (source, target) pairs from a JSON Lines file; see `parseJsonlPairs`. */
export function readJsonlPairs(
  file: string,
  options: JsonlPairOptions = {},
): AsyncGenerator<TextPair> {
  return parseJsonlPairs(readLines(file), file, options);
}

/** Streams the stories of a bAbI task file; see `parseBabiStories`. */
export function readBabiStories(file: string): AsyncGenerator<BabiStory> {
  return parseBabiStories(readLines(file), file);
}
