import { ConfigError, exportWeights, Registry } from '@s2s/core';
import { describeEncoder, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { itMatchesReferenceAndGradients } from '../../test/encoder-checks.js';
import { createLstmEncoder, LstmEncoder } from './lstm-encoder.js';

const small = { vocabSize: 9, embeddingSize: 4, hiddenSize: 5 };
const deep = {
  features: 3,
  embeddingSize: 4,
  hiddenSize: 3,
  layers: 2,
  bidirectional: 'concat',
  residual: true,
} as const;

describeEncoder('lstm', {
  create: (seed) => new LstmEncoder(small, seed),
  source: { vocabSize: 9 },
});
describeEncoder('lstm, 2 bidirectional residual layers over frames', {
  create: (seed) => new LstmEncoder(deep, seed),
  source: { features: 3 },
});

describe('LstmEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it('computes the textbook LSTM recurrence', () => {
    const encoder = new LstmEncoder(small, 3);
    const ids = [4, 1, 7];
    const memory = encoder.encode(
      tf.tensor2d([ids], [1, 3], 'int32'),
      tf.ones([1, 3]) as tf.Tensor2D,
      { training: false },
    );
    const w = Object.fromEntries(
      [...exportWeights(encoder)].map(([k, v]) => [k, v.arraySync() as number[][]]),
    );
    const table = w['embedding.table']!;
    const wx = w['layers.0.forward.inputKernel']!;
    const wh = w['layers.0.forward.recurrentKernel']!;
    const bias = w['layers.0.forward.bias'] as unknown as number[];
    const h = 5;
    let hPrev = new Array(h).fill(0);
    let cPrev = new Array(h).fill(0);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const expected: number[][] = [];
    for (const id of ids) {
      const x = table[id]!;
      const z = bias.map(
        (b, k) =>
          b +
          x.reduce((s, xi, i) => s + xi * wx[i]![k]!, 0) +
          hPrev.reduce((s, hi, i) => s + hi * wh[i]![k]!, 0),
      );
      const gate = (g: number, k: number) => z[g * h + k]!;
      const c = cPrev.map(
        (cp, k) => sigmoid(gate(1, k)) * cp + sigmoid(gate(0, k)) * Math.tanh(gate(3, k)),
      );
      hPrev = c.map((ck, k) => sigmoid(gate(2, k)) * Math.tanh(ck));
      cPrev = c;
      expected.push(hPrev);
    }
    const states = memory.states.arraySync()[0]!;
    expected.forEach((row, t) => row.forEach((v, k) => expect(states[t]![k]).toBeCloseTo(v, 5)));
    encoder.dispose();
  });

  itMatchesReferenceAndGradients('lstm', (options, seed) => new LstmEncoder(options, seed));

  it('is built by name and rejects unknown options', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'lstm', create: createLstmEncoder });
    const encoder = registry.create(
      'encoder',
      { name: 'lstm', hiddenSize: 3, layers: 2, bidirectional: 'concat' },
      { sizes: { sourceVocab: 6 } },
    );
    expect(encoder.outputSize).toBe(6);
    expect(encoder.finalSizes).toEqual([6, 6]);
    encoder.dispose();
    expect(() =>
      registry.create('encoder', { name: 'lstm', hiddenSzie: 3 }, { sizes: { sourceVocab: 6 } }),
    ).toThrow(/unknown option 'encoder\.hiddenSzie' \(did you mean 'hiddenSize'\?\)/);
    expect(() => registry.create('encoder', { name: 'lstm' }, { sizes: {} })).toThrow(ConfigError);
  });
});
