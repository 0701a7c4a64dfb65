import { describe, expect, it } from 'vitest';
import type { Tokenizer } from '../contracts/tokenizer.js';
import { registry as globalRegistry, type Registry } from '../registry/registry.js';
import { describePlugin, type PluginKitOptions } from './plugin-kit.js';

/** How {@link describeTokenizer} builds and feeds the tokenizer under test. */
export interface TokenizerKitOptions {
  create(): Tokenizer;
  /** Texts to tokenize; include punctuation, numbers, spaces and non-ASCII letters. */
  readonly samples: readonly string[];
  /** Where `toJSON()` is rebuilt by name. Default: the process-wide registry. */
  readonly registry?: Registry;
  /**
   * Also build it by this registered name ({@link describePlugin}). Default: the name and
   * options its `toJSON()` gives.
   */
  readonly plugin?: PluginKitOptions;
}

/**
 * The tokenizer conformance suite: tokens are non-empty strings, `decode(encode(x))` is a
 * normal form (tokenizing it again changes nothing), and `toJSON()` is plain JSON that
 * rebuilds, by name through the registry, a tokenizer that tokenizes exactly the same.
 */
export function describeTokenizer(name: string, options: TokenizerKitOptions): void {
  const registry = options.registry ?? globalRegistry;
  describe(`tokenizer conformance: ${name}`, () => {
    it('splits every sample into non-empty string tokens', () => {
      const tokenizer = options.create();
      expect(options.samples.length, 'give the kit some samples').toBeGreaterThan(0);
      for (const text of options.samples) {
        const tokens = tokenizer.encode(text);
        for (const token of tokens) {
          expect(typeof token).toBe('string');
          expect(token.length, `an empty token in ${JSON.stringify(text)}`).toBeGreaterThan(0);
        }
        if (text.trim().length > 0) expect(tokens.length).toBeGreaterThan(0);
      }
    });

    it('decodes to a normal form that tokenizes to the same tokens', () => {
      const tokenizer = options.create();
      for (const text of options.samples) {
        const tokens = tokenizer.encode(text);
        const normal = tokenizer.decode(tokens);
        expect(tokenizer.encode(normal), JSON.stringify(text)).toEqual(tokens);
        expect(tokenizer.decode(tokenizer.encode(normal))).toBe(normal);
      }
    });

    it('saves as plain JSON that rebuilds it by name, tokenizing the same', () => {
      const tokenizer = options.create();
      const json = tokenizer.toJSON();
      expect(typeof json.name).toBe('string');
      const saved = JSON.parse(JSON.stringify(json));
      expect(saved, 'toJSON() survives JSON.stringify unchanged').toEqual(json);
      const loaded = registry.create('tokenizer', saved);
      for (const text of options.samples)
        expect(loaded.encode(text), JSON.stringify(text)).toEqual(tokenizer.encode(text));
    });
  });

  const { name: plugin, ...pluginOptions } = options.create().toJSON();
  describePlugin('tokenizer', options.plugin ?? { name: plugin, options: pluginOptions });
}
