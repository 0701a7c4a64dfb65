import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { porterStem } from './porter-stemmer.js';

describe('porterStem', () => {
  it('follows the worked examples of Porter (1980)', () => {
    // "An algorithm for suffix stripping", the two examples traced through every step.
    expect(porterStem('generalizations')).toBe('gener');
    expect(porterStem('oscillators')).toBe('oscil');
    // Step examples whose later steps change nothing.
    expect(porterStem('caresses')).toBe('caress');
    expect(porterStem('ponies')).toBe('poni');
    expect(porterStem('motoring')).toBe('motor');
    expect(porterStem('hopping')).toBe('hop');
    expect(porterStem('filing')).toBe('file');
    expect(porterStem('controll')).toBe('control');
  });

  it("applies NLTK's extensions (examples from NLTK's own comments)", () => {
    expect(porterStem('flies')).toBe('fli');
    expect(porterStem('dies')).toBe('die'); // 4-letter -ies, NLTK only
    expect(porterStem('spied')).toBe('spi');
    expect(porterStem('died')).toBe('die'); // 4-letter -ied, NLTK only
    expect(porterStem('happy')).toBe('happi');
    expect(porterStem('enjoy')).toBe('enjoy'); // y after a vowel stays, NLTK only
    expect(porterStem('spy')).toBe('spi');
    expect(porterStem('dying')).toBe('die'); // irregular forms
    expect(porterStem('lying')).toBe('lie');
    expect(porterStem('skies')).toBe('sky');
    expect(porterStem('news')).toBe('news');
    expect(porterStem('at')).toBe('at'); // ≤ 2 letters are left alone
  });

  it('agrees with NLTK 3.8 on 350 words, 200 of them where the original Porter does not', () => {
    const rows = readFileSync(new URL('../../test/nltk-porter.tsv', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('\t') as [string, string]);
    expect(rows).toHaveLength(350);
    const wrong = rows.filter(([word, stem]) => porterStem(word) !== stem);
    expect(wrong).toEqual([]);
  });
});

describe('porterStem counts characters, as NLTK does in Python', () => {
  it('leaves a two-character word with a character outside the BMP alone', () => {
    // NLTK: len('😀s') == 2, so the word is returned as it is; in UTF-16 it has 3 units.
    expect(porterStem('😀s')).toBe('😀s');
    expect(porterStem('😀😀s')).toBe('😀😀');
  });

  it('stems around such characters as around any consonant', () => {
    expect(porterStem('😀ing')).toBe(porterStem('xing').replace('x', '😀'));
    expect(porterStem('caresses😀')).toBe('caresses😀');
    expect(porterStem('hop😀ing')).toBe('hop😀');
  });
});
