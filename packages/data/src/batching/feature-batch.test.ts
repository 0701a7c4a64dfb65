import { disposeBatch, ShapeError } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFeatureBatch } from './feature-batch.js';

const specials = { pad: 0, bos: 1, eos: 2 };
const frames = (rows: number[][]) => ({
  data: Float32Array.from(rows.flat()),
  frames: rows.length,
  features: rows[0]!.length,
});

describe('makeFeatureBatch', () => {
  beforeAll(() => pinBackend('cpu'));

  it('zero-pads frames to [B, S, F] with a mask, and frames targets like makeBatch', () => {
    const batch = makeFeatureBatch(
      [
        frames([[1, 2]]),
        frames([
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
      ],
      [[7, 8, 9], [4]],
      specials,
    );
    expect(batch.source.arraySync()).toEqual([
      [
        [1, 2],
        [0, 0],
        [0, 0],
      ],
      [
        [3, 4],
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(batch.sourceMask.arraySync()).toEqual([
      [1, 0, 0],
      [1, 1, 1],
    ]);
    expect(batch.targetIn.arraySync()).toEqual([
      [1, 7, 8, 9],
      [1, 4, 0, 0],
    ]);
    expect(batch.targetOut.arraySync()).toEqual([
      [7, 8, 9, 2],
      [4, 2, 0, 0],
    ]);
    expect(batch.targetMask.arraySync()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
    disposeBatch(batch);
  });

  it('rejects mismatched feature sizes, counts and empty sources', () => {
    expect(() => makeFeatureBatch([frames([[1, 2]]), frames([[1]])], [[4], [4]], specials)).toThrow(
      ShapeError,
    );
    expect(() => makeFeatureBatch([frames([[1]])], [], specials)).toThrow(/as many targets/);
    expect(() =>
      makeFeatureBatch([{ data: new Float32Array(0), frames: 0, features: 2 }], [[4]], specials),
    ).toThrow(/at least one frame/);
  });
});
