import { ConfigError, registry } from '@s2s/core';
import {
  type DecoderKitSizes,
  describeDecoder,
  expectNoLeaks,
  pinBackend,
  registerToyPlugins,
  ToyAttention,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectTinyGradientsMatch,
  forwardTiny,
  maxDifference,
  tinyMemory,
} from '../../test/fixtures.js';
import { param } from '../../test/reference.js';
import { CoverageAttention } from '../../test/toy-attentions.js';
import {
  AttentionalDecoder,
  type AttentionalDecoderOptions,
} from '../attentional/attentional-decoder.js';
import '../index.js';
import { PointerGeneratorDecoder } from './pointer-generator-decoder.js';

/** A pointer-generator decoder around an attentional one of hidden size 5 (unless told). */
function build(
  seed: number,
  sizes: Pick<DecoderKitSizes, 'memory' | 'targetVocab'>,
  options: Partial<AttentionalDecoderOptions> = {},
  coverage = false,
  unk?: number,
) {
  const hidden = options.hiddenSize ?? 5;
  const attention = coverage
    ? new CoverageAttention(sizes.memory, hidden, seed + 1)
    : new ToyAttention(sizes.memory, hidden, seed + 1);
  const inner = new AttentionalDecoder(
    { vocabSize: sizes.targetVocab, embeddingSize: 4, hiddenSize: hidden, ...options },
    { attention },
    seed,
  );
  return new PointerGeneratorDecoder(inner, {
    vocabSize: sizes.targetVocab,
    ...(unk === undefined ? {} : { unk }),
  });
}

describeDecoder('pointer-generator (bahdanau order, lstm)', {
  create: (seed, sizes) => build(seed, sizes),
});
describeDecoder('pointer-generator (bahdanau order, coverage attention and loss, dropout)', {
  create: (seed, sizes) => build(seed, sizes, { coverageLoss: 1, dropout: 0.2 }, true),
});
describeDecoder('pointer-generator (luong order, gru)', {
  create: (seed, sizes) => build(seed, sizes, { order: 'luong', cell: 'gru' }),
});

describe('PointerGeneratorDecoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it('outputs [o_t; x_t]: the inner decoder’s output o_t, then the embedding x_t of y_{t−1}', () => {
    const sizes = { memory: 4, targetVocab: 5 };
    const decoder = build(3, sizes, { hiddenSize: 3 });
    const inner = new AttentionalDecoder(
      { vocabSize: 5, embeddingSize: 4, hiddenSize: 3 },
      { attention: new ToyAttention(4, 3, 4) },
      3,
    );
    const ours = forwardTiny(decoder, 4);
    const plain = forwardTiny(inner, 4);
    const embedding = param(decoder, 'embedding');
    const want = plain.output.map((row, b) =>
      row.map((o, t) => [...o, ...embedding[plain.targetIn[b]![t]!]!]),
    );
    expect(decoder.outputSize).toBe(inner.outputSize + 4);
    expect(maxDifference(ours.output, want)).toBeLessThan(1e-6);
    expect(maxDifference(ours.weights, plain.weights)).toBeLessThan(1e-6);
    ours.dispose();
    plain.dispose();
    decoder.dispose();
    inner.dispose();
  });

  it('feeds a copied word (id ≥ V) as <unk>, in step and in teacher forcing', () => {
    const decoder = build(2, { memory: 4, targetVocab: 6 }, {}, true, 3);
    const memory = tinyMemory(4);
    const inference = { training: false } as const;
    const [copied, unk] = [
      [6, 9],
      [3, 3],
    ].map((ids) =>
      tf.tidy(() => {
        const cache = decoder.prepare(memory, inference);
        const prev = tf.tensor1d(ids, 'int32');
        const step = decoder.step(prev, decoder.initialState(cache, inference), cache, inference);
        const targetIn = tf
          .tensor2d([[1, ids[0]!, ids[1]!, 2]], [1, 4], 'int32')
          .tile([2, 1])
          .toInt() as tf.Tensor2D;
        const forced = decoder.forward(targetIn, cache, inference);
        return [step.output.arraySync(), forced.output.arraySync()];
      }),
    );
    expect(maxDifference(copied, unk)).toBe(0);
    tf.dispose([memory.states, memory.mask, ...memory.final]);
    decoder.dispose();
  });

  it('gradients match finite differences (coverage attention and loss)', () =>
    expectTinyGradientsMatch(
      () => build(1, { memory: 3, targetVocab: 5 }, { hiddenSize: 3, coverageLoss: 0.5 }, true),
      3,
    ));

  it('has exactly the inner decoder’s parameters, under the same names', () => {
    const decoder = build(1, { memory: 4, targetVocab: 5 });
    expect([...decoder.parameters().keys()]).toEqual(
      expect.arrayContaining(['embedding', 'attention.queryKernel']),
    );
    decoder.dispose();
  });

  describe('registry factory', () => {
    beforeAll(() => registerToyPlugins(registry));
    const context = (options: Record<string, unknown>) =>
      registry.create(
        'decoder',
        { name: 'pointer-generator', attention: { name: 'toy' }, ...options },
        { seed: 1, path: 'decoder', sizes: { targetVocab: 6, memory: 4, final: [4] } },
      );

    it('builds through the registry with the attentional decoder’s options', () => {
      const decoder = context({ hiddenSize: 5, embeddingSize: 3, coverageLoss: 0.1 });
      expect(decoder).toBeInstanceOf(PointerGeneratorDecoder);
      expect(decoder.outputSize).toBe(5 + 4 + 3);
      decoder.dispose();
    });

    it('rejects unknown options and a bad unk, naming them, and leaks no variable', async () => {
      await expectNoLeaks(() => {
        expect(() => context({ hiddenSzie: 5 })).toThrow(
          /pointer-generator'?: unknown option 'decoder\.hiddenSzie' \(did you mean 'hiddenSize'\?\)/,
        );
        expect(() => context({ unk: 6 })).toThrow(
          /option 'decoder': 'unk' \(6\) must be an id below the target vocabulary size 6, got \{"vocabSize":6,"unk":6\}$/,
        );
        expect(() => context({ order: 'bahdanau', inputFeeding: true })).toThrow(
          /option 'decoder\.inputFeeding': needs order 'luong'/,
        );
        expect(() => context({ bridge: 'last' })).toThrow(
          /option 'decoder\.bridge': expected a bridge config with a string 'name'.*, got 'last'$/,
        );
        expect(() => context({ unk: 6 })).toThrow(ConfigError);
      });
    });
  });
});
