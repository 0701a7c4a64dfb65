import { describe, expect, it } from 'vitest';
import type { TaskExample } from '../contracts/task.js';
import { ConfigError } from '../errors/errors.js';
import { randomSplit } from './random-split.js';

const examples: TaskExample[] = Array.from({ length: 50 }, (_, i) => ({
  input: `input ${i}`,
  references: [`reference ${i}`],
}));

describe('randomSplit', () => {
  it('holds out round(fraction · n) examples, every example on exactly one side, in order', () => {
    const { train, dev } = randomSplit(examples, 0.1, 7);
    expect(dev).toHaveLength(5);
    expect(train).toHaveLength(45);
    expect(new Set([...train, ...dev]).size).toBe(50);
    const position = (e: TaskExample) => examples.indexOf(e);
    for (const side of [train, dev]) {
      const positions = side.map(position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('is a function of the seed: the same seed repeats, another seed holds out others', () => {
    const first = randomSplit(examples, 0.2, 1).dev;
    expect(randomSplit(examples, 0.2, 1).dev).toEqual(first);
    expect(randomSplit(examples, 0.2, 2).dev).not.toEqual(first);
    // Not simply the first or last examples.
    expect(first).not.toEqual(examples.slice(0, 10));
    expect(first).not.toEqual(examples.slice(40));
  });

  it('holds out nothing at fraction 0, and rejects a fraction outside [0, 1)', () => {
    expect(randomSplit(examples, 0, 1)).toEqual({ train: examples, dev: [] });
    for (const bad of [1, -0.1, Number.NaN, '0.1' as unknown as number]) {
      expect(() => randomSplit(examples, bad, 1)).toThrow(ConfigError);
    }
    expect(() => randomSplit(examples, 1.5, 1)).toThrow(
      "settings: option 'training.devFraction': too big: expected number to be <1, got 1.5",
    );
  });
});
