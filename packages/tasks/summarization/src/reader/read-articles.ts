import type { TaskExample } from '@s2s/core';
import { DataError, type Lines, parseJsonl } from '@s2s/data';
import { parseArticle } from '../article/article.js';
import type { SummaryTarget } from '../task/data-settings.js';

/**
 * Turns the lines of a JSON Lines file of `{"text": …, "summary": …}` records (the BBC
 * News Summary layout: `text` is the headline, a blank line, then the paragraphs). The
 * input is the article body; the reference is the summary or the headline. A record that
 * is not an object, lacks a needed field or leaves it empty fails with a `DataError` naming
 * `path` and the line. `readArticles` in `@s2s/task-summarization/node` reads a file.
 */
export async function* articleExamples(
  lines: Lines,
  path: string,
  target: SummaryTarget,
): AsyncGenerator<TaskExample> {
  for await (const { value, line } of parseJsonl(lines, path)) {
    const where = { file: path, line };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(where, 'expected a JSON object with a string field "text"');
    }
    const record = value as Record<string, unknown>;
    const text = stringField(record, 'text', where);
    const { headline, body } = parseArticle(text);
    if (body === '') throw new DataError(where, '"text" has a headline but no body');
    let reference: string;
    if (target === 'headline') {
      if (headline === '') {
        throw new DataError(where, '"text" has no headline line (the headline is its first line)');
      }
      reference = headline;
    } else {
      reference = stringField(record, 'summary', where);
    }
    yield { input: body, references: [reference], origin: `${path}:${line}` };
  }
}

function stringField(
  record: Record<string, unknown>,
  field: string,
  where: { file: string; line: number },
): string {
  const value = record[field];
  if (typeof value !== 'string') {
    throw new DataError(where, `expected a string field "${field}", found ${describe(value)}`);
  }
  if (value.trim() === '') throw new DataError(where, `empty "${field}"`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
