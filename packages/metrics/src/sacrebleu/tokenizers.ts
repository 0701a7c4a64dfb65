import { pythonSplit } from '../text/python-string.js';

/** The tokenisers sacreBLEU's BLEU offers that need no external model. */
export type BleuTokenizerName = '13a' | 'intl' | 'none';

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
  none: tokenizeNone,
};

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
