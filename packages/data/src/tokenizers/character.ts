import { type BuildContext, parseOptions, type Tokenizer } from '@s2s/core';
import {
  type NormalizeOptions,
  normalizeOptions,
  normalizeText,
  type TextNormalizer,
} from './normalize.js';

/** Options of {@link CharacterTokenizer}. */
export interface CharacterTokenizerOptions extends NormalizeOptions {}

/** The options `{ name: 'character', … }` takes, with their defaults. */
export const characterTokenizerOptions = normalizeOptions;

/**
 * One token per user-perceived character (extended grapheme cluster, UAX #29), so an
 * accented letter written with a combining mark or an emoji sequence stays one token.
 * A space is the token `' '`.
 *
 * Normal form: `decode(encode(text))` is `text` Unicode-normalised (NFC by default),
 * optionally lower-cased, with every run of white space one ASCII space, trimmed.
 */
export class CharacterTokenizer implements Tokenizer {
  readonly name = 'character';
  private readonly normalizer: TextNormalizer;
  private readonly segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

  constructor(options: CharacterTokenizerOptions = {}) {
    const { normalize, lowercase } = parseOptions(
      'character tokenizer',
      characterTokenizerOptions,
      options,
    );
    this.normalizer = { normalize, lowercase };
  }

  encode(text: string): string[] {
    const normal = normalizeText(text, this.normalizer);
    return Array.from(this.segmenter.segment(normal), (s) => s.segment);
  }

  decode(tokens: readonly string[]): string {
    return tokens.join('');
  }

  toJSON(): { name: string; normalize: string; lowercase: boolean } {
    return { name: this.name, ...this.normalizer };
  }
}

/** Registry factory: `{ name: 'character', normalize?, lowercase? }`. */
export function createCharacterTokenizer(
  options: Readonly<Record<string, unknown>>,
  _context?: BuildContext,
): CharacterTokenizer {
  return new CharacterTokenizer(options as CharacterTokenizerOptions);
}
