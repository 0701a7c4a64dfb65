import {
  ConfigError,
  defaultSpecials,
  parseOptions,
  type SpecialTokens,
  Vocabulary,
} from '@s2s/core';
import { z } from 'zod';

/** Options of {@link buildVocabulary}. */
export interface BuildVocabularyOptions {
  /** Keep only tokens seen at least this often. Default 1. */
  readonly minFrequency?: number;
  /** At most this many ids, the four specials included. Default: no limit. */
  readonly maxSize?: number;
  /** Spellings of `<pad>`, `<bos>`, `<eos>`, `<unk>`. Default core's. */
  readonly specials?: SpecialTokens;
}

const spelling = z.string().min(1);

/** The options of {@link buildVocabulary}, with their defaults. */
export const buildVocabularyOptions = z.strictObject({
  minFrequency: z.int().positive().default(1).describe('Keep only tokens seen at least this often'),
  maxSize: z
    .int()
    .min(4, 'must leave room for the 4 specials')
    .optional()
    .describe('At most this many ids, the four specials included. Default: no limit'),
  specials: z
    .strictObject({ pad: spelling, bos: spelling, eos: spelling, unk: spelling })
    .default(defaultSpecials)
    .describe('Spellings of <pad>, <bos>, <eos>, <unk>'),
});

/**
 * Counts tokens, to build a vocabulary from. Feed it tokenized texts one at a time, so a
 * corpus larger than memory can be counted while it streams past.
 */
export class TokenCounter {
  /** Occurrences of each token seen. */
  readonly counts = new Map<string, number>();

  /** Adds one tokenized text. */
  add(tokens: readonly string[]): this {
    for (const token of tokens) this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
    return this;
  }
}

/**
 * Builds a {@link Vocabulary} from token counts: the specials take ids 0–3, then tokens seen
 * at least `minFrequency` times follow by descending count, ties in code-unit order of the
 * token, so the ids depend only on the counts (not on the order tokens were met); `maxSize`
 * keeps the most frequent. Tokens spelled like a special are dropped.
 */
export function buildVocabulary(
  counts: TokenCounter | ReadonlyMap<string, number> | Iterable<readonly [string, number]>,
  options: BuildVocabularyOptions = {},
): Vocabulary {
  const o = parseOptions('buildVocabulary', buildVocabularyOptions, options);
  const { minFrequency, specials } = o;
  const maxSize = o.maxSize ?? Number.POSITIVE_INFINITY;
  const reserved = new Set(Object.values(specials));
  const entries = counts instanceof TokenCounter ? counts.counts : counts;
  const kept: [string, number][] = [];
  for (const [token, count] of entries) {
    if (!Number.isFinite(count) || count < 0) {
      throw new ConfigError(
        `buildVocabulary: count of '${token}' must be a non-negative number, got ${count}`,
      );
    }
    if (count >= minFrequency && !reserved.has(token)) kept.push([token, count]);
  }
  kept.sort(([a, m], [b, n]) => (m !== n ? n - m : a < b ? -1 : a > b ? 1 : 0));
  return new Vocabulary(
    kept.slice(0, maxSize - 4).map(([token]) => token),
    specials,
  );
}
