import { ConfigError, registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import './register.js';

/** Every plugin this package registers, with a valid set of its options. */
const plugins = [
  ['bahdanau', { size: 4, coverage: true }],
  ['luong', { score: 'concat', size: 4 }],
  ['scaled-dot', { size: 4 }],
  ['multi-head', { size: 4, heads: 2 }],
  ['location', { size: 4, filters: 2, kernelSize: 3 }],
  ['multi-hop', { size: 4, hops: 2, supervision: { input: 'support' } }],
] as const;

describe('registered attention plugins', () => {
  it.each(plugins)('%s is built by name with the sizes its decoder gives', (name, options) => {
    const attention = registry.create(
      'attention',
      { name, ...options },
      { seed: 1, path: 'decoder.attention', sizes: { memory: 6, query: 5 } },
    );
    expect(attention.parameters().size).toBeGreaterThan(0);
    expect(attention.contextSize).toBe(name === 'multi-head' || name === 'multi-hop' ? 4 : 6);
    attention.dispose();
  });

  it.each(plugins)('%s rejects an unknown option, naming it and the known ones', (name) => {
    expect(() =>
      registry.create(
        'attention',
        { name, sise: 4 },
        { path: 'decoder.attention', sizes: { memory: 6, query: 5 } },
      ),
    ).toThrow(
      new RegExp(
        `^attention '${name}': unknown option 'decoder\\.attention\\.sise' \\(did you mean 'size'\\?\\); known options: .*size`,
      ),
    );
  });

  it.each(plugins)('%s fails at its path without the sizes from a decoder', (name) => {
    expect(() =>
      registry.create('attention', { name }, { path: 'decoder.attention', sizes: { memory: 6 } }),
    ).toThrow(ConfigError);
    expect(() =>
      registry.create('attention', { name }, { path: 'decoder.attention', sizes: { memory: 6 } }),
    ).toThrow(/^decoder\.attention: .* needs the memory and query sizes from its decoder/);
  });

  it("luong's dot is built by name when the decoder's query size equals the memory size", () => {
    const sizes = { memory: 6, query: 6 };
    const attention = registry.create('attention', { name: 'luong', score: 'dot' }, { sizes });
    expect(attention.contextSize).toBe(6);
    attention.dispose();
    expect(() =>
      registry.create(
        'attention',
        { name: 'luong', score: 'dot' },
        { sizes: { memory: 6, query: 5 } },
      ),
    ).toThrow(/query size \(5\) to equal the memory size \(6\)/);
  });

  it('multi-source is built by name, its nested attentions at their own paths', () => {
    const attention = registry.create(
      'attention',
      {
        name: 'multi-source',
        attention: { name: 'bahdanau', size: 4 },
        sources: { question: { name: 'scaled-dot', size: 4 } },
      },
      { path: 'decoder.attention', sizes: { memory: 6, query: 5 } },
    );
    expect([...attention.parameters().keys()].sort()).toEqual([
      'main.keyKernel',
      'main.queryKernel',
      'main.scoreVector',
      'question.keyKernel',
      'question.queryKernel',
    ]);
    attention.dispose();
    expect(() =>
      registry.create(
        'attention',
        {
          name: 'multi-source',
          attention: { name: 'bahdanau' },
          sources: { question: { name: 'luong', score: 'general', size: 4 } },
        },
        { path: 'decoder.attention', sizes: { memory: 6, query: 5 } },
      ),
    ).toThrow(
      /^attention 'luong': option 'decoder\.attention\.question\.size': applies only to score 'concat', not 'general', got 4$/,
    );
  });

  it('cross-field rules fail at create, naming both options and the path', () => {
    const at = { path: 'decoder.attention', sizes: { memory: 6, query: 5 } };
    expect(() => registry.create('attention', { name: 'multi-head', heads: 3 }, at)).toThrow(
      /^attention 'multi-head': option 'decoder\.attention': 'size' \(128\) must be a multiple of 'heads' \(3\)/,
    );
    expect(() => registry.create('attention', { name: 'location', kernelSize: 4 }, at)).toThrow(
      /^attention 'location': option 'decoder\.attention\.kernelSize': expected an odd width.*, got 4$/,
    );
  });
});
