import { describe, expect, it } from 'vitest';
import { normalizeUtterance } from './normalize.js';

describe('normalizeUtterance', () => {
  it('gives each feature mean 0 and standard deviation 1 over the utterance', () => {
    // Frames × features [3, 2]: feature 0 is 1, 2, 3 (mean 2, σ = √(2/3)); feature 1 is constant.
    const out = normalizeUtterance({
      data: Float32Array.from([1, 5, 2, 5, 3, 5]),
      frames: 3,
      features: 2,
    });
    const z = 1 / Math.sqrt(2 / 3);
    const expected = [-z, 0, 0, 0, z, 0];
    expected.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 6));
    expect([out.frames, out.features]).toEqual([3, 2]);
  });
});
