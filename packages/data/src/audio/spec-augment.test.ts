import { Rng } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import type { Features } from './features.js';
import { specAugment } from './spec-augment.js';

const tau = 50;
const nu = 20;
const rng = new Rng(1);
const input: Features = {
  data: Float32Array.from({ length: tau * nu }, () => 1 + rng.next()),
  frames: tau,
  features: nu,
};
const masked = (out: Features, s: number, f: number) => out.data[s * nu + f] === 0;
const fullRows = (out: Features) =>
  Array.from({ length: tau }, (_, s) => s).filter((s) =>
    Array.from({ length: nu }, (_, f) => f).every((f) => masked(out, s, f)),
  );
const fullColumns = (out: Features) =>
  Array.from({ length: nu }, (_, f) => f).filter((f) =>
    Array.from({ length: tau }, (_, s) => s).every((s) => masked(out, s, f)),
  );

describe('specAugment', () => {
  it('masks only whole frequency bands and whole frames, and leaves the rest alone', () => {
    for (let seed = 0; seed < 50; seed++) {
      const out = specAugment(input, seed);
      const rows = new Set(fullRows(out));
      const columns = new Set(fullColumns(out));
      let stray = 0;
      for (let s = 0; s < tau; s++) {
        for (let f = 0; f < nu; f++) {
          const kept = out.data[s * nu + f] === input.data[s * nu + f];
          if (masked(out, s, f) ? !(rows.has(s) || columns.has(f)) : !kept) stray++;
        }
      }
      expect(stray).toBe(0);
      expect(columns.size).toBeLessThanOrEqual(2 * 8);
      // p·τ = 10 frames caps each of the two time masks below T = 20.
      expect(rows.size).toBeLessThanOrEqual(2 * 10);
    }
  });

  it('draws widths over the whole range [0, F] and [0, min(T, p·τ)]', () => {
    const widths = (options: object, count: (o: Features) => number) =>
      new Set(Array.from({ length: 300 }, (_, seed) => count(specAugment(input, seed, options))));
    const f = widths({ timeMasks: 0, frequencyMasks: 1 }, (o) => fullColumns(o).length);
    expect([...f].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const t = widths(
      { frequencyMasks: 0, timeMasks: 1, timeMaskRatio: 0.2 },
      (o) => fullRows(o).length,
    );
    expect(Math.max(...t)).toBe(10);
    expect(Math.min(...t)).toBe(0);
  });

  it('is a pure function of the seed and does not touch its input', () => {
    const before = input.data.slice();
    expect(specAugment(input, 42).data).toEqual(specAugment(input, 42).data);
    expect(specAugment(input, 42).data).not.toEqual(specAugment(input, 43).data);
    expect(input.data).toEqual(before);
  });

  it('rejects bad options, naming them', () => {
    expect(() => specAugment(input, 0, { timeMasks: 1.5 })).toThrow(/timeMasks/);
    expect(() => specAugment(input, 0, { timeMaskRatio: 2 })).toThrow(/timeMaskRatio/);
    expect(() => specAugment(input, 0, { warp: 5 } as never)).toThrow(/warp/);
    expect(() => specAugment(input, 0, { timeMask: 1 } as never)).toThrow(
      /specAugment: unknown option 'timeMask' \(did you mean 'timeMasks'\?\)/,
    );
    expect(() => specAugment(input, 0, { frequencyMaskWidth: -1 })).toThrow(
      /option 'frequencyMaskWidth': .*>=0, got -1/,
    );
  });
});
