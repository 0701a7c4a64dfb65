import { ConfigError, disposeTree, Rng, tidyTree } from '@s2s/core';
import { expectClose, lengthMask, maxAbsDiff, pinBackend, randomSource } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairFrames, RnnEncoder, type RnnEncoderOptions } from './rnn-encoder.js';

const base: RnnEncoderOptions = { cell: 'lstm', vocabSize: 6, embeddingSize: 3, hiddenSize: 2 };

describe('RnnEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it.each([
    [{ cell: 'rnn' }, /option 'cell': invalid option: expected one of "lstm"\|"gru", got 'rnn'/],
    [{ embeddingSize: 0 }, /option 'embeddingSize': too small: expected number to be >0, got 0/],
    [{ hiddenSize: 2.5 }, /option 'hiddenSize': invalid input: expected int, .*got 2\.5/],
    [{ layers: 0 }, /option 'layers': too small: .*got 0/],
    [
      { bidirectional: true },
      /option 'bidirectional': invalid option: expected one of false\|"concat"\|"sum", got true/,
    ],
    [{ residual: 'yes' }, /option 'residual': invalid input: expected boolean, .*got 'yes'/],
    [{ residual: true, layers: 1 }, /option 'residual': .* needs 'layers' ≥ 2 \(layers is 1\)/],
    [{ dropout: 1 }, /option 'dropout': too big: expected number to be <=0\.99, got 1$/],
    [
      { pyramidal: true, residual: true, layers: 2 },
      /option 'residual': cannot be used with 'pyramidal'/,
    ],
    [{ hiddenSzie: 3 }, /unknown option 'hiddenSzie' \(did you mean 'hiddenSize'\?\)/],
    [{ vocabSize: undefined }, /exactly one of 'vocabSize' .* or 'features'/],
    [{ features: 4 }, /exactly one of 'vocabSize' .* or 'features'/],
  ] as const)('rejects %j with an error naming the option', (bad, message) => {
    expect(() => new RnnEncoder({ ...base, ...(bad as object) }, 1)).toThrow(ConfigError);
    expect(() => new RnnEncoder({ ...base, ...(bad as object) }, 1)).toThrow(message);
  });

  it('rejects a source of the wrong shape, saying what it expected', () => {
    const encoder = new RnnEncoder({ ...base, vocabSize: undefined, features: 4 }, 1);
    const ids = tf.zeros([2, 3], 'int32');
    const mask = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => encoder.encode(ids, mask, { training: false })).toThrow(/expected \[B, S, 4\]/);
    disposeTree([ids, mask]);
    encoder.dispose();
  });

  it('drops out between layers in training only, reproducibly from the seed', () => {
    const encoder = new RnnEncoder({ ...base, layers: 2, dropout: 0.5 }, 1);
    const source = randomSource({ vocabSize: 6 }, 2, 4, 1);
    const mask = lengthMask([4, 3], 4);
    const run = (options: { training: boolean; rng?: Rng }) =>
      tidyTree(() => encoder.encode(source, mask, options));
    const [a, b, c, plain] = [
      run({ training: true, rng: new Rng(3) }),
      run({ training: true, rng: new Rng(3) }),
      run({ training: true, rng: new Rng(4) }),
      run({ training: false }),
    ];
    expectClose(a.states, b.states, 0, 'same seed');
    expect(maxAbsDiff(a.states, c.states), 'other seed').toBeGreaterThan(0);
    expect(
      maxAbsDiff(a.final[1]!, plain.final[1]!),
      'training changes the top layer',
    ).toBeGreaterThan(0);
    disposeTree([a, b, c, plain, source, mask]);
    encoder.dispose();
  });

  it('pairs neighbouring frames, zeroing padding, and keeps a pair iff its first frame is real', () => {
    // Row 0 has 3 real frames of 5, row 1 has 5: ⌈3/2⌉ = 2 and ⌈5/2⌉ = 3 pairs.
    const x = tf.tensor3d([
      [[1], [2], [3], [99], [99]],
      [[4], [5], [6], [7], [8]],
    ]);
    const mask = lengthMask([3, 5], 5);
    const [pairs, halved] = pairFrames(x, mask);
    expect(pairs.arraySync()).toEqual([
      [
        [1, 2],
        [3, 0],
        [0, 0],
      ],
      [
        [4, 5],
        [6, 7],
        [8, 0],
      ],
    ]);
    expect(halved.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    disposeTree([x, mask, pairs, halved]);
  });
});
