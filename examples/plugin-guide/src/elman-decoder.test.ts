import { registry } from '@s2s/core';
import { describeDecoder } from '@s2s/core/testing';
import { describe, expect, it } from 'vitest';
import './register.js';

// Built by name, as a model config would build it: options checked, sizes from context.
// `plugin` adds the registration checks: an unknown option refused, loading by name.
describeDecoder('elman with bilinear attention', {
  plugin: { name: 'elman', options: { hiddenSize: 5, embeddingSize: 4 } },
  create: (seed, sizes) =>
    registry.create(
      'decoder',
      { name: 'elman', hiddenSize: 5, embeddingSize: 4, attention: { name: 'bilinear' } },
      { seed, sizes: { memory: sizes.memory, final: sizes.final, targetVocab: sizes.targetVocab } },
    ),
});

describe('elman decoder', () => {
  it('names its attention’s parameters under it and needs the sizes a model gives', () => {
    const decoder = registry.create(
      'decoder',
      { name: 'elman', hiddenSize: 3 },
      { seed: 1, path: 'decoder', sizes: { memory: 4, targetVocab: 5 } },
    );
    expect([...decoder.parameters().keys()].sort()).toEqual([
      'attention.kernel',
      'bias',
      'embedding',
      'inputKernel',
      'stateKernel',
    ]);
    expect(decoder.outputSize).toBe(3 + 4);
    decoder.dispose();
    expect(() =>
      registry.create('decoder', { name: 'elman' }, { path: 'decoder', sizes: { memory: 4 } }),
    ).toThrow(/^decoder: elman decoder needs sizes\.memory and sizes\.targetVocab/);
  });
});
