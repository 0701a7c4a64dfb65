import { describe, expect, it } from 'vitest';
import { tokenize13a, tokenizeIntl, tokenizeNone } from './tokenizers.js';

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
