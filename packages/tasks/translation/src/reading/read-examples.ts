import type { TaskExample } from '@s2s/core';
import { type Lines, parseTsvPairs } from '@s2s/data';
import { countWords } from '../settings/data-settings.js';

/**
 * Turns the lines of an `english<TAB>french` TSV file into task examples (input: the
 * English, references: the French), skipping pairs with more than `maxWords` words on
 * either side. A malformed line (no tab, an empty side) is a `DataError` naming `file` and
 * the line. `readTranslationExamples` in `@s2s/task-translation/node` reads a file.
 */
export async function* translationExamples(
  lines: Lines,
  file: string,
  maxWords: number,
  onSkip?: (origin: string, reason: string) => void,
): AsyncGenerator<TaskExample> {
  for await (const pair of parseTsvPairs(lines, file)) {
    const origin = `${file}:${pair.line}`;
    if (countWords(pair.source) > maxWords || countWords(pair.target) > maxWords) {
      onSkip?.(origin, `more than ${maxWords} words on a side (data.maxWords)`);
      continue;
    }
    yield { input: pair.source, references: [pair.target], origin };
  }
}
