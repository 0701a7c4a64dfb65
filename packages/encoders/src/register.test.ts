import { ConfigError, registry } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import './register.js';

/** Every encoder this package registers, a valid config, a typo'd key and what it meant. */
const encoders = [
  ['lstm', { hiddenSize: 3 }, 'hiddenSzie', 'hiddenSize'],
  ['gru', { hiddenSize: 3, layers: 2, residual: true }, 'layer', 'layers'],
  ['pyramidal-lstm', { hiddenSize: 3, layers: 2 }, 'bidirectionl', 'bidirectional'],
  ['pyramidal-gru', { hiddenSize: 3 }, 'dropuot', 'dropout'],
  ['hierarchical', { embeddingSize: 4, words: 'bag' }, 'maxSentence', 'maxSentences'],
  [
    'multi-source',
    { main: { name: 'lstm', hiddenSize: 3 }, sources: { question: { name: 'gru' } } },
    'finl',
    'final',
  ],
] as const;

/** Every bridge, a valid config, a typo'd key and what it meant. */
const bridges = [
  ['last', { from: 'all' }, 'form', 'from'],
  ['projected', { size: 5 }, 'sise', 'size'],
  ['pooled', { pool: 'max', project: true }, 'projet', 'project'],
] as const;

const sizes = { sourceVocab: 7 };
const bridgeSizes = { memory: 6, final: [6, 6], query: 5 };

describe('registered encoders and bridges', () => {
  it.each(encoders)('%s is built by name', (name, options) => {
    const encoder = registry.create('encoder', { name, ...options }, { sizes });
    expect(encoder.parameters().size).toBeGreaterThan(0);
    encoder.dispose();
  });

  it.each(encoders)(
    "%s names a typo'd option by its path, with a did you mean",
    (name, _, typo, meant) => {
      expect(() =>
        registry.create('encoder', { name, [typo]: 1 }, { path: 'encoder', sizes }),
      ).toThrow(
        new RegExp(
          `^encoder '${name}': unknown option 'encoder\\.${typo}' \\(did you mean '${meant}'\\?\\); known options: .*${meant}`,
        ),
      );
    },
  );

  it.each(bridges)('%s bridge is built by name', (name, options) => {
    const bridge = registry.create('bridge', { name, ...options }, { sizes: bridgeSizes });
    expect(bridge.outputSize).toBe(name === 'last' ? 12 : 5);
    bridge.dispose();
  });

  it.each(bridges)("%s bridge names a typo'd option by its path", (name, _, typo, meant) => {
    expect(() =>
      registry.create(
        'bridge',
        { name, [typo]: 1 },
        { path: 'decoder.bridge', sizes: bridgeSizes },
      ),
    ).toThrow(
      new RegExp(
        `^bridge '${name}': unknown option 'decoder\\.bridge\\.${typo}' \\(did you mean '${meant}'\\?\\)`,
      ),
    );
  });

  it('names a bad value by its path, with the rule and the value', () => {
    expect(() =>
      registry.create('encoder', { name: 'lstm', dropout: 1.5 }, { path: 'encoder', sizes }),
    ).toThrow(
      /^encoder 'lstm': option 'encoder\.dropout': too big: expected number to be <=0\.99, got 1\.5$/,
    );
    expect(() =>
      registry.create('encoder', { name: 'gru', residual: true }, { path: 'encoder', sizes }),
    ).toThrow(
      /^encoder 'gru': option 'encoder\.residual': .*needs 'layers' ≥ 2 \(layers is 1\), got true$/,
    );
    expect(() =>
      registry.create(
        'bridge',
        { name: 'pooled', size: 4 },
        { path: 'decoder.bridge', sizes: bridgeSizes },
      ),
    ).toThrow(/^bridge 'pooled': option 'decoder\.bridge\.size': needs 'project' true/);
  });

  it("names a nested encoder's options by their full path", () => {
    const create = (config: object) =>
      registry.create('encoder', { name: 'multi-source', ...config }, { path: 'encoder', sizes });
    expect(() =>
      create({ main: { name: 'lstm', hiddenSzie: 3 }, sources: { question: { name: 'gru' } } }),
    ).toThrow(
      /^encoder 'lstm': unknown option 'encoder\.main\.hiddenSzie' \(did you mean 'hiddenSize'\?\)/,
    );
    expect(() =>
      create({ main: { name: 'lstm' }, sources: { question: { name: 'gru', layers: 0 } } }),
    ).toThrow(/^encoder 'gru': option 'encoder\.question\.layers': too small: .*, got 0$/);
    expect(() =>
      create({
        main: { name: 'hierarchical', sentences: { name: 'gru', bidirectional: 'both' } },
        sources: { question: { name: 'lstm' } },
      }),
    ).toThrow(
      /^encoder 'gru': option 'encoder\.main\.sentences\.bidirectional': .*false\|"concat"\|"sum", got 'both'$/,
    );
    expect(() => create({ main: { name: 'lstm' }, sources: { main: { name: 'gru' } } })).toThrow(
      /option 'encoder\.sources': a further source cannot be called 'main'/,
    );
    expect(() =>
      create({ main: { name: 'lstm' }, sources: { question: { name: 'gru' } }, final: 'answer' }),
    ).toThrow(ConfigError);
    expect(() =>
      create({ main: { name: 'lstm' }, sources: { question: { name: 'gru' } }, final: 'answer' }),
    ).toThrow(
      /option 'encoder\.final': expected 'all', 'main' or a further source's name \(question\), got 'answer'/,
    );
  });
});
