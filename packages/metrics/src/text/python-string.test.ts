import { describe, expect, it } from 'vitest';
import {
  codePoints,
  PYTHON_PUNCTUATION,
  pythonFixed,
  pythonRstrip,
  pythonSplit,
  pythonStrip,
} from './python-string.js';

// Expected values follow the Python 3 documentation of str.split(), str.strip(),
// str.isspace() and format-spec rounding (round-half-to-even on the exact binary value).
describe('Python string behaviour', () => {
  it("splits on Python's whitespace set", () => {
    expect(pythonSplit('  a\tb\n\u0085c\u001cd\u3000e  ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    // U+FEFF is whitespace to JavaScript's \s but not to Python.
    expect(pythonSplit('a\ufeffb')).toEqual(['a\ufeffb']);
    expect(pythonSplit('')).toEqual([]);
  });

  it('strips both ends or the right end only', () => {
    expect(pythonStrip('\u2028 x y \u00a0')).toBe('x y');
    expect(pythonRstrip(' x \n')).toBe(' x');
  });

  it('has the 32 ASCII punctuation characters of string.punctuation', () => {
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
    const expected = ascii.filter((ch) => /[!-/:-@[-`{-~]/.test(ch));
    expect([...PYTHON_PUNCTUATION].sort()).toEqual(expected.sort());
    expect(PYTHON_PUNCTUATION.size).toBe(32);
  });

  it('counts code points', () => {
    expect(codePoints('a😀b')).toEqual(['a', '😀', 'b']);
  });

  it('rounds exact ties to even, other values to nearest', () => {
    // 1.0625, 0.125 and 2.5 are exact binary fractions: ties. Python prints '1.062', '0.12', '2'.
    expect(pythonFixed(1.0625, 3)).toBe('1.062');
    expect(pythonFixed(0.125, 2)).toBe('0.12');
    expect(pythonFixed(0.375, 2)).toBe('0.38');
    expect(pythonFixed(2.5, 0)).toBe('2');
    expect(pythonFixed(-0.125, 2)).toBe('-0.12');
    // 0.15 is really 0.1499999999999999944…: not a tie, rounds down in both languages.
    expect(pythonFixed(0.15, 1)).toBe('0.1');
    expect(pythonFixed(48.530827, 2)).toBe('48.53');
  });
});
