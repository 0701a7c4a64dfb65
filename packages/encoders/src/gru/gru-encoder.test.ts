import { Registry } from '@s2s/core';
import { describeEncoder, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectEncoderGradientsMatch,
  expectEncoderMatchesReference,
} from '../../test/encoder-checks.js';
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

  it.each([
    ['1 layer forwards', { layers: 1, bidirectional: false }],
    ['bidirectional concat', { layers: 1, bidirectional: 'concat' }],
    ['bidirectional sum', { layers: 1, bidirectional: 'sum' }],
    [
      '3 stacked bidirectional layers with residuals',
      { layers: 3, bidirectional: 'concat', residual: true },
    ],
    [
      '2 stacked forward layers with residuals',
      { layers: 2, bidirectional: false, residual: true },
    ],
  ] as const)('matches the plain-JS GRU on a padded batch: %s', (_, options) => {
    for (const input of [{ vocabSize: 9 }, { features: 3 }]) {
      const encoder = new GruEncoder({ ...input, embeddingSize: 4, hiddenSize: 4, ...options }, 5);
      expectEncoderMatchesReference(encoder, { cell: 'gru', ...options }, input, [5, 2, 4, 1]);
      encoder.dispose();
    }
  });

  it('gradients match finite differences', async () => {
    await expectEncoderGradientsMatch(
      () => new GruEncoder({ vocabSize: 5, embeddingSize: 3, hiddenSize: 2 }, 1),
      { vocabSize: 5 },
      [3, 2],
    );
    await expectEncoderGradientsMatch(
      () =>
        new GruEncoder(
          {
            features: 3,
            embeddingSize: 2,
            hiddenSize: 2,
            layers: 2,
            bidirectional: 'concat',
            residual: true,
          },
          1,
        ),
      { features: 3 },
      [3, 2],
    );
  });

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
