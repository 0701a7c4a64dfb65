import { type BuildContext, parseOptions, type Tokenizer } from '@s2s/core';
import { z } from 'zod';
import {
  type NormalizeOptions,
  normalizeOptions,
  normalizeText,
  type TextNormalizer,
} from './normalize.js';

/** Options of {@link WordTokenizer}. */
export interface WordTokenizerOptions extends NormalizeOptions {
  /**
   * Words that elide before a vowel and are split off with their apostrophe
   * (`l'hôpital` → `l'` `hôpital`), matched case-insensitively. Default: the French
   * elisions. `[]` keeps every apostrophe inside its word (`don't`, `aujourd'hui`).
   */
  readonly elisions?: readonly string[];
}

/** French words written with an apostrophe before a vowel or mute h. */
export const frenchElisions: readonly string[] = [
  'c',
  'd',
  'j',
  'l',
  'm',
  'n',
  's',
  't',
  'qu',
  'jusqu',
  'lorsqu',
  'puisqu',
  'quoiqu',
  'presqu',
  'quelqu',
];

/** The options `{ name: 'word', … }` takes, with their defaults. */
export const wordTokenizerOptions = normalizeOptions.extend({
  elisions: z
    .array(z.string().regex(/^[\p{L}\p{M}]+$/u, 'must be a word of letters only'))
    .readonly()
    .default(frenchElisions)
    .describe(
      "Words split off with their apostrophe before a vowel (l'hôpital → l' hôpital); default the French elisions, [] splits none",
    ),
});

// A word: letters, marks and digits, joined inside by apostrophes or hyphens, and inside a
// number by `.` `,` `:` (3.14, 1,000, 8:10), so numbers stay whole.
const word = String.raw`[\p{L}\p{M}\p{N}]+(?:(?:['’\-‐]|(?<=\p{N})[.,:](?=\p{N}))[\p{L}\p{M}\p{N}]+)*`;
// An emoji with its variation selector, skin tone and zero-width-joined parts.
const emoji = String.raw`\p{Extended_Pictographic}(?:\p{M}|\p{Emoji_Modifier}|\u200d\p{Extended_Pictographic})*`;
// Any other visible character; a run of the same one (`...`, `!!`) is one token.
const other = String.raw`(?<p>[^\s\p{L}\p{M}\p{N}])\k<p>*\p{M}*`;
const tokenPattern = new RegExp(`${word}|${emoji}|${other}`, 'gu');
const wordStart = /^[\p{L}\p{M}\p{N}]/u;
// Closing brackets and quotes, and punctuation that hugs the word before it.
const hugsLeft = /^[\p{Pe}\p{Pf}.,!?;:%…]/u;
// Opening brackets and quotes, and inverted marks that hug the word after them.
const hugsRight = /[\p{Ps}\p{Pi}¿¡]$/u;
const ambiguousQuotes = new Set(['"', "'"]);

/**
 * Splits text into words and punctuation, Unicode-aware: a word is a run of letters, marks
 * and digits (any script), joined inside by apostrophes and hyphens (`don't`,
 * `peut-être`); numbers stay whole (`3.14`, `1,000`, `8:10`); every other character is a
 * token of its own (a run of one character, such as `...`, is one token); French elisions
 * are split after the apostrophe (`l'hôpital` → `l'` `hôpital`).
 *
 * Normal form: `decode` joins tokens with one space, except none before closing
 * punctuation (`. , ! ? ; : % …` and closing brackets and quotes), none after opening
 * brackets and quotes, `¿`, `¡` and an elision, and straight quotes `"` `'` alternately
 * open and close. So `decode(encode(text))` is `text` Unicode-normalised, optionally
 * lower-cased, re-spaced by those rules (`Cours !` → `Cours!`), and encoding it again
 * gives the same tokens.
 */
export class WordTokenizer implements Tokenizer {
  readonly name = 'word';
  readonly elisions: readonly string[];
  private readonly normalizer: TextNormalizer;
  private readonly elision: RegExp | undefined;

  constructor(options: WordTokenizerOptions = {}) {
    const { normalize, lowercase, elisions } = parseOptions(
      'word tokenizer',
      wordTokenizerOptions,
      options,
    );
    this.normalizer = { normalize, lowercase };
    this.elisions = [...elisions];
    // Longest first, so `jusqu'` wins over `j'`... (alternation takes the first match).
    const sorted = [...elisions].sort((a, b) => b.length - a.length);
    this.elision = sorted.length
      ? new RegExp(`^(?:${sorted.join('|')})['’](?=\\p{L})`, 'iu')
      : undefined;
  }

  encode(text: string): string[] {
    const tokens: string[] = [];
    for (const [match] of normalizeText(text, this.normalizer).matchAll(tokenPattern)) {
      let rest = match;
      for (let m = this.splitElision(rest); m; m = this.splitElision(rest)) {
        tokens.push(m);
        rest = rest.slice(m.length);
      }
      tokens.push(rest);
    }
    return tokens;
  }

  decode(tokens: readonly string[]): string {
    let out = '';
    let prev: string | undefined;
    const open = new Set<string>();
    for (const token of tokens) {
      let glue = prev === undefined || this.hugsNext(prev, open);
      if (ambiguousQuotes.has(token)) {
        if (open.has(token)) {
          glue = true;
          open.delete(token);
        } else {
          open.add(token);
        }
      } else if (hugsLeft.test(token)) {
        glue = true;
      }
      // Two runs of one character must stay apart, or they would read back as one run.
      if (prev !== undefined && !wordStart.test(token) && prev.at(-1) === token[0]) glue = false;
      out += glue ? token : ` ${token}`;
      prev = token;
    }
    return out;
  }

  toJSON(): { name: string; normalize: string; lowercase: boolean; elisions: string[] } {
    return { name: this.name, ...this.normalizer, elisions: [...this.elisions] };
  }

  private splitElision(word: string): string | undefined {
    return this.elision?.exec(word)?.[0];
  }

  /** Whether `prev` takes the next token without a space. */
  private hugsNext(prev: string, open: ReadonlySet<string>): boolean {
    if (ambiguousQuotes.has(prev)) return open.has(prev);
    if (hugsRight.test(prev)) return true;
    return this.splitElision(`${prev}a`) === prev;
  }
}

/** Registry factory: `{ name: 'word', normalize?, lowercase?, elisions? }`. */
export function createWordTokenizer(
  options: Readonly<Record<string, unknown>>,
  _context?: BuildContext,
): WordTokenizer {
  return new WordTokenizer(options as WordTokenizerOptions);
}
