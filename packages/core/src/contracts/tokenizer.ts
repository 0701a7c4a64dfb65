/**
 * Splits text into tokens and joins them back. `decode(encode(text))` returns the
 * tokenizer's normal form of `text`.
 */
export interface Tokenizer {
  readonly name: string;
  encode(text: string): string[];
  decode(tokens: readonly string[]): string;
  /** The config that rebuilds this tokenizer through the registry (kind `tokenizer`). */
  toJSON(): { readonly name: string; readonly [option: string]: unknown };
}
