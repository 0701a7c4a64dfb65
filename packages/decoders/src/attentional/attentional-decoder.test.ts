import { ConfigError, Registry } from '@s2s/core';
import {
  describeDecoder,
  expectGradientsMatchFiniteDifferences,
  pinBackend,
  randomMemory,
  registerToyPlugins,
  ToyAttention,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttentionalDecoder, createAttentionalDecoder } from './attentional-decoder.js';

const build = (
  seed: number,
  sizes: { memory: number; final: readonly number[]; targetVocab: number },
  hidden = 6,
) =>
  new AttentionalDecoder(
    {
      vocabSize: sizes.targetVocab,
      memorySize: sizes.memory,
      finalSize: sizes.final.at(-1)!,
      embeddingSize: 4,
      hiddenSize: hidden,
    },
    new ToyAttention(sizes.memory, hidden, seed + 1000),
    seed,
  );

describeDecoder('attentional (init from final state)', {
  create: (seed, sizes) => build(seed, sizes),
});
describeDecoder('attentional (zero init)', {
  create: (seed, sizes) =>
    new AttentionalDecoder(
      {
        vocabSize: sizes.targetVocab,
        memorySize: sizes.memory,
        embeddingSize: 3,
        hiddenSize: 4,
        init: 'zeros',
      },
      new ToyAttention(sizes.memory, 4, seed + 1000),
      seed,
    ),
});

describe('AttentionalDecoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it('gradients match finite differences', async () => {
    await pinBackend('cpu');
    const sizes = { memory: 3, final: [3], targetVocab: 5 };
    const decoder = build(1, sizes, 3);
    const memory = randomMemory({ lengths: [3, 2], size: 3, seed: 5 });
    const targetIn = tf.tensor2d(
      [
        [1, 3, 4],
        [1, 2, 0],
      ],
      [2, 3],
      'int32',
    );
    const probe = tf.randomNormal([2, 3, decoder.outputSize], 0, 1, 'float32', 6);
    expectGradientsMatchFiniteDifferences(decoder, () => {
      const cache = decoder.prepare(memory, { training: false });
      return tf.sum(
        tf.mul(decoder.forward(targetIn, cache, { training: false }).output, probe),
      ) as tf.Scalar;
    });
    decoder.dispose();
    await pinBackend('wasm');
  });

  it('is built by name with its attention built by name too', () => {
    const registry = new Registry();
    registerToyPlugins(registry);
    registry.register({ kind: 'decoder', name: 'attentional', create: createAttentionalDecoder });
    const sizes = { memory: 6, final: [6], targetVocab: 9 };
    const decoder = registry.create(
      'decoder',
      { name: 'attentional', hiddenSize: 6, attention: { name: 'toy' } },
      { sizes },
    );
    expect([...decoder.parameters().keys()]).toContain('attention.queryKernel');
    decoder.dispose();
    expect(() =>
      registry.create('decoder', { name: 'attentional', hiddenSize: 6 }, { sizes }),
    ).toThrow(/needs an 'attention' config/);
    expect(() =>
      registry.create(
        'decoder',
        { name: 'attentional', hiddenSize: 5, attention: { name: 'toy' } },
        { sizes },
      ),
    ).toThrow(ConfigError);
    expect(() =>
      registry.create(
        'decoder',
        { name: 'attentional', hiddenSize: 6, attention: { name: 'nope' } },
        { sizes },
      ),
    ).toThrow(/unknown attention 'nope'; registered attentions: toy/);
  });
});
