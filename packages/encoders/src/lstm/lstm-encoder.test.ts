import { ConfigError, exportWeights, Registry } from '@s2s/core';
import {
  describeEncoder,
  expectGradientsMatchFiniteDifferences,
  lengthMask,
  pinBackend,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLstmEncoder, LstmEncoder } from './lstm-encoder.js';

const small = { vocabSize: 9, embeddingSize: 4, hiddenSize: 5 };

describeEncoder('lstm', {
  create: (seed) => new LstmEncoder(small, seed),
  source: { vocabSize: 9 },
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
    const wx = w.inputKernel!;
    const wh = w.recurrentKernel!;
    const bias = w.bias as unknown as number[];
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

  it('gradients match finite differences', async () => {
    await pinBackend('cpu');
    const encoder = new LstmEncoder({ vocabSize: 5, embeddingSize: 3, hiddenSize: 2 }, 1);
    const source = tf.tensor2d(
      [
        [1, 2, 3],
        [4, 1, 0],
      ],
      [2, 3],
      'int32',
    );
    const mask = lengthMask([3, 2], 3);
    const probe = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 2);
    expectGradientsMatchFiniteDifferences(encoder, () => {
      const m = encoder.encode(source, mask, { training: false });
      return tf.add(
        tf.sum(tf.mul(tf.mul(m.states, mask.expandDims(2)), probe)),
        tf.sum(m.final[0]!),
      ) as tf.Scalar;
    });
    encoder.dispose();
    await pinBackend('wasm');
  });

  it('is built by name and rejects unknown options', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'lstm', create: createLstmEncoder });
    const encoder = registry.create(
      'encoder',
      { name: 'lstm', hiddenSize: 3 },
      { sizes: { sourceVocab: 6 } },
    );
    expect(encoder.outputSize).toBe(3);
    encoder.dispose();
    expect(() =>
      registry.create('encoder', { name: 'lstm', hiddenSzie: 3 }, { sizes: { sourceVocab: 6 } }),
    ).toThrow(/unknown option 'hiddenSzie'/);
    expect(() => registry.create('encoder', { name: 'lstm' }, { sizes: {} })).toThrow(ConfigError);
  });
});
