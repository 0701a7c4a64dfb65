import type { SeedSource } from '../contracts/module.js';

/**
 * Derives a child seed from a parent seed and a name, so each parameter's initial value
 * depends only on the model seed and the parameter's path, not on creation order.
 */
export function deriveSeed(seed: number, name: string): number {
  // FNV-1a over the seed's decimal digits and the name.
  let h = 0x811c9dc5;
  const text = `${seed}/${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A small seeded generator (SplitMix32). Its whole state is one integer, so a trainer can
 * save it in a checkpoint and resume exactly.
 */
export class Rng implements SeedSource {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A fresh seed for a tensor op (dropout, random init). */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** The generator's state, for checkpoints. */
  get state(): number {
    return this.s;
  }

  /** Restores a state saved with {@link Rng.state}. */
  set state(value: number) {
    this.s = value >>> 0;
  }
}
