import {
  ConfigError,
  type DecoderState,
  disposeTree,
  gatherTree,
  type Hypothesis,
  type Memory,
  parseOptions,
  type SearchOptions,
  type SearchStrategy,
  type StepModel,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { callOptions, lengthPenalty, nBest } from '../decoding/options.js';
import { stepPrefixes } from '../decoding/prefix-step.js';
import { concatRows, prepareCache } from '../decoding/rows.js';
import {
  extend,
  lengthNormalised,
  type Prefix,
  TopN,
  toHypothesis,
} from '../hypothesis/hypothesis.js';

/** Options of {@link ExhaustiveSearch}. */
export interface ExhaustiveSearchOptions {
  /** How many hypotheses to return per source. Default 1. */
  readonly nBest?: number;
  /** α of the score log P / L^α (L counts `<eos>`); 0 ranks by log P. Default 0. */
  readonly lengthPenalty?: number;
  /** Refuse when |Y|^T' exceeds this. Default 10^6. */
  readonly limit?: number;
  /** Most prefixes stepped in one model call. Default 4096. */
  readonly batchSize?: number;
}

/** The options `{ name: 'exhaustive', … }` takes, with their defaults. */
export const exhaustiveSearchOptions = z.strictObject({
  nBest,
  lengthPenalty: lengthPenalty.default(0).describe('α of the score log P / L^α; 0 ranks by log P'),
  limit: z
    .number()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(1e6)
    .describe("Refuse when |Y|^T' exceeds this"),
  batchSize: z.int().positive().default(4096).describe('Most prefixes stepped in one model call'),
});

const owner = 'exhaustive search';

/**
 * Scores every output up to T' = `maxLength` tokens: each sequence that ends at its first
 * `<eos>` within T' tokens, and each T'-token sequence without one (`finished: false`),
 * ranked by log P / L^α. Prefixes are stepped level by level, batched over all sources
 * and prefixes. The reference other strategies are tested against; refuses when |Y|^T'
 * exceeds `limit`.
 */
export class ExhaustiveSearch implements SearchStrategy {
  readonly name = 'exhaustive';
  readonly options: Readonly<Required<ExhaustiveSearchOptions>>;

  constructor(options: ExhaustiveSearchOptions = {}) {
    this.options = parseOptions(owner, exhaustiveSearchOptions, options);
  }

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const { maxLength, alignments } = callOptions(owner, options);
    const { nBest, lengthPenalty: alpha, limit, batchSize } = this.options;
    const v = model.vocabSize;
    const count = v ** maxLength;
    if (count > limit) {
      throw new ConfigError(
        `${owner}: |Y|^T' = ${v}^${maxLength} = ${Number.isSafeInteger(count) ? count : count.toExponential(3)} sequences exceed its limit of ${limit}; lower maxLength or raise 'limit'`,
      );
    }
    const b = memory.states.shape[0];
    const best = Array.from({ length: b }, () => new TopN(nBest));
    // The prefixes of the current length, all sources together, and the row of the level
    // state each continues (its parent's output state).
    let level: { source: number; prefix: Prefix | null; row: number }[] = [...best.keys()].map(
      (source) => ({ source, prefix: null, row: source }),
    );
    const cache = prepareCache(model, memory);
    let state: DecoderState = tidyTree(() => model.initialState(cache));
    try {
      for (let length = 1; length <= maxLength && level.length > 0; length++) {
        const next: typeof level = [];
        const states: DecoderState[] = [];
        for (let start = 0; start < level.length; start += batchSize) {
          const chunk = level.slice(start, start + batchSize);
          const step = await stepPrefixes(
            model,
            cache,
            chunk,
            () =>
              gatherTree(
                state,
                tf.tensor1d(
                  chunk.map((p) => p.row),
                  'int32',
                ),
              ),
            alignments,
          );
          states.push(step.state);
          chunk.forEach(({ source, prefix }, i) => {
            const weights = step.weights(i);
            for (let y = 0; y < v; y++) {
              const child = extend(prefix, y, step.logProbs[i * v + y]!, weights);
              if (y === model.eos || length === maxLength) {
                const score = lengthNormalised(child.logProb, length, alpha);
                best[source]!.offer({ prefix: child, score, finished: y === model.eos });
              } else {
                next.push({ source, prefix: child, row: start + i });
              }
            }
          });
        }
        disposeTree(state);
        state = tidyTree(() => concatRows(states));
        disposeTree(states);
        level = next;
      }
    } finally {
      disposeTree([cache, state]);
    }
    return best.map((top) => top.items.map((item) => toHypothesis(item, alignments)));
  }
}

/** Registry factory: `{ name: 'exhaustive', nBest?, lengthPenalty?, limit?, batchSize? }`. */
export function createExhaustiveSearch(
  options: Readonly<Record<string, unknown>>,
): ExhaustiveSearch {
  return new ExhaustiveSearch(options as ExhaustiveSearchOptions);
}
