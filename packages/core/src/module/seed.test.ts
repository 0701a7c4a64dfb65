import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from './seed.js';

describe('seeds', () => {
  it('derives distinct, stable seeds per name', () => {
    expect(deriveSeed(1, 'encoder')).toBe(deriveSeed(1, 'encoder'));
    expect(deriveSeed(1, 'encoder')).not.toBe(deriveSeed(1, 'decoder'));
    expect(deriveSeed(1, 'encoder')).not.toBe(deriveSeed(2, 'encoder'));
  });

  it('Rng repeats from a seed and resumes exactly from a saved state', () => {
    const a = new Rng(42);
    const first = [a.next(), a.next()];
    const saved = a.state;
    const next = [a.next(), a.nextSeed()];
    expect([new Rng(42).next(), new Rng(42).next()][0]).toBe(first[0]);
    const b = new Rng(0);
    b.state = saved;
    expect([b.next(), b.nextSeed()]).toEqual(next);
  });

  it('draws uniformly: the mean of many draws is near 1/2 and ints cover their range', () => {
    const r = new Rng(7);
    let sum = 0;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 20000; i++) {
      sum += r.next();
      counts[r.int(5)]++;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    for (const c of counts) expect(c / 20000).toBeCloseTo(0.2, 1);
  });

  it('shuffles deterministically and keeps every element', () => {
    const s1 = new Rng(3).shuffle([...Array(10).keys()]);
    expect(new Rng(3).shuffle([...Array(10).keys()])).toEqual(s1);
    expect([...s1].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });
});
