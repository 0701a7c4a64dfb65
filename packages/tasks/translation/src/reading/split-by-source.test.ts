import { ConfigError, type TaskExample } from '@s2s/core';
import { describe, expect, it } from 'vitest';
import { examples } from '../../test/helpers.js';
import { splitBySource } from './split-by-source.js';

// Ten sentences; "s3" and "s7" have two translations each, on non-adjacent lines.
const pairs = examples([
  ['s0', 'f0'],
  ['s1', 'f1'],
  ['s2', 'f2'],
  ['s3', 'f3a'],
  ['s4', 'f4'],
  ['s5', 'f5'],
  ['s3', 'f3b'],
  ['s6', 'f6'],
  ['s7', 'f7a'],
  ['s8', 'f8'],
  ['s9', 'f9'],
  ['s7', 'f7b'],
]);

describe('splitBySource', () => {
  it('holds out whole sentences: none in training, each once in dev with all its translations', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { train, dev } = splitBySource(pairs, { devFraction: 0.3, maxDev: 100, seed });
      expect(dev).toHaveLength(3); // round(0.3 × 10 distinct sentences)
      const held = new Set(dev.map((e) => e.input));
      expect(held.size).toBe(3);
      expect(train.filter((e) => held.has(e.input))).toEqual([]);
      for (const e of dev) {
        const all = pairs.filter((p) => p.input === e.input).map((p) => p.references[0]);
        expect(e.references).toEqual(all);
      }
      // Nothing lost, nothing duplicated.
      expect(train.length + dev.reduce((n, e) => n + e.references.length, 0)).toBe(pairs.length);
    }
  });

  it('is a pure function of the seed, keeps file order, and differs across seeds', () => {
    const a = splitBySource(pairs, { devFraction: 0.3, maxDev: 100, seed: 5 });
    const b = splitBySource(pairs, { devFraction: 0.3, maxDev: 100, seed: 5 });
    expect(a).toEqual(b);
    const order = (list: readonly TaskExample[]) => list.map((e) => Number(e.input.slice(1)));
    expect(order(a.dev)).toEqual([...order(a.dev)].sort((x, y) => x - y));
    const devs = new Set(
      Array.from({ length: 10 }, (_, seed) =>
        splitBySource(pairs, { devFraction: 0.3, maxDev: 100, seed })
          .dev.map((e) => e.input)
          .join(),
      ),
    );
    expect(devs.size).toBeGreaterThan(1);
  });

  it('caps the dev set at maxDev and keeps at least one sentence', () => {
    expect(splitBySource(pairs, { devFraction: 0.9, maxDev: 2, seed: 1 }).dev).toHaveLength(2);
    expect(splitBySource(pairs, { devFraction: 0.01, maxDev: 9, seed: 1 }).dev).toHaveLength(1);
  });

  it('holds out nothing for a fraction of 0', () => {
    expect(splitBySource(pairs, { devFraction: 0, maxDev: 100, seed: 1 })).toEqual({
      train: pairs,
      dev: [],
    });
  });

  it('rejects a fraction outside [0, 1) and a split that leaves nothing to train on', () => {
    for (const devFraction of [1, -0.1, Number.NaN]) {
      expect(() => splitBySource(pairs, { devFraction, maxDev: 100, seed: 1 })).toThrow(
        ConfigError,
      );
    }
    const two = examples([
      ['a', 'b'],
      ['a', 'c'],
    ]);
    expect(() => splitBySource(two, { devFraction: 0.5, maxDev: 100, seed: 1 })).toThrow(
      /leaves nothing to train on/,
    );
  });
});
