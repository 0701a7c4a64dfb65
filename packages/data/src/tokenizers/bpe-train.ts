import { parseOptions } from '@s2s/core';
import { z } from 'zod';
import type { BpeMerge } from './bpe.js';
import { type NormalizeOptions, normalizeOptions } from './normalize.js';

/** Options of {@link BpeTokenizer.train}. */
export interface BpeTrainingOptions extends NormalizeOptions {
  /** Stop once there are this many distinct pieces, characters included. Default 8000. */
  readonly vocabSize?: number;
  /** Merge only pairs seen at least this often. Default 2. */
  readonly minFrequency?: number;
}

/** The options of {@link learnMerges}: when merging stops. */
export const bpeMergeOptions = z.strictObject({
  vocabSize: z
    .int()
    .positive()
    .default(8000)
    .describe('Stop once there are this many distinct pieces, characters included'),
  minFrequency: z.int().positive().default(2).describe('Merge only pairs seen at least this often'),
});

/** The options of {@link BpeTokenizer.train}: normal form, then when merging stops. */
export const bpeTrainingOptions = normalizeOptions.extend(bpeMergeOptions.shape);

interface Word {
  symbols: string[];
  readonly count: number;
}

interface Pair {
  count: number;
  /** Words that held the pair at some point (a superset: merges can remove it). */
  readonly words: Set<number>;
}

interface Change {
  readonly left: string;
  readonly right: string;
  delta: number;
  readonly words: number[];
}

interface Candidate {
  readonly left: string;
  readonly right: string;
  readonly count: number;
}

/**
 * Learns BPE merges from segment counts: repeatedly merges the most frequent adjacent pair,
 * ties broken by the left then the right piece in code-unit order, so the result depends
 * only on the counts. Pair counts are updated incrementally (only words holding the merged
 * pair are revisited), and a lazy max-heap finds the best pair.
 */
export function learnMerges(
  counts: ReadonlyMap<string, number>,
  options: Omit<BpeTrainingOptions, 'normalize' | 'lowercase'> = {},
): BpeMerge[] {
  const { vocabSize, minFrequency } = parseOptions('bpe training', bpeMergeOptions, options);
  const words: Word[] = [];
  const pieces = new Set<string>();
  for (const [segment, count] of counts) {
    const symbols = Array.from(segment);
    for (const s of symbols) pieces.add(s);
    words.push({ symbols, count });
  }
  const pairs = new Map<string, Pair>();
  const heap = new CandidateHeap();
  // Adds `delta` occurrences of every adjacent pair of word `w` to `changed`.
  const tally = (changed: Map<string, Change>, w: number, sign: 1 | -1) => {
    const { symbols, count } = words[w]!;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const [left, right] = [symbols[i]!, symbols[i + 1]!];
      const key = pairKey(left, right);
      const change = changed.get(key) ?? { left, right, delta: 0, words: [] };
      change.delta += sign * count;
      if (sign > 0) change.words.push(w);
      changed.set(key, change);
    }
  };
  // Applies net changes, pushing one fresh heap entry per pair whose count moved.
  const apply = (changed: Map<string, Change>) => {
    for (const [key, { left, right, delta, words: holders }] of changed) {
      let pair = pairs.get(key);
      if (!pair) {
        pair = { count: 0, words: new Set() };
        pairs.set(key, pair);
      }
      for (const w of holders) pair.words.add(w);
      if (delta === 0) continue;
      pair.count += delta;
      heap.push({ left, right, count: pair.count });
    }
  };
  const initial = new Map<string, Change>();
  words.forEach((_, w) => tally(initial, w, 1));
  apply(initial);

  const merges: BpeMerge[] = [];
  while (pieces.size < vocabSize) {
    const best = heap.popBest((c) => pairs.get(pairKey(c.left, c.right))?.count);
    if (!best || best.count < minFrequency) break;
    const { left, right } = best;
    const merged = left + right;
    const key = pairKey(left, right);
    const changed = new Map<string, Change>();
    for (const w of pairs.get(key)!.words) {
      const word = words[w]!;
      if (!holds(word.symbols, left, right)) continue;
      tally(changed, w, -1);
      word.symbols = mergeIn(word.symbols, left, right, merged);
      tally(changed, w, 1);
    }
    apply(changed);
    pairs.delete(key);
    merges.push([left, right]);
    pieces.add(merged);
  }
  return merges;
}

/** A key for a pair of pieces that no two different pairs share. */
export function pairKey(left: string, right: string): string {
  return `${left.length}:${left}${right}`;
}

function holds(symbols: readonly string[], left: string, right: string): boolean {
  for (let i = 0; i + 1 < symbols.length; i++) {
    if (symbols[i] === left && symbols[i + 1] === right) return true;
  }
  return false;
}

function mergeIn(
  symbols: readonly string[],
  left: string,
  right: string,
  merged: string,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(merged);
      i++;
    } else {
      out.push(symbols[i]!);
    }
  }
  return out;
}

/** Higher count first; ties by left, then right piece, in code-unit order. */
function before(a: Candidate, b: Candidate): boolean {
  if (a.count !== b.count) return a.count > b.count;
  if (a.left !== b.left) return a.left < b.left;
  return a.right < b.right;
}

/**
 * A binary max-heap of pair counts. Entries go stale when a count changes (a fresh entry is
 * pushed instead), so {@link CandidateHeap.popBest} skips entries whose count is not the
 * pair's current one.
 */
class CandidateHeap {
  private readonly items: Candidate[] = [];

  push(item: Candidate): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  popBest(current: (c: Candidate) => number | undefined): Candidate | undefined {
    for (let top = this.pop(); top; top = this.pop()) {
      if (top.count > 0 && current(top) === top.count) return top;
    }
    return undefined;
  }

  private pop(): Candidate | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
