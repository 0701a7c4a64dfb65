import '../register.js';
import { type Attention, type Bridge, registry } from '@s2s/core';
import {
  type DecoderKitSizes,
  describeDecoder,
  pinBackend,
  ToyAttention,
  ToyBridge,
} from '@s2s/core/testing';
import { registerToyPlugins } from '@s2s/core/toy';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectTinyGradientsMatch,
  forwardTiny,
  lengths,
  maxDifference,
  rowStates,
  tinyMemory,
  tinyTargets,
  toyBridgeContext,
} from '../../test/fixtures.js';
import {
  dotAttention,
  PlainRnn,
  param,
  slice,
  tanhV,
  type Vec,
  vecMat,
} from '../../test/reference.js';
import { AllStepsAttention, CoverageAttention } from '../../test/toy-attentions.js';
import {
  AttentionalDecoder,
  type AttentionalDecoderOptions,
  type AttentionalDecoderState,
} from './attentional-decoder.js';

type AttentionKind = 'toy' | 'all-steps' | 'coverage';
const attentions = {
  toy: (m: number, q: number, seed: number) => new ToyAttention(m, q, seed),
  'all-steps': (m: number, q: number, seed: number) => new AllStepsAttention(m, q, seed),
  coverage: (m: number, q: number, seed: number) => new CoverageAttention(m, q, seed),
} satisfies Record<AttentionKind, (m: number, q: number, seed: number) => Attention>;

/** An attentional decoder of hidden size 5 (unless told) over a chosen toy attention. */
function build(
  seed: number,
  sizes: Pick<DecoderKitSizes, 'memory' | 'targetVocab'>,
  options: Partial<AttentionalDecoderOptions> = {},
  parts: { attention?: AttentionKind | Attention; bridgeSize?: number } = {},
) {
  const hidden = options.hiddenSize ?? 5;
  const kind = parts.attention ?? 'toy';
  const attention =
    typeof kind === 'string' ? attentions[kind](sizes.memory, hidden, seed + 1) : kind;
  const bridge: Bridge | undefined =
    parts.bridgeSize === undefined
      ? undefined
      : new ToyBridge(sizes.memory, parts.bridgeSize, seed + 2);
  return new AttentionalDecoder(
    { vocabSize: sizes.targetVocab, embeddingSize: 4, hiddenSize: hidden, ...options },
    { attention, ...(bridge ? { bridge } : {}) },
    seed,
  );
}

registerToyPlugins(registry);
describeDecoder('attentional (bahdanau order, lstm, zero start)', {
  plugin: { name: 'attentional', options: { hiddenSize: 5, attention: { name: 'toy' } } },
  create: (seed, sizes) => build(seed, sizes),
});
describeDecoder('attentional (bahdanau order, 2-layer gru, bridged start, dropout)', {
  create: (seed, sizes) =>
    build(seed, sizes, { cell: 'gru', layers: 2, dropout: 0.2 }, { bridgeSize: 10 }),
});
describeDecoder('attentional (luong order, attendAll for all steps)', {
  create: (seed, sizes) => build(seed, sizes, { order: 'luong' }, { attention: 'all-steps' }),
});
describeDecoder('attentional (luong order, gru, attend per step)', {
  create: (seed, sizes) => build(seed, sizes, { order: 'luong', cell: 'gru' }),
});
describeDecoder('attentional (luong order, input feeding, 2-layer lstm, shared bridge)', {
  create: (seed, sizes) =>
    build(seed, sizes, { order: 'luong', inputFeeding: true, layers: 2 }, { bridgeSize: 5 }),
});
describeDecoder('attentional (bahdanau order, coverage attention and loss)', {
  create: (seed, sizes) => build(seed, sizes, { coverageLoss: 0.5 }, { attention: 'coverage' }),
});
describeDecoder('attentional (luong order, coverage attention and loss)', {
  create: (seed, sizes) =>
    build(seed, sizes, { order: 'luong', coverageLoss: 0.5 }, { attention: 'coverage' }),
});

describe('AttentionalDecoder', () => {
  beforeAll(() => pinBackend('wasm'));
  afterAll(() => pinBackend('wasm'));

  for (const [cell, layers, bridgeSize] of [
    ['lstm', 1, undefined],
    ['gru', 2, 6],
  ] as const) {
    it(`matches a hand computation in Bahdanau order: C_t from s_{t−1}, s_t = RNN([y_{t−1}; C_t]), output [s_t; C_t] (${cell}, ${layers} layer(s))`, () => {
      const decoder = build(
        3,
        { memory: 4, targetVocab: 5 },
        { cell, layers, hiddenSize: 3 },
        { ...(bridgeSize ? { bridgeSize } : {}) },
      );
      const { output, weights, memory, targetIn, dispose } = forwardTiny(decoder, 4);
      const embedding = param(decoder, 'embedding');
      const wq = param(decoder, 'attention.queryKernel');
      const plain = new PlainRnn(decoder, cell, layers);
      const want = lengths.map((_, b) => {
        const c = bridgeSize ? toyBridgeContext(decoder, memory, b) : [0, 0, 0, 0, 0, 0];
        let state = plain.start(Array.from({ length: layers }, (_, l) => slice(c, 3 * l, 3)));
        return targetIn[b]!.map((y) => {
          const att = dotAttention(state.h[layers - 1]!, wq, rowStates(memory, b), 3);
          state = plain.step(embedding[y]!, att.context, state);
          return { output: [...state.h[layers - 1]!, ...att.context], weights: att.a };
        });
      });
      expect(
        maxDifference(
          output,
          want.map((r) => r.map((s) => s.output)),
        ),
      ).toBeLessThan(1e-5);
      expect(
        maxDifference(
          weights,
          want.map((r) => r.map((s) => s.weights)),
        ),
      ).toBeLessThan(1e-5);
      dispose();
      decoder.dispose();
    });
  }

  for (const [cell, layers, inputFeeding, attention] of [
    ['lstm', 2, false, 'all-steps'],
    ['gru', 1, true, 'toy'],
  ] as const) {
    it(`matches a hand computation in Luong order: s_t = RNN(y_{t−1}${inputFeeding ? ', h̃_{t−1}' : ''}), C_t from s_t, h̃_t = tanh(W_c[C_t; s_t]) (${cell}, ${layers} layer(s))`, () => {
      const decoder = build(
        3,
        { memory: 4, targetVocab: 5 },
        { cell, layers, hiddenSize: 3, order: 'luong', inputFeeding },
        { attention },
      );
      const { output, memory, targetIn, dispose } = forwardTiny(decoder, 4);
      const embedding = param(decoder, 'embedding');
      const wq = param(decoder, 'attention.queryKernel');
      const wc = param(decoder, 'combineKernel');
      const plain = new PlainRnn(decoder, cell, layers);
      const want = lengths.map((_, b) => {
        let state = plain.start(Array.from({ length: layers }, () => [0, 0, 0]));
        let fed: Vec = [0, 0, 0];
        return targetIn[b]!.map((y) => {
          state = plain.step(embedding[y]!, inputFeeding ? fed : undefined, state);
          const s = state.h[layers - 1]!;
          const att = dotAttention(s, wq, rowStates(memory, b), 3);
          fed = tanhV(vecMat([...att.context, ...s], wc));
          return fed;
        });
      });
      expect(maxDifference(output, want)).toBeLessThan(1e-5);
      dispose();
      decoder.dispose();
    });
  }

  it('Luong order without input feeding attends once for all T steps when the attention can', () => {
    const attention = new AllStepsAttention(4, 5, 2);
    const decoder = build(1, { memory: 4, targetVocab: 5 }, { order: 'luong' }, { attention });
    const { dispose } = forwardTiny(decoder, 4);
    expect(attention.calls).toEqual({ attend: 0, attendAll: 1 });
    dispose();
    decoder.dispose();
  });

  it('adds λ · Σ_t Σ_j min(a_tj, c_tj) / #real positions, c_t being the coverage the attention carries', () => {
    const decoder = build(
      2,
      { memory: 4, targetVocab: 5 },
      { coverageLoss: 0.5 },
      { attention: 'coverage' },
    );
    const memory = tinyMemory(4);
    const targetIn = tinyTargets();
    const mask = [
      [1, 1, 1],
      [1, 1, 0],
    ];
    const targetMask = tf.tensor2d(mask);
    const inference = { training: false } as const;
    const [masked, unmasked, plain] = tf.tidy(() => {
      const cache = decoder.prepare(memory, inference);
      const lossWith = (options: object) =>
        decoder.forward(targetIn, cache, { ...inference, ...options }).extraLoss!.dataSync()[0]!;
      // Step by step, reading the coverage from the attention's own state before each step.
      let state = decoder.initialState(cache, inference);
      const perPosition: number[][] = [[], []];
      for (const [t, prev] of (tf.unstack(targetIn, 1) as tf.Tensor1D[]).entries()) {
        const coverage = (state.attention as { coverage: tf.Tensor2D }).coverage.arraySync();
        const r = decoder.step(prev, state, cache, inference);
        r.weights!.arraySync().forEach((a, b) => {
          perPosition[b]![t] = a.reduce((sum, atj, j) => sum + Math.min(atj, coverage[b]![j]!), 0);
        });
        state = r.state as AttentionalDecoderState;
      }
      return [lossWith({ targetMask }), lossWith({}), perPosition] as const;
    });
    const real = plain.flatMap((row, b) => row.filter((_, t) => mask[b]![t]));
    expect(
      real.some((v) => v > 0.05),
      'attention revisits something',
    ).toBe(true);
    expect(masked).toBeCloseTo((0.5 * real.reduce((a, v) => a + v, 0)) / 5, 6);
    expect(unmasked).toBeCloseTo((0.5 * plain.flat().reduce((a, v) => a + v, 0)) / 6, 6);
    tf.dispose([memory.states, memory.mask, ...memory.final, targetIn, targetMask]);
    decoder.dispose();
  });

  it('asks for no extra loss unless coverageLoss is set', () => {
    const decoder = build(2, { memory: 4, targetVocab: 5 }, {}, { attention: 'coverage' });
    const memory = tinyMemory(4);
    const targetIn = tinyTargets();
    const extra = tf.tidy(() => {
      const out = decoder.forward(targetIn, decoder.prepare(memory, { training: false }), {
        training: false,
      });
      return out.extraLoss;
    });
    expect(extra).toBeUndefined();
    tf.dispose([memory.states, memory.mask, ...memory.final, targetIn]);
    decoder.dispose();
  });

  for (const [what, options, parts] of [
    ['bahdanau order, 2-layer lstm, bridged', { layers: 2 }, { bridgeSize: 6 }],
    ['luong order, input feeding, gru', { order: 'luong', inputFeeding: true, cell: 'gru' }, {}],
    ['luong order, attendAll, lstm', { order: 'luong' }, { attention: 'all-steps' }],
    [
      'bahdanau order, coverage attention and loss',
      { coverageLoss: 0.5 },
      { attention: 'coverage' },
    ],
  ] as const) {
    it(`gradients match finite differences (${what})`, () =>
      expectTinyGradientsMatch(
        () =>
          build(
            1,
            { memory: 3, targetVocab: 5 },
            { hiddenSize: 3, embeddingSize: 2, ...options },
            parts,
          ),
        3,
      ));
  }

  it('validates its options, naming the bad one', () => {
    const sizes = { memory: 4, targetVocab: 5 };
    expect(() => build(1, sizes, { order: 'vaswani' as 'luong' })).toThrow(
      /option 'order': invalid option: expected one of "bahdanau"\|"luong", got 'vaswani'/,
    );
    expect(() => build(1, sizes, { inputFeeding: true })).toThrow(
      /option 'inputFeeding': needs order 'luong' .*, got true/,
    );
    expect(() =>
      build(1, sizes, { order: 'luong', inputFeeding: 1 as unknown as boolean }),
    ).toThrow(/option 'inputFeeding': invalid input: expected boolean, .*got 1/);
    expect(() => build(1, sizes, { coverageLoss: -1 })).toThrow(
      /option 'coverageLoss': too small: expected number to be >=0, got -1/,
    );
    expect(() => build(1, sizes, { layers: 1.5 })).toThrow(
      /option 'layers': .*expected int.*got 1\.5/,
    );
    expect(() => build(1, sizes, { layers: 2 }, { bridgeSize: 4 })).toThrow(
      /option 'bridge' gives a context of size 4/,
    );
  });
});
