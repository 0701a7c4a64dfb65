import { type Hypothesis, type Memory, parseOptions, type StepModel } from '@s2s/core';
import { z } from 'zod';
import { BeamSearch } from '../beam/beam.js';
import { lengthPenalty } from '../decoding/options.js';
import { ExactSearch } from '../exact/exact.js';

/** Options of {@link auditBeamSearch}. */
export interface SearchAuditOptions {
  /** T', the longest output both searches consider, `<eos>` included. */
  readonly maxLength: number;
  /** Beam widths k to audit. Default `[1, 2, 5, 10]`. */
  readonly widths?: readonly number[];
  /**
   * α of the score both searches rank by, log P / L^α. Default 0: the model's own best
   * output, argmax P(y | x). Set it to the α a deployed beam uses to audit that beam.
   */
  readonly lengthPenalty?: number;
  /** Passed to {@link ExactSearch}. Default 10^5. */
  readonly maxExpansions?: number;
  /** A beam score below the exact one by more than this (absolute) is a search error. Default 1e-4. */
  readonly tolerance?: number;
}

/** {@link SearchAuditOptions} as a zod schema, with its defaults. */
export const searchAuditOptions = z.strictObject({
  maxLength: z.int().positive().describe("T', the longest output both searches consider"),
  widths: z.array(z.int().positive()).default([1, 2, 5, 10]).describe('Beam widths k to audit'),
  lengthPenalty: lengthPenalty.default(0).describe('α of the score both searches rank by'),
  maxExpansions: z.int().positive().default(1e5).describe('Passed to ExactSearch'),
  tolerance: z
    .number()
    .nonnegative()
    .default(1e-4)
    .describe('A beam score below the exact one by more than this is a search error'),
});

/** What {@link auditBeamSearch} found. */
export interface SearchAudit {
  readonly maxLength: number;
  readonly lengthPenalty: number;
  /** One entry per input, in batch order. */
  readonly inputs: readonly InputAudit[];
  /** One entry per audited width, in the order given. */
  readonly widths: readonly WidthSummary[];
}

/** The audit of one input. */
export interface InputAudit {
  /** The true best output under the score, from exact search. */
  readonly exact: {
    readonly tokens: readonly number[];
    readonly score: number;
    readonly finished: boolean;
    /** Prefixes exact search expanded to prove it. */
    readonly expanded: number;
  };
  /** Beam search's best output at each width, in the order of `widths`. */
  readonly beams: readonly BeamOutcome[];
}

/** What beam search of one width returned for one input. */
export interface BeamOutcome {
  readonly width: number;
  readonly tokens: readonly number[];
  readonly score: number;
  /** exact score − beam score, ≥ 0 up to float error. */
  readonly gap: number;
  /** Beam missed the model's best output: its score is lower by more than the tolerance. */
  readonly searchError: boolean;
}

/** Search errors of one width over all inputs. */
export interface WidthSummary {
  readonly width: number;
  readonly searchErrors: number;
  readonly inputs: number;
  /** searchErrors / inputs. */
  readonly errorRate: number;
  /** Mean {@link BeamOutcome.gap}. */
  readonly meanGap: number;
}

/**
 * Audits beam search against exact search (Stahlberg & Byrne 2019): for each input, the
 * score of beam's best output at each width, the score of the true best output, and
 * whether beam found it. Both searches rank by the same log P / L^α over the same outputs
 * (every output that ends at its first `<eos>` within `maxLength` tokens, and every
 * `maxLength`-token output without one), with beam stopping only when no live hypothesis
 * can still win, so each miss is a search error of beam itself.
 */
export async function auditBeamSearch(
  model: StepModel,
  memory: Memory,
  options: SearchAuditOptions,
): Promise<SearchAudit> {
  const o = parseOptions('search audit', searchAuditOptions, options);
  const { maxLength, widths, lengthPenalty: alpha, tolerance } = o;
  const call = { maxLength, alignments: false };
  const exact = await new ExactSearch({
    lengthPenalty: alpha,
    maxExpansions: o.maxExpansions,
  }).searchWithStats(model, memory, call);
  const beams: Hypothesis[][][] = [];
  for (const k of widths) {
    beams.push(
      await new BeamSearch({ beamSize: k, lengthPenalty: alpha }).search(model, memory, call),
    );
  }
  const inputs: InputAudit[] = exact.hypotheses.map(([best], row) => ({
    exact: {
      tokens: best!.tokens,
      score: best!.score,
      finished: best!.finished,
      expanded: exact.expanded[row]!,
    },
    beams: widths.map((width, w) => {
      const [found] = beams[w]![row]!;
      const gap = best!.score - found!.score;
      return {
        width,
        tokens: found!.tokens,
        score: found!.score,
        gap,
        searchError: gap > tolerance,
      };
    }),
  }));
  return {
    maxLength,
    lengthPenalty: alpha,
    inputs,
    widths: widths.map((width, w) => {
      const outcomes = inputs.map((input) => input.beams[w]!);
      const searchErrors = outcomes.filter((o) => o.searchError).length;
      return {
        width,
        searchErrors,
        inputs: outcomes.length,
        errorRate: outcomes.length ? searchErrors / outcomes.length : 0,
        meanGap: outcomes.reduce((sum, o) => sum + o.gap, 0) / Math.max(1, outcomes.length),
      };
    }),
  };
}
