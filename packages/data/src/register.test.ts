import { registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import './index.js';

describe('@s2s/data registration', () => {
  it('registers its tokenizers by name on import, each rebuilding from its own JSON', async () => {
    expect(registry.names('tokenizer')).toEqual(
      expect.arrayContaining(['bpe', 'character', 'word']),
    );
    const { BpeTokenizer } = await import('./index.js');
    const bpe = await BpeTokenizer.train(['low lower lowest', 'low low'], { minFrequency: 1 });
    for (const tokenizer of [
      registry.create('tokenizer', { name: 'character' }),
      registry.create('tokenizer', { name: 'word', lowercase: true }),
      bpe,
    ]) {
      const rebuilt = registry.create('tokenizer', JSON.parse(JSON.stringify(tokenizer.toJSON())));
      expect(rebuilt.name).toBe(tokenizer.name);
      expect(rebuilt.encode("L'hôpital, lowest!")).toEqual(tokenizer.encode("L'hôpital, lowest!"));
    }
  });

  it('declares the options of each tokenizer, so the registry names a bad one by its model path', () => {
    expect(() =>
      registry.create('tokenizer', { name: 'word', lowercse: true }, { path: 'source.tokenizer' }),
    ).toThrow(
      /tokenizer 'word': unknown option 'source\.tokenizer\.lowercse' \(did you mean 'lowercase'\?\)/,
    );
    expect(() =>
      registry.create('tokenizer', { name: 'bpe', merges: [['a']] }, { path: 'target.tokenizer' }),
    ).toThrow(/option 'target\.tokenizer\.merges\.0': .*2 items, got \["a"\]/);
    expect(() =>
      registry.create(
        'tokenizer',
        { name: 'character', normalize: 'NFD' },
        { path: 'source.tokenizer' },
      ),
    ).toThrow(/option 'source\.tokenizer\.normalize': .*got 'NFD'/);
  });
});
