import { disposeTree, Registry, tidyTree } from '@s2s/core';
import { describeEncoder, lengthMask, pinBackend, randomSource } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectEncoderGradientsMatch,
  expectEncoderMatchesReference,
} from '../../test/encoder-checks.js';
import { PyramidalEncoder, pyramidalEncoderFactory } from './pyramidal-encoder.js';

const frames = { features: 3, embeddingSize: 4, hiddenSize: 3 };

describeEncoder('pyramidal-lstm', {
  create: (seed) => new PyramidalEncoder({ ...frames, cell: 'lstm', layers: 3 }, seed),
  source: { features: 3 },
  length: 9,
});
describeEncoder('pyramidal-gru, forwards only', {
  create: (seed) =>
    new PyramidalEncoder({ ...frames, cell: 'gru', layers: 2, bidirectional: false }, seed),
  source: { features: 3 },
  length: 7,
});

describe('PyramidalEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it('halves the mask at every layer above the first: a pair is real iff its first frame is', () => {
    const encoder = new PyramidalEncoder({ ...frames, cell: 'lstm', layers: 4 }, 1);
    // Lengths 11, 8, 5, 2, 1 → 6, 4, 3, 1, 1 → 3, 2, 2, 1, 1 → 2, 1, 1, 1, 1 (⌈n/2⌉ each time).
    const lengths = [11, 8, 5, 2, 1];
    const source = randomSource({ features: 3 }, lengths.length, 11, 4);
    const mask = lengthMask(lengths, 11);
    const memory = tidyTree(() => encoder.encode(source, mask, { training: false }));
    // Width 11 → 6 → 3 → 2.
    expect(memory.states.shape).toEqual([5, 2, 6]);
    expect(memory.mask.arraySync()).toEqual([
      [1, 1],
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    disposeTree([memory, source, mask]);
    encoder.dispose();
  });

  it('leaves the time axis alone with one layer', () => {
    const encoder = new PyramidalEncoder({ ...frames, cell: 'gru', layers: 1 }, 1);
    const source = randomSource({ features: 3 }, 2, 5, 4);
    const mask = lengthMask([5, 3], 5);
    const memory = tidyTree(() => encoder.encode(source, mask, { training: false }));
    expect(memory.mask.arraySync()).toEqual(mask.arraySync());
    disposeTree([memory, source, mask]);
    encoder.dispose();
  });

  it.each([
    ['lstm', 'concat'],
    ['lstm', 'sum'],
    ['gru', 'concat'],
    ['gru', false],
  ] as const)(
    'matches the plain-JS pyramid on odd and even lengths: %s, bidirectional %s',
    (cell, bidirectional) => {
      const options = { cell, layers: 3, bidirectional } as const;
      const encoder = new PyramidalEncoder({ ...frames, ...options }, 2);
      expectEncoderMatchesReference(
        encoder,
        { ...options, pyramidal: true },
        { features: 3 },
        [7, 4, 5, 1, 2],
      );
      encoder.dispose();
    },
  );

  it('gradients match finite differences', async () => {
    await expectEncoderGradientsMatch(
      () =>
        new PyramidalEncoder(
          { features: 2, embeddingSize: 2, hiddenSize: 2, cell: 'lstm', layers: 2 },
          1,
        ),
      { features: 2 },
      [5, 2],
    );
  });

  it('is built by name with LAS defaults, and has no residual option', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'p', create: pyramidalEncoderFactory('gru') });
    const encoder = registry.create(
      'encoder',
      { name: 'p', hiddenSize: 3 },
      { sizes: { sourceFeatures: 4 } },
    );
    expect(encoder.outputSize).toBe(6);
    expect(encoder.finalSizes).toEqual([6, 6, 6, 6]);
    encoder.dispose();
    expect(() =>
      registry.create(
        'encoder',
        { name: 'p', layers: 2, residual: true },
        { sizes: { sourceFeatures: 4 } },
      ),
    ).toThrow(
      /^pyramidal gru encoder: unknown option 'encoder\.residual'; known options: embeddingSize, hiddenSize, layers, bidirectional, dropout$/,
    );
    expect(
      () => new PyramidalEncoder({ ...frames, cell: 'lstm', residual: true } as never, 1),
    ).toThrow(/option 'residual': cannot be used with 'pyramidal'/);
  });
});
