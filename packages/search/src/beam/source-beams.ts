import type { Hypothesis } from '@s2s/core';
import {
  extend,
  lengthNormalised,
  type Prefix,
  TopN,
  toHypothesis,
  tokensOf,
} from '../hypothesis/hypothesis.js';
import { bannedNgramTokens, coveragePenalty, type LengthLimits } from './constraints.js';

/** How a source decides it is done before its maximum length. */
export type EarlyStopping = 'bound' | 'n-finished' | 'never';

/** What every source of one search shares. */
export interface BeamSettings {
  /** k. */
  readonly beamSize: number;
  readonly nBest: number;
  /** α of log P / L^α. */
  readonly lengthPenalty: number;
  /** β of the coverage penalty; 0 is off. */
  readonly coveragePenalty: number;
  readonly noRepeatNgramSize: number;
  readonly earlyStopping: EarlyStopping;
  readonly vocabSize: number;
  readonly eos: number;
  /** Record each token's attention row in its prefix. */
  readonly alignments: boolean;
}

/** One live hypothesis: its prefix and the beam slot of its parent in the last step. */
export interface Beam {
  readonly prefix: Prefix | null;
  /** Slot j (row s·k + j) whose state this beam continues. */
  readonly from: number;
  /** Σ_t a_t over source positions, when the coverage penalty is on. */
  readonly coverage?: Float64Array;
}

/** One step's candidates for one source, as read back: rank r's value, flat index and log p. */
export interface Candidates {
  /** Σ log p of the candidate (float32, used only to spot masked ones). */
  readonly values: Float32Array;
  /** j·V + y: slot and token. */
  readonly indices: Float32Array;
  /** log P(y | prefix of slot j). */
  readonly tokenLogProbs: Float32Array;
  /** `[k, S]` attention of each slot, or undefined. */
  readonly weights?: Float32Array;
}

/**
 * The host side of beam search for one source: its live beams, the best finished
 * hypotheses so far and the rule that says when it is done.
 */
export class SourceBeams {
  live: Beam[] = [{ prefix: null, from: 0 }];
  done = false;
  private readonly finished: TopN;

  constructor(
    private readonly settings: BeamSettings,
    private readonly limits: LengthLimits,
    private readonly sourceLength: number,
    width: number,
  ) {
    this.finished = new TopN(settings.nBest);
    if (settings.coveragePenalty > 0)
      this.live[0] = { ...this.live[0]!, coverage: new Float64Array(width) };
  }

  /** `[slot, token]` pairs that would repeat an n-gram, for every live beam. */
  bannedTokens(): [number, number][] {
    const n = this.settings.noRepeatNgramSize;
    if (n === 0 || this.done) return [];
    return this.live.flatMap((beam, j) =>
      bannedNgramTokens(tokensOf(beam.prefix), n).map((y): [number, number] => [j, y]),
    );
  }

  /**
   * Takes step t's candidates (outputs of length L = t + 1), best first: an `<eos>` among
   * the k best finishes a hypothesis (once L reaches the minimum length), the k best others
   * become the new beams. At the maximum length the k best candidates all end.
   */
  advance(length: number, c: Candidates): void {
    const { beamSize: k, vocabSize: v, eos } = this.settings;
    const last = length >= this.limits.max;
    const next: Beam[] = [];
    for (let r = 0; r < c.values.length && next.length < k; r++) {
      if (!(c.values[r]! > -Infinity)) break; // masked or dead slots from here on
      const flat = c.indices[r]!;
      const j = Math.floor(flat / v);
      const token = flat - j * v;
      const parent = this.live[j]!;
      const isEos = token === eos;
      if (isEos && (length < this.limits.min || r >= k)) continue;
      if (last && r >= k) break;
      const weights = c.weights?.slice(
        j * (c.weights.length / k),
        (j + 1) * (c.weights.length / k),
      );
      const beam = this.child(parent, j, token, c.tokenLogProbs[r]!, weights);
      if (isEos || last) this.finish(beam, isEos);
      else next.push(beam);
    }
    if (next.length === 0 && this.finished.items.length === 0) {
      // Every continuation was banned before anything finished: end with what there is.
      for (const beam of this.live) if (beam.prefix) this.finish(beam, false);
    }
    this.live = next;
    this.done = last || next.length === 0 || this.canStop();
  }

  /** The n best hypotheses, best first. */
  result(): Hypothesis[] {
    return this.finished.items.map((item) => toHypothesis(item, this.settings.alignments));
  }

  private child(
    parent: Beam,
    from: number,
    token: number,
    tokenLogProb: number,
    weights: Float32Array | undefined,
  ): Beam {
    const prefix = extend(
      parent.prefix,
      token,
      tokenLogProb,
      this.settings.alignments ? weights : undefined,
    );
    if (!parent.coverage || !weights) return { prefix, from };
    const coverage = parent.coverage.slice();
    for (let i = 0; i < coverage.length; i++) coverage[i]! += weights[i]!;
    return { prefix, from, coverage };
  }

  private finish(beam: Beam, finished: boolean): void {
    const prefix = beam.prefix!;
    const { lengthPenalty: alpha, coveragePenalty: beta } = this.settings;
    const score =
      lengthNormalised(prefix.logProb, prefix.length, alpha) +
      (beam.coverage ? coveragePenalty(beam.coverage, this.sourceLength, beta) : 0);
    this.finished.offer({ prefix, score, finished });
  }

  /**
   * 'bound': no live beam can still beat the n-th best finished one. A live beam of log P
   * = lp ≤ 0 ends at some L ≤ max with log P ≤ lp, so its score is at most lp / max^α
   * (largest at the largest L since lp ≤ 0), and the coverage penalty is at most 0. The
   * result is then the same as searching to the maximum length.
   */
  private canStop(): boolean {
    const { earlyStopping, nBest, lengthPenalty } = this.settings;
    if (earlyStopping === 'never' || this.finished.items.length < nBest) return false;
    if (earlyStopping === 'n-finished') return true;
    const best = Math.max(...this.live.map((b) => b.prefix!.logProb));
    return this.finished.threshold >= lengthNormalised(best, this.limits.max, lengthPenalty);
  }
}
