import { ConfigError, Registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { sampleSentences } from '../../test/fixtures.js';
import { CharacterTokenizer, createCharacterTokenizer } from './character.js';

describe('CharacterTokenizer', () => {
  it('splits into user-perceived characters, a space being a token', () => {
    expect(new CharacterTokenizer().encode('Ça va ?')).toEqual(['Ç', 'a', ' ', 'v', 'a', ' ', '?']);
  });

  it('keeps a letter with its combining mark, and an emoji sequence, as one token', () => {
    // U+0065 U+0301 composes to U+00E9 under NFC; without normalisation it is still one grapheme.
    expect(new CharacterTokenizer().encode('e\u0301t\u00e9')).toEqual(['\u00e9', 't', '\u00e9']);
    expect(new CharacterTokenizer({ normalize: 'none' }).encode('e\u0301t')).toEqual([
      'e\u0301',
      't',
    ]);
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
    expect(new CharacterTokenizer().encode(`a${family}b`)).toEqual(['a', family, 'b']);
  });

  it('decodes to the documented normal form: NFC, spaces collapsed and trimmed', () => {
    const t = new CharacterTokenizer();
    expect(t.decode(t.encode('  Cours\u202f!\t\n  Vite\u00a0! '))).toBe('Cours ! Vite !');
    expect(t.decode(t.encode('Ame\u0301lie'))).toBe('Am\u00e9lie');
    const lower = new CharacterTokenizer({ lowercase: true });
    expect(lower.decode(lower.encode('ÉCOLE Ἀθῆναι'))).toBe('école ἀθῆναι');
  });

  it('round-trips every shipped sample sentence exactly (they are already in normal form)', () => {
    const t = new CharacterTokenizer();
    for (const s of sampleSentences()) expect(t.decode(t.encode(s))).toBe(s);
  });

  it('rebuilds from its JSON through the registry', () => {
    const registry = new Registry();
    registry.register({ kind: 'tokenizer', name: 'character', create: createCharacterTokenizer });
    const original = new CharacterTokenizer({ lowercase: true, normalize: 'NFKC' });
    const json = JSON.parse(JSON.stringify(original.toJSON()));
    expect(json).toEqual({ name: 'character', lowercase: true, normalize: 'NFKC' });
    const rebuilt = registry.create('tokenizer', json);
    // NFKC folds the ligature ﬁ to "fi"; lower-casing applies after it.
    expect(rebuilt.encode('ﬁN')).toEqual(['f', 'i', 'n']);
  });

  it('rejects unknown and malformed options, naming them', () => {
    expect(() => new CharacterTokenizer({ lowercsae: true } as never)).toThrow(
      /character tokenizer: unknown option 'lowercsae' \(did you mean 'lowercase'\?\)/,
    );
    expect(() => new CharacterTokenizer({ normalize: 'NFD' as never })).toThrow(ConfigError);
    expect(() => new CharacterTokenizer({ normalize: 'NFD' as never })).toThrow(
      /option 'normalize': .*"NFC"\|"NFKC"\|"none".*got 'NFD'/,
    );
    expect(() => new CharacterTokenizer({ lowercase: 'yes' as never })).toThrow(/lowercase/);
  });
});
