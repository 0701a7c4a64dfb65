import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch } from '../model/batch.js';
import { pinBackend } from '../testing/helpers.js';
import { ArrayBatchSource, type Example } from './array-batch-source.js';

const specials = { pad: 0, bos: 1, eos: 2 };
const examples: Example[] = Array.from({ length: 7 }, (_, i) => ({
  source: [3 + i],
  target: Array.from({ length: 1 + (i % 3) }, () => 3 + i),
}));

/** The first source id of every row of every batch of an epoch: which examples, in order. */
function order(source: ArrayBatchSource, epoch: number): number[][] {
  return [...source.epoch(epoch)].map((batch) => {
    const ids = (batch.source.arraySync() as number[][]).map((row) => row[0]! - 3);
    disposeBatch(batch);
    return ids;
  });
}

describe('ArrayBatchSource', () => {
  beforeAll(() => pinBackend('wasm'));

  it('cuts every example into padded batches, the last one smaller', () => {
    const source = new ArrayBatchSource(examples, { batchSize: 3, specials, shuffle: false });
    expect(source.length).toBe(3);
    expect(order(source, 0)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const [first] = source.epoch(0);
    // Targets of lengths 1, 2, 3 framed as <bos> y and y <eos>, padded to 4.
    expect(first!.targetIn.arraySync()).toEqual([
      [1, 3, 0, 0],
      [1, 4, 4, 0],
      [1, 5, 5, 5],
    ]);
    expect(first!.targetMask.arraySync()).toEqual([
      [1, 1, 0, 0],
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    disposeBatch(first!);
  });

  it('shuffles each epoch as a pure function of the seed and the epoch number', () => {
    const before = tf.memory().numTensors;
    const a = new ArrayBatchSource(examples, { batchSize: 3, specials, seed: 4 });
    const b = new ArrayBatchSource(examples, { batchSize: 3, specials, seed: 4 });
    expect(order(a, 2)).toEqual(order(b, 2));
    expect(order(a, 1)).not.toEqual(order(a, 2));
    expect(order(a, 5).flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options', () => {
    expect(() => new ArrayBatchSource(examples, { batchSize: 0, specials })).toThrow(/batchSize/);
    expect(() => new ArrayBatchSource([], { batchSize: 2, specials })).toThrow(/no examples/);
    expect(
      () => new ArrayBatchSource(examples, { batchSize: 2, specials, shufle: 1 } as never),
    ).toThrow(/unknown option 'shufle' \(did you mean 'shuffle'\?\)/);
    expect(() => new ArrayBatchSource(examples, { batchSize: 2, specials, seed: 1.5 })).toThrow(
      "ArrayBatchSource: option 'seed': invalid input: expected int, received number, got 1.5",
    );
  });
});
