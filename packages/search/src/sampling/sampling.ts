import {
  type Hypothesis,
  type Memory,
  parseOptions,
  Rng,
  type SearchOptions,
  type SearchStrategy,
  type StepModel,
} from '@s2s/core';
import { z } from 'zod';
import { callOptions } from '../decoding/options.js';
import { decodeRowwise, type TokenPicker } from '../decoding/rowwise.js';
import { hypothesis } from '../hypothesis/hypothesis.js';

/** Options of {@link SamplingSearch}. */
export interface SamplingSearchOptions {
  /** τ: sample from softmax(log p / τ); below 1 sharpens, above 1 flattens. Default 1. */
  readonly temperature?: number;
  /** Sample only among the k most probable tokens; 0 is off. Default 0. */
  readonly topK?: number;
  /** Sample only from the smallest set of most probable tokens whose mass reaches p (nucleus); 1 is off. Default 1. */
  readonly topP?: number;
  /** Samples drawn per input. Default 1. */
  readonly samples?: number;
  /** Seeds the draws: the same seed, model and inputs give the same samples. Default 0. */
  readonly seed?: number;
}

/** The options `{ name: 'sampling', … }` takes, with their defaults. */
export const samplingSearchOptions = z.strictObject({
  temperature: z
    .number()
    .positive()
    .default(1)
    .describe('τ: sample from softmax(log p / τ); below 1 sharpens, above 1 flattens'),
  topK: z
    .int()
    .nonnegative()
    .default(0)
    .describe('Sample only among the k most probable tokens; 0 is off'),
  topP: z
    .number()
    .min(Number.EPSILON)
    .max(1)
    .default(1)
    .describe('Sample only from the nucleus of mass p; 1 is off'),
  samples: z.int().positive().default(1).describe('Samples drawn per input'),
  seed: z.int().default(0).describe('Seeds the draws'),
});

const owner = 'sampling';

/**
 * Ancestral sampling: each token is drawn from the model's distribution, tempered by τ and
 * truncated to the top k and then to the nucleus of mass p (the order of Holtzman et al.
 * 2020 and common toolkits). Draws `samples` outputs per input, all in one batch with one
 * host read per step; returned best first by log P, duplicates kept. Each hypothesis
 * reports the model's own log P(y_t | y_<t, x), not the tempered one.
 */
export class SamplingSearch implements SearchStrategy {
  readonly name = 'sampling';
  readonly options: Readonly<Required<SamplingSearchOptions>>;

  constructor(options: SamplingSearchOptions = {}) {
    this.options = parseOptions(owner, samplingSearchOptions, options);
  }

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const call = callOptions(owner, options);
    const n = this.options.samples;
    const picker = samplePicker(this.options, new Rng(this.options.seed));
    const rows = await decodeRowwise(model, memory, call, n, picker);
    return Array.from({ length: rows.length / n }, (_, s) =>
      rows
        .slice(s * n, (s + 1) * n)
        .map((row) => hypothesis(row, call.alignments))
        .sort((x, y) => y.score - x.score),
    );
  }
}

/** Reads each row's whole distribution and draws on the host, from a seeded generator. */
function samplePicker(o: Required<SamplingSearchOptions>, rng: Rng): TokenPicker {
  return {
    gather: (logProbs) => logProbs,
    pick: (logProbs) => {
      const { ids, weights } = truncated(logProbs, o);
      let total = 0;
      for (const w of weights) total += w;
      let u = rng.next() * total;
      let m = 0;
      while (m < ids.length - 1 && u >= weights[m]!) u -= weights[m++]!;
      return { token: ids[m]!, logProb: logProbs[ids[m]!]! };
    },
  };
}

/**
 * The tokens that may be drawn and their unnormalised tempered probabilities
 * exp((log p − max) / τ), most probable first when truncating (ties by id).
 */
function truncated(
  logProbs: Float32Array,
  o: Pick<Required<SamplingSearchOptions>, 'temperature' | 'topK' | 'topP'>,
): { ids: number[]; weights: number[] } {
  const v = logProbs.length;
  let ids = Array.from({ length: v }, (_, i) => i);
  if ((o.topK > 0 && o.topK < v) || o.topP < 1) {
    ids.sort((a, b) => logProbs[b]! - logProbs[a]! || a - b);
    if (o.topK > 0) ids = ids.slice(0, o.topK);
  }
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logProbs[i]!);
  const weights = ids.map((i) => Math.exp((logProbs[i]! - max) / o.temperature));
  if (o.topP < 1) {
    const total = weights.reduce((a, b) => a + b, 0);
    let mass = 0;
    let keep = 0;
    while (keep < weights.length && mass < o.topP * total) mass += weights[keep++]!;
    return { ids: ids.slice(0, keep), weights: weights.slice(0, keep) };
  }
  return { ids, weights };
}

/** Registry factory: `{ name: 'sampling', temperature?, topK?, topP?, samples?, seed? }`. */
export function createSamplingSearch(options: Readonly<Record<string, unknown>>): SamplingSearch {
  return new SamplingSearch(options as SamplingSearchOptions);
}
