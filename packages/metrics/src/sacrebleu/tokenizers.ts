import { codePoints, pythonSplit, pythonStrip } from '../text/python-string.js';

/** The tokenisers sacreBLEU's BLEU offers that need no external model. */
export type BleuTokenizerName = '13a' | 'intl' | 'zh' | 'char' | 'none';

/** A BLEU tokeniser: one detokenised line in, one line of space-separated tokens out. */
export type BleuTokenizer = (line: string) => string;

/**
 * mteval-v13a tokenisation as sacreBLEU's `Tokenizer13a` does it: unescape the few SGML
 * entities WMT references contain, pad the line with spaces, then split off punctuation,
 * symbols and (unless between digits) periods and commas.
 */
export function tokenize13a(line: string): string {
  const unescaped = line
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  // The padding makes a line-final period count as "not followed by a digit".
  return applyRules(` ${unescaped} `, RULES_13A);
}

/**
 * sacreBLEU's `TokenizerV14International` (mteval-v14 `--international-tokenization`):
 * split every Unicode punctuation mark off unless it sits between digits, and every
 * Unicode symbol. Unlike 13a there is no padding, so a year that ends a sentence keeps its
 * period ("1999." stays one token) — the same quirk as mteval-v14.pl.
 */
export function tokenizeIntl(line: string): string {
  return applyRules(line, RULES_INTL);
}

/**
 * sacreBLEU's `TokenizerZh` (after Shujian Huang's script): strip the line, put spaces
 * around every character in the CJK ranges it lists, then apply the 13a rules without
 * 13a's padding. The ranges are those its code compares with, not those its comments name:
 * two of them are written `'\u20000'` and `'\u2f800'`, which Python reads as a BMP
 * character followed by a digit, so they cover U+2001–U+2A6D and U+2F81–U+2FA1 (general
 * punctuation, currency and arrows among them) and no supplementary-plane character.
 */
export function tokenizeZh(line: string): string {
  let spaced = '';
  for (const char of pythonStrip(line)) {
    spaced += isZhCharacter(char.codePointAt(0)!) ? ` ${char} ` : char;
  }
  return applyRules(spaced, RULES_13A);
}

/** sacreBLEU's `TokenizerChar`: every character (code point) a token. */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(' ');
}

/** No tokenisation: the line is split on whitespace as it is (sacreBLEU `tok:none`). */
export function tokenizeNone(line: string): string {
  return line;
}

/** The tokeniser sacreBLEU names `name`. */
export function bleuTokenizer(name: BleuTokenizerName): BleuTokenizer {
  return TOKENIZERS[name];
}

const TOKENIZERS: Record<BleuTokenizerName, BleuTokenizer> = {
  '13a': tokenize13a,
  intl: tokenizeIntl,
  zh: tokenizeZh,
  char: tokenizeChar,
  none: tokenizeNone,
};

/** Code-point ranges `TokenizerZh` treats as Chinese, as its comparisons behave. */
const ZH_RANGES: readonly (readonly [number, number])[] = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // written '\u20000'..'\u2a6d6': see tokenizeZh
  [0x2f81, 0x2fa1], // written '\u2f800'..'\u2fa1d'
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

function isZhCharacter(code: number): boolean {
  return ZH_RANGES.some(([start, end]) => start <= code && code <= end);
}

type Rule = readonly [RegExp, string];

// mteval-v13a's regexes, as sacreBLEU's TokenizerRegexp has them. The first class is
// { | } ~, [ \ ] ^ _ `, space ! " # $ % &, ( ) * +, : ; < = > ? @ and /.
const RULES_13A: readonly Rule[] = [
  [/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40/])/gu, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/gu, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/gu, ' $1 $2'],
  // dash when preceded by a digit
  [/([0-9])(-)/gu, '$1 $2 '],
];

const RULES_INTL: readonly Rule[] = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function applyRules(line: string, rules: readonly Rule[]): string {
  let out = line;
  // Python's re.sub and a global replace both scan left to right without overlap, so
  // each rule rewrites exactly the same matches.
  for (const [pattern, replacement] of rules) out = out.replace(pattern, replacement);
  return pythonSplit(out).join(' ');
}
