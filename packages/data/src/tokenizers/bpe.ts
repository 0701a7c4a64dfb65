import { type BuildContext, parseOptions, type Tokenizer } from '@s2s/core';
import { z } from 'zod';
import { type BpeTrainingOptions, bpeTrainingOptions, learnMerges, pairKey } from './bpe-train.js';
import {
  type NormalizeOptions,
  normalizeOptions,
  normalizeText,
  type TextNormalizer,
} from './normalize.js';

/** One BPE merge: the two adjacent pieces that become one. */
export type BpeMerge = readonly [left: string, right: string];

/** Options of {@link BpeTokenizer}. */
export interface BpeTokenizerOptions extends NormalizeOptions {
  /** The learned merges, in the order they were learned (earlier merges apply first). */
  readonly merges: readonly BpeMerge[];
}

/** Marks the start of a word, as in SentencePiece: `▁the` is `the` after a space. */
export const WORD_START = '\u2581';

const piece = z.string().min(1, 'a merge joins two non-empty pieces');

/** The options `{ name: 'bpe', … }` takes, with their defaults: `merges` is required. */
export const bpeTokenizerOptions = normalizeOptions.extend({
  merges: z
    .array(z.tuple([piece, piece]), {
      error: 'expected an array of [left, right] pairs; learn them with BpeTokenizer.train()',
    })
    .describe('The learned merges, earliest first (earlier merges apply first)'),
});
// Merges never cross these boundaries: a run of letters (apostrophes included, so French
// `l'` can become a piece), a run of digits, or one other character. A word's first
// segment carries the word-start mark.
const segmentPattern = new RegExp(
  `${WORD_START}?(?:[\\p{L}\\p{M}'’]+|\\p{N}+|[^\\p{L}\\p{M}\\p{N}'’${WORD_START}])`,
  'gu',
);
const cacheLimit = 100_000;

/**
 * Byte-pair encoding over characters (Sennrich et al. 2016, "Neural Machine Translation of
 * Rare Words with Subword Units"): a word is split into characters, then the learned
 * merges are applied in the order they were learned. Word starts carry `▁` (U+2581), as
 * in SentencePiece, so the pieces alone say where the spaces were. Characters never seen
 * in training stay single-character pieces (a vocabulary maps them to `<unk>`).
 *
 * Normal form: `decode(encode(text))` is `text` Unicode-normalised (NFC by default),
 * optionally lower-cased, with every run of white space one ASCII space, trimmed; a `▁` in
 * the input reads as a space.
 */
export class BpeTokenizer implements Tokenizer {
  readonly name = 'bpe';
  readonly merges: readonly BpeMerge[];
  private readonly normalizer: TextNormalizer;
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, string[]>();

  constructor(options: BpeTokenizerOptions) {
    const { normalize, lowercase, merges } = parseOptions(
      'bpe tokenizer',
      bpeTokenizerOptions,
      options,
    );
    this.normalizer = { normalize, lowercase };
    merges.forEach(([left, right], rank) => {
      const key = pairKey(left, right);
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
    this.merges = merges.map(([left, right]) => [left, right] as const);
  }

  /**
   * Learns merges from a corpus, one text per item, read once (a reader's stream works: only
   * the counts of distinct words are kept in memory).
   */
  static async train(
    corpus: Iterable<string> | AsyncIterable<string>,
    options: BpeTrainingOptions = {},
  ): Promise<BpeTokenizer> {
    const { normalize, lowercase, ...training } = parseOptions(
      'bpe training',
      bpeTrainingOptions,
      options,
    );
    const normalizer: TextNormalizer = { normalize, lowercase };
    const counts = new Map<string, number>();
    for await (const text of corpus) {
      for (const segment of segments(text, normalizer)) {
        counts.set(segment, (counts.get(segment) ?? 0) + 1);
      }
    }
    return new BpeTokenizer({ ...normalizer, merges: learnMerges(counts, training) });
  }

  encode(text: string): string[] {
    return segments(text, this.normalizer).flatMap((segment) => this.encodeSegment(segment));
  }

  decode(tokens: readonly string[]): string {
    return tokens.join('').replaceAll(WORD_START, ' ').trim();
  }

  toJSON(): { name: string; normalize: string; lowercase: boolean; merges: [string, string][] } {
    return {
      name: this.name,
      ...this.normalizer,
      merges: this.merges.map(([left, right]) => [left, right]),
    };
  }

  private encodeSegment(segment: string): string[] {
    const cached = this.cache.get(segment);
    if (cached) return cached;
    const pieces = Array.from(segment);
    for (;;) {
      // Apply the earliest-learned merge present, at every place it occurs.
      let best = Infinity;
      for (let i = 0; i + 1 < pieces.length; i++) {
        best = Math.min(best, this.ranks.get(pairKey(pieces[i]!, pieces[i + 1]!)) ?? Infinity);
      }
      if (best === Infinity) break;
      const [left, right] = this.merges[best]!;
      for (let i = 0; i + 1 < pieces.length; i++) {
        if (pieces[i] === left && pieces[i + 1] === right) pieces.splice(i, 2, left + right);
      }
    }
    if (this.cache.size >= cacheLimit) this.cache.clear();
    this.cache.set(segment, pieces);
    return pieces;
  }
}

/** Splits text in normal form into the segments merges stay within. */
function segments(text: string, normalizer: TextNormalizer): string[] {
  const normal = normalizeText(text.replaceAll(WORD_START, ' '), normalizer);
  if (normal === '') return [];
  const marked = WORD_START + normal.replaceAll(' ', WORD_START);
  return marked.match(segmentPattern) ?? [];
}

/** Registry factory: `{ name: 'bpe', merges, normalize?, lowercase? }`. */
export function createBpeTokenizer(
  options: Readonly<Record<string, unknown>>,
  _context?: BuildContext,
): BpeTokenizer {
  return new BpeTokenizer(options as unknown as BpeTokenizerOptions);
}
