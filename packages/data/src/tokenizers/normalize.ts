import { parseOptions } from '@s2s/core';
import { z } from 'zod';

/** Unicode normalisation applied before tokenizing. */
export type UnicodeForm = 'NFC' | 'NFKC' | 'none';

/** Options every tokenizer shares: how text is put in its normal form. */
export interface NormalizeOptions {
  /** Unicode normalisation. Default `NFC`, so `e` + U+0301 and `é` are one token. */
  readonly normalize?: UnicodeForm;
  /** Lower-case the text (locale-independent `toLowerCase`). Default false. */
  readonly lowercase?: boolean;
}

/** The defaults of {@link NormalizeOptions}. */
export const normalizeDefaults = { normalize: 'NFC', lowercase: false } as const;

/** The options every tokenizer shares, as a schema: how text is put in its normal form. */
export const normalizeOptions = z.strictObject({
  normalize: z
    .enum(['NFC', 'NFKC', 'none'])
    .default(normalizeDefaults.normalize)
    .describe("Unicode normalisation, so 'e' + U+0301 and 'é' are one token"),
  lowercase: z
    .boolean()
    .default(normalizeDefaults.lowercase)
    .describe('Lower-case the text (locale-independent toLowerCase)'),
});

/** The validated, filled-in form of {@link NormalizeOptions}. */
export interface TextNormalizer {
  readonly normalize: UnicodeForm;
  readonly lowercase: boolean;
}

/**
 * Validates {@link NormalizeOptions} for `owner`, naming the bad option. Other keys are
 * left to the caller's own schema (a tokenizer's), which checks them.
 */
export function textNormalizer(owner: string, options: NormalizeOptions): TextNormalizer {
  const { normalize, lowercase } = parseOptions(owner, normalizeOptions.loose(), options);
  return { normalize, lowercase };
}

/**
 * Puts `text` in normal form: Unicode-normalised, optionally lower-cased, every run of
 * white space (including no-break and other Unicode spaces) one ASCII space, trimmed.
 */
export function normalizeText(text: string, normalizer: TextNormalizer): string {
  let out = normalizer.normalize === 'none' ? text : text.normalize(normalizer.normalize);
  if (normalizer.lowercase) out = out.toLowerCase();
  return out.replace(/\s+/gu, ' ').trim();
}
