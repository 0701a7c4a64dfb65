import type { Features } from '@s2s/data';
import { describe, expect, it } from 'vitest';
import { perturbFeatures, warpAndStretch } from './perturb.js';

const features = (rows: number[][]): Features => ({
  data: Float32Array.from(rows.flat()),
  frames: rows.length,
  features: rows[0]!.length,
});
const rows = (f: Features) =>
  Array.from({ length: f.frames }, (_, s) =>
    Array.from(f.data.subarray(s * f.features, (s + 1) * f.features)),
  );
const centers = Float64Array.from([100, 200, 300, 400]);

describe('warpAndStretch', () => {
  it('is the identity at α = β = 1', () => {
    const x = features([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ]);
    expect(rows(warpAndStretch(x, centers, 1, 1))).toEqual(rows(x));
  });

  it('reads band m at f_m / α (hand-worked)', () => {
    const x = features([[10, 20, 30, 40]]);
    // α = 2: the bands read 50 (below the first centre: band 0), 100, 150, 200 Hz.
    expect(rows(warpAndStretch(x, centers, 2, 1))).toEqual([[10, 10, 15, 20]]);
    // α = 0.5: they read 200, 400, 600 and 800 Hz (above the last centre: band 3).
    expect(rows(warpAndStretch(x, centers, 0.5, 1))).toEqual([[20, 40, 40, 40]]);
  });

  it('plays β times as fast: n frames become round(n / β), frame t read at t·β', () => {
    const ramp = features(Array.from({ length: 8 }, (_, t) => [t]));
    const one = Float64Array.from([100]);
    expect(rows(warpAndStretch(ramp, one, 1, 2))).toEqual([[0], [2], [4], [6]]);
    const slow = rows(warpAndStretch(ramp, one, 1, 0.5)).flat();
    expect(slow).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7]);
  });
});

describe('perturbFeatures', () => {
  const x = features(Array.from({ length: 50 }, (_, t) => [t, t + 1, t * 2, 3]));

  it('draws α and β within their bounds, the same for the same seed', () => {
    const lengths = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const out = perturbFeatures(x, centers, seed, { warp: 0.1, stretch: 0.2 });
      expect(out.frames).toBeGreaterThanOrEqual(Math.round(50 / 1.2));
      expect(out.frames).toBeLessThanOrEqual(Math.round(50 / 0.8));
      lengths.add(out.frames);
      expect(perturbFeatures(x, centers, seed, { warp: 0.1, stretch: 0.2 })).toEqual(out);
    }
    expect(lengths.size).toBeGreaterThan(5);
  });

  it('changes nothing with warp and stretch 0', () => {
    expect(rows(perturbFeatures(x, centers, 3, { warp: 0, stretch: 0 }))).toEqual(rows(x));
  });

  it('rejects features with another number of bands', () => {
    expect(() => warpAndStretch(features([[1, 2]]), centers, 1, 1)).toThrow(/4 bands/);
  });

  it('rejects bad options by name', () => {
    expect(() => perturbFeatures(x, centers, 1, { warp: 0.9 })).toThrow(
      /perturb: option 'warp': .*<=0\.5, got 0\.9/,
    );
    expect(() => perturbFeatures(x, centers, 1, { strech: 0.1 } as never)).toThrow(
      /unknown option 'strech' \(did you mean 'stretch'\?\)/,
    );
    expect(() => perturbFeatures(x, centers, 1, { tempo: 1 } as never)).toThrow(
      /unknown option 'tempo'/,
    );
  });
});
