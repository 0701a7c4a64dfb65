import { Registry } from '@s2s/core';
import { describeEncoder, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { itMatchesReferenceAndGradients } from '../../test/encoder-checks.js';
import { createGruEncoder, GruEncoder } from './gru-encoder.js';

describeEncoder('gru', {
  create: (seed) => new GruEncoder({ vocabSize: 9, embeddingSize: 4, hiddenSize: 5 }, seed),
  source: { vocabSize: 9 },
});
describeEncoder('gru, 2 bidirectional (sum) layers over frames', {
  create: (seed) =>
    new GruEncoder(
      { features: 3, embeddingSize: 4, hiddenSize: 3, layers: 2, bidirectional: 'sum' },
      seed,
    ),
  source: { features: 3 },
});

describe('GruEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  itMatchesReferenceAndGradients('gru', (options, seed) => new GruEncoder(options, seed));

  it('is built by name, reading frames when the model config gives source.features', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'gru', create: createGruEncoder });
    const encoder = registry.create(
      'encoder',
      { name: 'gru', hiddenSize: 3, embeddingSize: 2, bidirectional: 'sum' },
      { sizes: { sourceFeatures: 4 } },
    );
    expect(encoder.outputSize).toBe(3);
    expect([...encoder.parameters().keys()]).toEqual([
      'projection.kernel',
      'projection.bias',
      ...['forward', 'backward'].flatMap((d) =>
        ['inputKernel', 'recurrentKernel', 'bias', 'recurrentBias'].map(
          (p) => `layers.0.${d}.${p}`,
        ),
      ),
    ]);
    encoder.dispose();
  });
});
