import type { TaskExample } from '@s2s/core';
import { readLines } from '@s2s/data/node';
import { articleExamples } from '../reader/read-articles.js';
import type { SummaryTarget } from '../task/data-settings.js';

/**
 * Streams examples from a JSON Lines file of `{"text": …, "summary": …}` records; see
 * `articleExamples`. A malformed record or a file that cannot be read is a `DataError`
 * naming the file and line.
 */
export function readArticles(path: string, target: SummaryTarget): AsyncGenerator<TaskExample> {
  return articleExamples(readLines(path), path, target);
}
