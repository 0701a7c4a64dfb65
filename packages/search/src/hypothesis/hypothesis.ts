import type { Hypothesis } from '@s2s/core';

/**
 * One node of a prefix tree of partial outputs: the token it adds to its parent, that
 * token's log P(y_t | y_<t, x) and the attention weights of the step that emitted it.
 * Beam, exact and exhaustive search share prefixes through their parents instead of
 * copying token lists at every step.
 */
export interface Prefix {
  readonly parent: Prefix | null;
  readonly token: number;
  readonly tokenLogProb: number;
  /** log P(y_1..y_t | x), summed in float64. */
  readonly logProb: number;
  /** t, the number of tokens up to and including this one. */
  readonly length: number;
  /** `[S]` attention weights of the step that emitted `token`. */
  readonly weights?: Float32Array;
}

/** The child of `parent` (null for the empty prefix) that emits `token`. */
export function extend(
  parent: Prefix | null,
  token: number,
  tokenLogProb: number,
  weights?: Float32Array,
): Prefix {
  return {
    parent,
    token,
    tokenLogProb,
    logProb: (parent?.logProb ?? 0) + tokenLogProb,
    length: (parent?.length ?? 0) + 1,
    ...(weights ? { weights } : {}),
  };
}

/** The tokens of a prefix, first to last. */
export function tokensOf(prefix: Prefix | null): number[] {
  const out: number[] = [];
  for (let p = prefix; p; p = p.parent) out.push(p.token);
  return out.reverse();
}

/**
 * log P / L^α (Wu et al. 2016 use a smoothed L; the plain power is the common choice):
 * α = 0 ranks by raw log P, larger α favours longer outputs. L counts `<eos>`.
 */
export function lengthNormalised(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / length ** alpha;
}

/** A finished or length-limited prefix and the score it is ranked by. */
export interface Scored {
  readonly prefix: Prefix;
  readonly score: number;
  readonly finished: boolean;
}

/**
 * The best `n` scored prefixes seen so far, best first. Ties keep the earlier one first,
 * so a result never depends on anything but the order candidates were offered in.
 */
export class TopN {
  readonly items: Scored[] = [];

  constructor(readonly n: number) {}

  /** Whether `score` would enter the list. */
  admits(score: number): boolean {
    return this.items.length < this.n || score > this.items[this.items.length - 1]!.score;
  }

  /** The n-th best score, or −∞ while fewer than n are held. */
  get threshold(): number {
    return this.items.length < this.n ? -Infinity : this.items[this.n - 1]!.score;
  }

  offer(item: Scored): void {
    if (!this.admits(item.score)) return;
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.score < item.score) i--;
    this.items.splice(i, 0, item);
    if (this.items.length > this.n) this.items.pop();
  }
}

/** Builds the {@link Hypothesis} a scored prefix stands for. */
export function toHypothesis(item: Scored, keepAlignments: boolean): Hypothesis {
  const tokens: number[] = [];
  const tokenLogProbs: number[] = [];
  const alignment: number[][] = [];
  for (let p: Prefix | null = item.prefix; p; p = p.parent) {
    tokens.push(p.token);
    tokenLogProbs.push(p.tokenLogProb);
    if (p.weights) alignment.push(Array.from(p.weights));
  }
  return hypothesis(
    {
      tokens: tokens.reverse(),
      tokenLogProbs: tokenLogProbs.reverse(),
      alignment: alignment.reverse(),
      finished: item.finished,
    },
    keepAlignments,
    item.score,
  );
}

/** A row decoded token by token, as greedy search and sampling build it. */
export interface DecodedRow {
  readonly tokens: number[];
  readonly tokenLogProbs: number[];
  readonly alignment: number[][];
  finished: boolean;
}

/**
 * The {@link Hypothesis} of a decoded row. `score` defaults to log P; the alignment is
 * kept when asked for and recorded for every token.
 */
export function hypothesis(row: DecodedRow, keepAlignments: boolean, score?: number): Hypothesis {
  const logProb = row.tokenLogProbs.reduce((a, b) => a + b, 0);
  const aligned = keepAlignments && row.alignment.length === row.tokens.length;
  return {
    tokens: row.tokens,
    score: score ?? logProb,
    logProb,
    tokenLogProbs: row.tokenLogProbs,
    finished: row.finished,
    ...(aligned && row.tokens.length > 0 ? { alignment: row.alignment } : {}),
  };
}
