import { parseOptions } from '@s2s/core';
import { z } from 'zod';
import { DataError } from '../errors/data-error.js';
import type { Lines } from './lines.js';
import type { TextPair } from './tsv.js';

/** One parsed JSON Lines record. */
export interface JsonRecord {
  readonly value: unknown;
  /** 1-based. */
  readonly line: number;
}

/** Which fields of a JSONL object hold the source and the target. */
export interface JsonlPairOptions {
  /** Default `text`. */
  readonly source?: string;
  /** Default `summary`. */
  readonly target?: string;
}

/** The options of {@link parseJsonlPairs}, with their defaults. */
export const jsonlPairOptions = z.strictObject({
  source: z.string().min(1).default('text').describe('The field holding the source'),
  target: z.string().min(1).default('summary').describe('The field holding the target'),
});

/**
 * Parses the records of a JSON Lines file from its lines (`readJsonl` in `@s2s/data/node`
 * reads a file), one JSON value per line; blank lines are
 * skipped. A line that does not parse fails with a {@link DataError} naming the file and
 * line.
 */
export async function* parseJsonl(lines: Lines, file = '<text>'): AsyncGenerator<JsonRecord> {
  for await (const { text, number } of lines) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DataError({ file, line: number }, `invalid JSON: ${(error as Error).message}`);
    }
    yield { value, line: number };
  }
}

/**
 * Parses (source, target) pairs from the string fields of JSONL objects, by default
 * `{"text": …, "summary": …}`. A record that is not an object, lacks a field, holds a
 * non-string or an empty string fails with a {@link DataError}.
 */
export async function* parseJsonlPairs(
  lines: Lines,
  file = '<text>',
  options: JsonlPairOptions = {},
): AsyncGenerator<TextPair> {
  const fields = parseOptions('parseJsonlPairs', jsonlPairOptions, options);
  for await (const { value, line } of parseJsonl(lines, file)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError({ file, line }, `expected a JSON object, found ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    const [source, target] = [fields.source, fields.target].map((field) => {
      const text = record[field];
      if (typeof text !== 'string') {
        throw new DataError(
          { file, line },
          `expected a string field '${field}', found ${describe(text)}`,
        );
      }
      if (text.trim() === '') throw new DataError({ file, line }, `empty '${field}'`);
      return text;
    }) as [string, string];
    yield { source, target, line };
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
