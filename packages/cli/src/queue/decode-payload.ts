import type { OutputFormat } from '../decode/format-output.js';
import type { SearchFlags } from '../search/search-flags.js';

/** The decode settings the producer puts in every job for the workers. */
export interface DecodePayload {
  readonly format: OutputFormat;
  readonly search: SearchFlags;
}
