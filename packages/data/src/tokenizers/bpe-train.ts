import { knownOptions, positiveInt } from '@s2s/core';
import type { BpeMerge } from './bpe.js';
import type { NormalizeOptions } from './normalize.js';

/** Options of {@link BpeTokenizer.train}. */
export interface BpeTrainingOptions extends NormalizeOptions {
  /** Stop once there are this many distinct pieces, characters included. Default 8000. */
  readonly vocabSize?: number;
  /** Merge only pairs seen at least this often. Default 2. */
  readonly minFrequency?: number;
}

const defaults = { vocabSize: 8000, minFrequency: 2 } as const;

interface Word {
  symbols: string[];
  readonly count: number;
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
  knownOptions('bpe training', options, ['vocabSize', 'minFrequency']);
  const vocabSize = positiveInt(
    'bpe training',
    'vocabSize',
    options.vocabSize ?? defaults.vocabSize,
  );
  const minFrequency = positiveInt(
    'bpe training',
    'minFrequency',
    options.minFrequency ?? defaults.minFrequency,
  );
  const words: Word[] = [];
  const pieces = new Set<string>();
  for (const [segment, count] of counts) {
    const symbols = Array.from(segment);
    for (const s of symbols) pieces.add(s);
    words.push({ symbols, count });
  }
  const pairs = new Map<
    string,
    { left: string; right: string; count: number; words: Set<number> }
  >();
  const heap = new CandidateHeap();
  const touch = (left: string, right: string, delta: number, word: number) => {
    const key = pairKey(left, right);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { left, right, count: 0, words: new Set() };
      pairs.set(key, pair);
    }
    pair.count += delta;
    if (delta > 0) pair.words.add(word);
    heap.push({ left, right, count: pair.count });
  };
  const countWord = (w: number, sign: 1 | -1) => {
    const { symbols, count } = words[w]!;
    for (let i = 0; i + 1 < symbols.length; i++)
      touch(symbols[i]!, symbols[i + 1]!, sign * count, w);
  };
  words.forEach((_, w) => countWord(w, 1));

  const merges: BpeMerge[] = [];
  while (pieces.size < vocabSize) {
    const best = heap.popBest((c) => pairs.get(pairKey(c.left, c.right))?.count);
    if (!best || best.count < minFrequency) break;
    const { left, right } = best;
    const merged = left + right;
    const pair = pairs.get(pairKey(left, right))!;
    for (const w of [...pair.words].sort((a, b) => a - b)) {
      const word = words[w]!;
      if (!holds(word.symbols, left, right)) continue;
      countWord(w, -1);
      word.symbols = mergeIn(word.symbols, left, right, merged);
      countWord(w, 1);
    }
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
