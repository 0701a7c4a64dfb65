import { S2SError } from '@s2s/core';

/** Where bad data was found: a file (or a named in-memory source) and, for text, a 1-based line. */
export interface DataLocation {
  readonly file: string;
  readonly line?: number;
}

/**
 * Input data was malformed: a TSV line without a tab, JSON that does not parse, a WAV that
 * is not PCM, an empty example. The message starts with `file:line:` like a compiler's, so
 * editors and terminals link straight to the culprit.
 */
export class DataError extends S2SError {
  override name = 'DataError';
  /** The file (or named source) that held the bad data. */
  readonly file: string;
  /** The 1-based line, for line-oriented files. */
  readonly line: number | undefined;

  constructor(
    location: DataLocation,
    /** What was wrong, saying what was expected. */
    readonly problem: string,
  ) {
    super(`${location.file}${location.line === undefined ? '' : `:${location.line}`}: ${problem}`);
    this.file = location.file;
    this.line = location.line;
  }
}
