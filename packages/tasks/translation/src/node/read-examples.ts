import type { TaskExample } from '@s2s/core';
import { readLines } from '@s2s/data/node';
import { translationExamples } from '../reading/read-examples.js';

/**
 * Streams `english<TAB>french` pairs from a TSV file as task examples, skipping pairs with
 * more than `maxWords` words on either side. A malformed line (no tab, an empty side,
 * bytes that are not UTF-8) is a `DataError` naming the file and line.
 */
export function readTranslationExamples(
  file: string,
  maxWords: number,
  onSkip?: (origin: string, reason: string) => void,
): AsyncGenerator<TaskExample> {
  return translationExamples(readLines(file), file, maxWords, onSkip);
}
