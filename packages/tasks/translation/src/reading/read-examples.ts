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
  onSkip?: (origin: string, reason: string) => void,
): AsyncGenerator<TaskExample> {
  for await (const pair of readTsvPairs(file)) {
    const origin = `${file}:${pair.line}`;
    if (countWords(pair.source) > maxWords || countWords(pair.target) > maxWords) {
      onSkip?.(origin, `more than ${maxWords} words on a side (data.maxWords)`);
      continue;
    }
    yield { input: pair.source, references: [pair.target], origin };
  }
}
