import { ConfigError, Registry, Rng } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { sampleSentences } from '../../test/fixtures.js';
import { createWordTokenizer, WordTokenizer } from './word.js';

const t = new WordTokenizer();

describe('WordTokenizer', () => {
  it('splits punctuation and French elisions off the words of a shipped pair', () => {
    expect(t.encode("Malgré l'adversité, l'architecte a atteint une renommée mondiale.")).toEqual(
      [
        'Malgré',
        "l'",
        'adversité',
        ',',
        "l'",
        'architecte',
        'a',
        'atteint',
        'une',
        'renommée',
      ].concat(['mondiale', '.']),
    );
    expect(t.encode("Un étranger vint me demander la route pour l'hôpital.")).toContain('hôpital');
    expect(t.encode('Je n’aurais jamais pensé')).toEqual(['Je', 'n’', 'aurais', 'jamais', 'pensé']);
    expect(t.encode("Jusqu'à quand ? Qu'est-ce que c'est ?")).toEqual([
      "Jusqu'",
      'à',
      'quand',
      '?',
      "Qu'",
      'est-ce',
      'que',
      "c'",
      'est',
      '?',
    ]);
  });

  it('keeps apostrophes that are not elisions, hyphenated words and numbers whole', () => {
    expect(t.encode("Don't say aujourd'hui, Tom's forty-eight!")).toEqual([
      "Don't",
      'say',
      "aujourd'hui",
      ',',
      "Tom's",
      'forty-eight',
      '!',
    ]);
    expect(t.encode('It costs 1,000.50 dollars at 8:10, or 3.14% (flight 124).')).toEqual(
      ['It', 'costs', '1,000.50', 'dollars', 'at', '8:10', ',', 'or', '3.14', '%'].concat([
        '(',
        'flight',
        '124',
        ')',
        '.',
      ]),
    );
  });

  it('is Unicode-aware: any script, emoji, runs of one punctuation mark', () => {
    expect(t.encode('Привет, мир! Καλημέρα... ¿Qué? 👍🏽')).toEqual([
      'Привет',
      ',',
      'мир',
      '!',
      'Καλημέρα',
      '...',
      '¿',
      'Qué',
      '?',
      '👍🏽',
    ]);
    // No spaces between CJK words: the whole run is one word (use the character or BPE tokenizer).
    expect(t.encode('東京へ行く。')).toEqual(['東京へ行く', '。']);
  });

  it('lower-cases on request, and keeps elisions whole when told there are none', () => {
    expect(new WordTokenizer({ lowercase: true }).encode("L'École")).toEqual(["l'", 'école']);
    expect(new WordTokenizer({ elisions: [] }).encode("l'hôpital")).toEqual(["l'hôpital"]);
  });

  it('decodes to the documented normal form', () => {
    const cases: [string, string][] = [
      ['Cours\u202f!', 'Cours!'],
      ["« Est-ce qu'il va pleuvoir ? » « Non. »", "«Est-ce qu'il va pleuvoir?» «Non.»"],
      ['He said " hello " ( twice ) .', 'He said "hello" (twice).'],
      ["l'hôpital , d’habitude", "l'hôpital, d’habitude"],
      ['¡ Hola !', '¡Hola!'],
      ['E\u0301te\u0301 : 30 %', 'Été: 30%'],
    ];
    for (const [text, normal] of cases) expect(t.decode(t.encode(text))).toBe(normal);
  });

  it('gives the same tokens when its decoded text is encoded again (shipped samples)', () => {
    for (const s of sampleSentences()) {
      const tokens = t.encode(s);
      expect(t.encode(t.decode(tokens))).toEqual(tokens);
    }
  });

  it('gives the same tokens again on random strings of awkward characters', () => {
    const pool = [..."ab l'é’1.,:-\"'()«»?!¿…%  qu‐d"];
    const rng = new Rng(7);
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: rng.int(16) }, () => pool[rng.int(pool.length)]).join('');
      const tokens = t.encode(text);
      expect(t.encode(t.decode(tokens)), JSON.stringify(text)).toEqual(tokens);
    }
  });

  it('rebuilds from its JSON through the registry', () => {
    const registry = new Registry();
    registry.register({ kind: 'tokenizer', name: 'word', create: createWordTokenizer });
    const original = new WordTokenizer({ lowercase: true, elisions: ['l'] });
    const rebuilt = registry.create('tokenizer', JSON.parse(JSON.stringify(original.toJSON())));
    expect(rebuilt.encode("L'Homme D'Abord")).toEqual(["l'", 'homme', "d'abord"]);
  });

  it('rejects malformed options, naming them', () => {
    expect(() => new WordTokenizer({ elisions: ["l'"] })).toThrow(ConfigError);
    expect(() => new WordTokenizer({ elisions: ['qu', "l'"] })).toThrow(
      /word tokenizer: option 'elisions\.1': must be a word of letters only, got 'l''/,
    );
    expect(() => new WordTokenizer({ elision: [] } as never)).toThrow(
      /unknown option 'elision' \(did you mean 'elisions'\?\)/,
    );
    expect(() => new WordTokenizer({ elisions: 'l' as never })).toThrow(/elisions/);
    expect(() => new WordTokenizer({ lowercase: 1 as never })).toThrow(/lowercase/);
  });
});
