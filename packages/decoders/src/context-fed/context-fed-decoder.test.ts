import { Registry } from '@s2s/core';
import {
  type DecoderKitSizes,
  describeDecoder,
  pinBackend,
  registerToyPlugins,
  ToyBridge,
} from '@s2s/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectTinyGradientsMatch,
  forwardTiny,
  lengths,
  maxDifference,
  toyBridgeContext,
} from '../../test/fixtures.js';
import { PlainRnn, param, slice, tanhV, vecMat } from '../../test/reference.js';
import {
  ContextFedDecoder,
  type ContextFedDecoderOptions,
  createContextFedDecoder,
} from './context-fed-decoder.js';

const build = (
  seed: number,
  sizes: Pick<DecoderKitSizes, 'memory' | 'targetVocab'>,
  options: Partial<ContextFedDecoderOptions> = {},
  contextSize = 3,
) =>
  new ContextFedDecoder(
    { vocabSize: sizes.targetVocab, embeddingSize: 4, hiddenSize: 5, ...options },
    new ToyBridge(sizes.memory, contextSize, seed + 1),
    seed,
  );

describeDecoder('context-fed (lstm, deep output)', { create: (seed, sizes) => build(seed, sizes) });
describeDecoder('context-fed (2-layer gru, state output, dropout)', {
  create: (seed, sizes) =>
    build(seed, sizes, { cell: 'gru', layers: 2, deepOutput: false, dropout: 0.2 }),
});

describe('ContextFedDecoder', () => {
  beforeAll(() => pinBackend('wasm'));
  afterAll(() => pinBackend('wasm'));

  for (const [cell, layers, deepOutput] of [
    ['lstm', 1, true],
    ['gru', 2, false],
    ['lstm', 2, true],
  ] as const) {
    it(`matches a hand computation: h′_0 = tanh(V′c), h′_t = g(y_{t−1}, c, h′_{t−1}) (${cell}, ${layers} layer(s), deepOutput ${deepOutput})`, () => {
      const decoder = build(
        3,
        { memory: 4, targetVocab: 5 },
        { cell, layers, deepOutput, hiddenSize: 3 },
        2,
      );
      const { output, memory, targetIn, dispose } = forwardTiny(decoder, 4);
      const embedding = param(decoder, 'embedding');
      const plain = new PlainRnn(decoder, cell, layers);
      const want = lengths.map((_, b) => {
        const c = toyBridgeContext(decoder, memory, b);
        const h0all = tanhV(vecMat(c, param(decoder, 'initKernel')));
        const cz = vecMat(c, param(decoder, 'contextKernel'));
        let state = plain.start(Array.from({ length: layers }, (_, l) => slice(h0all, 3 * l, 3)));
        return targetIn[b]!.map((y) => {
          state = plain.step(embedding[y]!, undefined, state, cz);
          const s = state.h[layers - 1]!;
          return deepOutput ? [...s, ...embedding[y]!, ...c] : s;
        });
      });
      expect(maxDifference(output, want)).toBeLessThan(1e-5);
      dispose();
      decoder.dispose();
    });
  }

  for (const cell of ['lstm', 'gru'] as const) {
    it(`gradients match finite differences (${cell}, 2 layers, deep output)`, () =>
      expectTinyGradientsMatch(
        () =>
          build(
            1,
            { memory: 3, targetVocab: 5 },
            { cell, layers: 2, hiddenSize: 3, embeddingSize: 2 },
            2,
          ),
        3,
      ));
  }

  it('validates its options, naming the bad one', () => {
    const sizes = { memory: 4, targetVocab: 5 };
    expect(() => build(1, sizes, { deepOutput: 'yes' as unknown as boolean })).toThrow(
      /option 'deepOutput': invalid input: expected boolean, .*got 'yes'/,
    );
    expect(() => build(1, sizes, { embeddingSize: 0 })).toThrow(
      /option 'embeddingSize': too small: .*got 0/,
    );
    expect(() => build(1, sizes, { cell: 'rnn' as 'gru' })).toThrow(
      /option 'cell': invalid option: expected one of "lstm"\|"gru", got 'rnn'/,
    );
  });

  it('is built by name, asking its bridge for H and accepting any context size', () => {
    const registry = new Registry();
    registerToyPlugins(registry);
    registry.register({ kind: 'decoder', name: 'context-fed', create: createContextFedDecoder });
    const sizes = { memory: 6, final: [6], targetVocab: 9 };
    const decoder = registry.create(
      'decoder',
      { name: 'context-fed', embeddingSize: 3, hiddenSize: 4, bridge: { name: 'toy' } },
      { sizes },
    );
    expect(decoder.parameters().get('bridge.kernel')!.shape).toEqual([6, 4]);
    expect(decoder.outputSize).toBe(4 + 3 + 4);
    decoder.dispose();
    const odd = registry.create(
      'decoder',
      { name: 'context-fed', hiddenSize: 4, deepOutput: false, bridge: { name: 'toy', size: 7 } },
      { sizes },
    );
    expect(odd.parameters().get('contextKernel')!.shape).toEqual([7, 16]);
    expect(odd.outputSize).toBe(4);
    odd.dispose();
    expect(() => registry.create('decoder', { name: 'context-fed' }, { sizes })).toThrow(
      /option 'decoder\.bridge' is required: expected a bridge config with a string 'name' \(it gives its context c\)/,
    );
    expect(() =>
      registry.create('decoder', { name: 'context-fed', bridge: { name: 'nope' } }, { sizes }),
    ).toThrow(/unknown bridge 'nope'/);
  });
});
