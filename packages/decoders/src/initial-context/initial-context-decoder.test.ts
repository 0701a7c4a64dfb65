import { ConfigError, Registry } from '@s2s/core';
import {
  type DecoderKitSizes,
  describeDecoder,
  pinBackend,
  registerToyPlugins,
  ToyBridge,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectTinyGradientsMatch,
  forwardTiny,
  lengths,
  maxDifference,
  toyBridgeContext,
} from '../../test/fixtures.js';
import { PlainRnn, param, slice, type Vec } from '../../test/reference.js';
import {
  createInitialContextDecoder,
  InitialContextDecoder,
  type InitialContextDecoderOptions,
} from './initial-context-decoder.js';

const build = (
  seed: number,
  sizes: Pick<DecoderKitSizes, 'memory' | 'targetVocab'>,
  options: Partial<InitialContextDecoderOptions> = {},
  bridgeSize?: number,
) => {
  const hidden = options.hiddenSize ?? 5;
  const bridge = new ToyBridge(
    sizes.memory,
    bridgeSize ?? (options.layers ?? 1) * hidden,
    seed + 1,
  );
  return new InitialContextDecoder(
    { vocabSize: sizes.targetVocab, embeddingSize: 4, hiddenSize: hidden, ...options },
    bridge,
    seed,
  );
};

describeDecoder('initial-context (lstm)', { create: (seed, sizes) => build(seed, sizes) });
describeDecoder('initial-context (2-layer gru, one bridge slice per layer)', {
  create: (seed, sizes) => build(seed, sizes, { cell: 'gru', layers: 2 }),
});
describeDecoder('initial-context (2-layer lstm sharing one H-wide context, dropout)', {
  create: (seed, sizes) => build(seed, sizes, { layers: 2, dropout: 0.3 }, 5),
});

describe('InitialContextDecoder', () => {
  beforeAll(() => pinBackend('wasm'));
  afterAll(() => pinBackend('wasm'));

  for (const [cell, layers, bridgeSize] of [
    ['lstm', 1, 3],
    ['gru', 2, 6],
    ['lstm', 2, 3],
  ] as const) {
    it(`matches a hand computation: h_0 from c, then s_t = RNN(y_{t−1}, s_{t−1}) (${cell}, ${layers} layer(s), c of size ${bridgeSize})`, () => {
      const decoder = build(
        3,
        { memory: 4, targetVocab: 5 },
        { cell, layers, hiddenSize: 3 },
        bridgeSize,
      );
      const { output, memory, targetIn, dispose } = forwardTiny(decoder, 4);
      const embedding = param(decoder, 'embedding');
      const plain = new PlainRnn(decoder, cell, layers);
      const want = lengths.map((_, b) => {
        const c = toyBridgeContext(decoder, memory, b);
        const h0 = Array.from({ length: layers }, (_, l) =>
          c.length === 3 ? c : slice(c, 3 * l, 3),
        );
        let state = plain.start(h0);
        return targetIn[b]!.map((y) => {
          state = plain.step(embedding[y]!, undefined, state);
          return state.h[layers - 1] as Vec;
        });
      });
      expect(maxDifference(output, want)).toBeLessThan(1e-5);
      dispose();
      decoder.dispose();
    });
  }

  for (const cell of ['lstm', 'gru'] as const) {
    it(`gradients match finite differences (${cell}, 2 layers)`, () =>
      expectTinyGradientsMatch(
        () =>
          build(
            1,
            { memory: 3, targetVocab: 5 },
            { cell, layers: 2, hiddenSize: 3, embeddingSize: 2 },
          ),
        3,
      ));
  }

  it('validates its options, naming the bad one', () => {
    const sizes = { memory: 4, targetVocab: 5 };
    expect(() => build(1, sizes, { layers: 0 })).toThrow(/option 'layers': too small: .*got 0/);
    expect(() => build(1, sizes, { cell: 'rnn' as 'gru' })).toThrow(
      /option 'cell': invalid option: .*got 'rnn'/,
    );
    expect(() => build(1, sizes, { dropout: 1.5 })).toThrow(
      /option 'dropout': too big: expected number to be <=0\.99, got 1\.5/,
    );
    expect(() => build(1, sizes, { hiddenSize: 2.5 }, 5)).toThrow(
      /option 'hiddenSize': .*expected int.*got 2\.5/,
    );
    expect(() => build(1, sizes, { layers: 2 }, 7)).toThrow(
      /option 'bridge' gives a context of size 7, expected hiddenSize \(5\) or layers × hiddenSize \(10\)/,
    );
  });

  it('is built by name with its bridge, which is asked for L·H and freed on a bad option', () => {
    const registry = new Registry();
    registerToyPlugins(registry);
    registry.register({
      kind: 'decoder',
      name: 'initial-context',
      create: createInitialContextDecoder,
    });
    const sizes = { memory: 6, final: [6], targetVocab: 9 };
    const decoder = registry.create(
      'decoder',
      { name: 'initial-context', hiddenSize: 4, layers: 2, bridge: { name: 'toy' } },
      { sizes },
    );
    expect([...decoder.parameters().keys()]).toEqual([
      'embedding',
      'layers.0.inputKernel',
      'layers.0.recurrentKernel',
      'layers.0.bias',
      'layers.1.kernel',
      'layers.1.bias',
      'bridge.kernel',
    ]);
    expect(decoder.parameters().get('bridge.kernel')!.shape).toEqual([6, 8]);
    expect(decoder.embedding!.shape).toEqual([9, 64]);
    decoder.dispose();
    const before = tf.memory().numTensors;
    expect(() => registry.create('decoder', { name: 'initial-context' }, { sizes })).toThrow(
      /option 'decoder\.bridge' is required: expected a bridge config .*\(it gives its initial state\)/,
    );
    expect(() =>
      registry.create(
        'decoder',
        { name: 'initial-context', hidenSize: 4, bridge: { name: 'toy' } },
        { sizes },
      ),
    ).toThrow(/unknown option 'decoder\.hidenSize' \(did you mean 'hiddenSize'\?\)/);
    expect(() =>
      registry.create(
        'decoder',
        { name: 'initial-context', hiddenSize: 4, bridge: { name: 'toy', size: 3 } },
        { sizes },
      ),
    ).toThrow(ConfigError);
    expect(tf.memory().numTensors, 'a rejected config leaks no bridge').toBe(before);
  });
});
