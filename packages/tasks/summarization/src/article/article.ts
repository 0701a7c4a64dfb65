/** A news article split into its headline and body. */
export interface Article {
  readonly headline: string;
  /** Paragraphs separated by blank lines. */
  readonly body: string;
}

/**
 * Splits a BBC News Summary `text` (the headline on the first line, a blank line, then the
 * paragraphs) into headline and body. A text without a line break is all body.
 */
export function parseArticle(text: string): Article {
  const newline = text.indexOf('\n');
  if (newline < 0) return { headline: '', body: text.trim() };
  return { headline: text.slice(0, newline).trim(), body: text.slice(newline + 1).trim() };
}
