import { parseOptions, type SearchOptions } from '@s2s/core';
import { z } from 'zod';

/** Per-call options, validated: what every strategy reads from {@link SearchOptions}. */
export interface CallOptions {
  readonly maxLength: number;
  readonly alignments: boolean;
}

/** {@link SearchOptions}, the options of every strategy's `search`, as a zod schema. */
export const searchCallOptions = z.strictObject({
  maxLength: z.int().positive().describe('Longest output in tokens, `<eos>` included'),
  alignments: z.boolean().default(true).describe('Record attention alignments. Default true'),
});

/** Validates the per-call options a strategy was given. */
export function callOptions(owner: string, options: SearchOptions): CallOptions {
  return parseOptions(owner, searchCallOptions, options);
}

/** α of the length normalisation log P / L^α, in [0, 10]. */
export const lengthPenalty = z.number().min(0).max(10);

/** How many hypotheses to return per source. */
export const nBest = z.int().positive().default(1).describe('Hypotheses returned per source');
