import type { TaskExample } from '@s2s/core';
import { readTsvPairs } from '@s2s/data';
import { countWords } from '../settings/data-settings.js';

/**
 * Streams `english<TAB>french` pairs from a TSV file as task examples (input: the English,
 * references: the French), skipping pairs with more than `maxWords` words on either side.
 * A malformed line (no tab, an empty side, bytes that are not UTF-8) is a `DataError`
 * naming the file and line.
 */
export async function* readTranslationExamples(
  file: string,
  maxWords: number,
): AsyncGenerator<TaskExample> {
  for await (const pair of readTsvPairs(file)) {
    if (countWords(pair.source) > maxWords || countWords(pair.target) > maxWords) continue;
    yield { input: pair.source, references: [pair.target], origin: `${file}:${pair.line}` };
  }
}
