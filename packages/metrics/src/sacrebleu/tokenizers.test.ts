import { describe, expect, it } from 'vitest';
import { corpusBleu } from './bleu.js';
import { tokenize13a, tokenizeChar, tokenizeIntl, tokenizeNone, tokenizeZh } from './tokenizers.js';

// Expected outputs are worked by hand from mteval-v13a's regexes and sacreBLEU's
// TokenizerV14International, rule by rule.
describe('tokenize13a', () => {
  it('splits ASCII punctuation and symbols', () => {
    expect(tokenize13a('Hello, world!')).toBe('Hello , world !');
    expect(tokenize13a('(a+b)*c=d; e/f')).toBe('( a + b ) * c = d ; e / f');
  });

  it('keeps periods and commas inside numbers but splits a sentence-final period', () => {
    expect(tokenize13a('It costs 1,000.50 dollars.')).toBe('It costs 1,000.50 dollars .');
    // The padding space makes "1999." end in "not followed by a digit".
    expect(tokenize13a('In 1999.')).toBe('In 1999 .');
  });

  it('splits a dash after a digit only', () => {
    expect(tokenize13a('pages 3-4, well-known')).toBe('pages 3 - 4 , well-known');
  });

  it("keeps apostrophes (not in mteval's class)", () => {
    expect(tokenize13a("It wasn't surprising.")).toBe("It wasn't surprising .");
  });

  it('unescapes the SGML entities and joins lines as mteval does', () => {
    expect(tokenize13a('&quot;Hi&quot; &amp; bye &lt;3&gt;')).toBe('" Hi " & bye < 3 >');
    expect(tokenize13a('hyphen-\nated<skipped> two\nlines')).toBe('hyphenated two lines');
  });

  it('leaves non-ASCII punctuation attached and symbols unsplit', () => {
    expect(tokenize13a('„Guten Tag!“')).toBe('„Guten Tag ! “');
    expect(tokenize13a('Über 50 €.')).toBe('Über 50 € .');
  });

  it("splits on Python's whitespace, not JavaScript's", () => {
    // U+0085 (NEL) is whitespace to Python's str.split(); U+FEFF is not.
    expect(tokenize13a('a\u0085b')).toBe('a b');
    expect(tokenize13a('a\ufeffb')).toBe('a\ufeffb');
  });
});

describe('tokenizeIntl', () => {
  it('splits Unicode punctuation and symbols', () => {
    expect(tokenizeIntl('„Guten Tag!“')).toBe('„ Guten Tag ! “');
    expect(tokenizeIntl('Über 50 €.')).toBe('Über 50 € .');
    expect(tokenizeIntl('Hello, world!')).toBe('Hello , world !');
  });

  it('keeps punctuation between digits and, like mteval-v14, a period after a final number', () => {
    expect(tokenizeIntl('1,000.50 and 3-4')).toBe('1,000.50 and 3-4');
    expect(tokenizeIntl('In 1999.')).toBe('In 1999.');
  });

  it('splits apostrophes, which are Unicode punctuation', () => {
    expect(tokenizeIntl("It wasn't")).toBe("It wasn ' t");
  });
});

describe('tokenizeNone', () => {
  it('returns the line untouched', () => {
    expect(tokenizeNone(' a,b  c ')).toBe(' a,b  c ');
  });
});

describe('tokenizeZh', () => {
  it('spaces out CJK characters, then applies the 13a rules without padding', () => {
    expect(tokenizeZh('我爱北京。')).toBe('我 爱 北 京 。');
    expect(tokenizeZh('  Hello, 世界! ')).toBe('Hello , 世 界 !');
    expect(tokenizeZh('价格3.5元')).toBe('价 格 3.5 元');
  });

  it('follows the ranges its code compares with, not those its comments name', () => {
    // '\u20000' in Python is U+2000 then '0', so U+2001–U+2A6D count as Chinese: the em
    // dash and the euro sign are split off; U+20000 itself (a CJK extension B ideograph,
    // outside the BMP) is not.
    expect(tokenizeZh('a—b')).toBe('a — b');
    expect(tokenizeZh('5€')).toBe('5 €');
    expect(tokenizeZh('a\u2000b')).toBe('a b'); // U+2000 is whitespace, not "Chinese"
    expect(tokenizeZh('a𠀀b')).toBe('a𠀀b');
  });
});

describe('tokenizeChar', () => {
  it('makes every character (code point) a token', () => {
    expect(tokenizeChar('ab c😀')).toBe('a b   c 😀');
  });

  it('is what BLEU uses with tokenize char and zh, and the signature says so', () => {
    const char = corpusBleu(['abcd'], [['abce']], { tokenize: 'char' });
    // By hand: 3/4 unigrams, 2/3 bigrams, 1/2 trigrams, 0/1 4-grams; exp smoothing gives the
    // 4-gram 100/(2·1) = 50: BLEU = (75 · 66.67 · 50 · 50)^(1/4).
    expect(char.score).toBeCloseTo((75 * (200 / 3) * 50 * 50) ** 0.25, 10);
    expect(char.signature).toContain('tok:char');
    expect(corpusBleu(['我爱北京'], [['我爱北京']], { tokenize: 'zh' }).score).toBeCloseTo(100, 10);
  });
});
