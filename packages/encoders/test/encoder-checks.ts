/**
 * Checks every RNN encoder test runs: the plain-JS reference on a padded batch, and
 * finite differences at tiny sizes on the cpu backend.
 */
import { disposeTree, type Encoder, tidyTree } from '@s2s/core';
import {
  expectGradientsMatchFiniteDifferences,
  lengthMask,
  pinBackend,
  randomSource,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import type { RnnEncoderOptions } from '../src/rnn/rnn-encoder.js';
import {
  expectMatchesReference,
  type ReferenceConfig,
  type ReferenceRow,
  referenceEncode,
  weightsOf,
} from './reference-rnn.js';

/** A right-padded test batch: token ids below `vocabSize`, or frames of `features`. */
export function testBatch(
  input: { vocabSize: number } | { features: number },
  lengths: readonly number[],
  seed = 3,
): { source: tf.Tensor; mask: tf.Tensor2D; rows: ReferenceRow[] } {
  const width = Math.max(...lengths);
  const source = randomSource(input, lengths.length, width, seed);
  const all = source.arraySync() as ReferenceRow[];
  const rows = all.map((row, r) => row.slice(0, lengths[r]) as ReferenceRow);
  return { source, mask: lengthMask(lengths, width), rows };
}

/**
 * Randomises the encoder's weights, encodes a padded batch and asserts every row matches the
 * plain-JS reference at its real positions, and every layer's final state.
 */
export function expectEncoderMatchesReference(
  encoder: Encoder,
  config: ReferenceConfig,
  input: { vocabSize: number } | { features: number },
  lengths: readonly number[],
): void {
  // Random values everywhere, biases included, so a bias that is zero at
  // initialisation cannot hide a wrong formula.
  [...encoder.parameters().values()].forEach((v, i) =>
    tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 100 + i))),
  );
  const batch = testBatch(input, lengths);
  const memory = tidyTree(() => encoder.encode(batch.source, batch.mask, { training: false }));
  const weights = weightsOf(encoder);
  expectMatchesReference(
    {
      states: memory.states.arraySync(),
      mask: memory.mask.arraySync(),
      final: memory.final.map((f) => f.arraySync()),
    },
    batch.rows.map((row) => referenceEncode(weights, config, row)),
  );
  disposeTree([memory, batch.source, batch.mask]);
}

/**
 * Analytic gradients of a loss on the real states and every final state match central
 * finite differences, on cpu (float32 there is exact enough for ε = 1e-2).
 */
export async function expectEncoderGradientsMatch(
  create: () => Encoder,
  input: { vocabSize: number } | { features: number },
  lengths: readonly number[],
): Promise<void> {
  await pinBackend('cpu');
  const encoder = create();
  const batch = testBatch(input, lengths, 5);
  expectGradientsMatchFiniteDifferences(encoder, () => {
    const m = encoder.encode(batch.source, batch.mask, { training: false });
    const real = tf.mul(m.states, m.mask.expandDims(2));
    const probe = tf.randomNormal(real.shape, 0, 1, 'float32', 2);
    const finals = m.final.map((f, l) => tf.sum(tf.mul(f, tf.scalar(l + 1))));
    return tf.addN([tf.sum(tf.mul(real, probe)), ...finals]) as tf.Scalar;
  });
  disposeTree([batch.source, batch.mask]);
  encoder.dispose();
  await pinBackend('wasm');
}

/** Stack shapes every cell is checked in against the reference. */
const stacks = [
  ['1 layer forwards', { layers: 1, bidirectional: false }],
  ['bidirectional concat', { layers: 1, bidirectional: 'concat' }],
  ['bidirectional sum', { layers: 1, bidirectional: 'sum' }],
  [
    '3 stacked bidirectional layers with residuals',
    { layers: 3, bidirectional: 'concat', residual: true },
  ],
  ['2 stacked forward layers with residuals', { layers: 2, bidirectional: false, residual: true }],
] as const;

/**
 * The checks an RNN encoder of one cell runs inside its `describe`: the reference on
 * every stack shape over tokens and frames, and finite differences for a one-layer
 * encoder over tokens and a deep bidirectional residual one over frames.
 */
export function itMatchesReferenceAndGradients(
  cell: 'lstm' | 'gru',
  create: (options: Omit<RnnEncoderOptions, 'cell'>, seed: number) => Encoder,
): void {
  it.each(stacks)(`matches the plain-JS ${cell} on a padded batch: %s`, (_, options) => {
    for (const input of [{ vocabSize: 9 }, { features: 3 }]) {
      const encoder = create({ ...input, embeddingSize: 4, hiddenSize: 4, ...options }, 3);
      expect(encoder.finalSizes).toEqual(
        new Array(options.layers).fill(options.bidirectional === 'concat' ? 8 : 4),
      );
      expectEncoderMatchesReference(encoder, { cell, ...options }, input, [5, 2, 4, 1]);
      encoder.dispose();
    }
  });

  it('gradients match finite differences', async () => {
    const tiny = { embeddingSize: 2, hiddenSize: 2 };
    await expectEncoderGradientsMatch(
      () => create({ vocabSize: 5, ...tiny }, 1),
      { vocabSize: 5 },
      [3, 2],
    );
    const deep = { layers: 2, bidirectional: 'concat', residual: true } as const;
    await expectEncoderGradientsMatch(
      () => create({ features: 3, ...tiny, ...deep }, 1),
      { features: 3 },
      [3, 2],
    );
  });
}
