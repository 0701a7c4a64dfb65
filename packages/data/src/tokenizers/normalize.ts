import { ConfigError, oneOf } from '@s2s/core';

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

/** The validated, filled-in form of {@link NormalizeOptions}. */
export interface TextNormalizer {
  readonly normalize: UnicodeForm;
  readonly lowercase: boolean;
}

/** Validates {@link NormalizeOptions} for `owner`, naming the bad option. */
export function textNormalizer(owner: string, options: NormalizeOptions): TextNormalizer {
  const normalize = oneOf(owner, 'normalize', options.normalize ?? normalizeDefaults.normalize, [
    'NFC',
    'NFKC',
    'none',
  ]);
  const lowercase = options.lowercase ?? normalizeDefaults.lowercase;
  if (typeof lowercase !== 'boolean') {
    throw new ConfigError(
      `${owner}: option 'lowercase' must be a boolean, got ${JSON.stringify(lowercase)}`,
    );
  }
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
