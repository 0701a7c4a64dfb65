import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../errors/errors.js';
import { pinBackend } from '../testing/helpers.js';
import { disposeBatch, makeBatch, padSequences } from './batch.js';

describe('makeBatch', () => {
  beforeAll(() => pinBackend('cpu'));

  it('right-pads sources and frames targets as <bos> y / y <eos>, with masks', () => {
    const batch = makeBatch([[5, 6, 7], [8]], [[9], [10, 11]], { pad: 0, bos: 1, eos: 2 });
    expect(batch.source.arraySync()).toEqual([
      [5, 6, 7],
      [8, 0, 0],
    ]);
    expect(batch.sourceMask.arraySync()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    expect(batch.targetIn.arraySync()).toEqual([
      [1, 9, 0],
      [1, 10, 11],
    ]);
    expect(batch.targetOut.arraySync()).toEqual([
      [9, 2, 0],
      [10, 11, 2],
    ]);
    expect(batch.targetMask.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(batch.source.dtype).toBe('int32');
    disposeBatch(batch);
  });

  it('disposes the named source inputs with the rest of the batch', () => {
    const before = tf.memory().numTensors;
    const batch = {
      ...makeBatch([[5]], [[6]], { pad: 0, bos: 1, eos: 2 }),
      inputs: { question: tf.tensor2d([[7, 8]], [1, 2], 'int32'), questionMask: tf.ones([1, 2]) },
    };
    disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects empty sources and mismatched counts with a shape error', () => {
    expect(() => makeBatch([[1], []], [[1], [1]], { pad: 0, bos: 1, eos: 2 })).toThrow(
      /source 1: expected at least one token/,
    );
    expect(() => makeBatch([[1]], [], { pad: 0, bos: 1, eos: 2 })).toThrow(ShapeError);
  });

  it('pads inference sources', () => {
    const before = tf.memory().numTensors;
    const { ids, mask } = padSequences([[4], [5, 6]], 0);
    expect(ids.arraySync()).toEqual([
      [4, 0],
      [5, 6],
    ]);
    expect(mask.arraySync()).toEqual([
      [1, 0],
      [1, 1],
    ]);
    tf.dispose([ids, mask]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
