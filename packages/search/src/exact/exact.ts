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
import { MaxHeap } from './max-heap.js';

/** Options of {@link ExactSearch}. */
export interface ExactSearchOptions {
  /** How many hypotheses to return per source, all provably the best. Default 1. */
  readonly nBest?: number;
  /** α of the score log P / L^α (L counts `<eos>`); 0 ranks by log P. Default 0. */
  readonly lengthPenalty?: number;
  /** Give up (with a ConfigError) when one source needs more expansions. Default 10^5. */
  readonly maxExpansions?: number;
  /**
   * Frontier prefixes per source stepped in one model call. 1 is strict best-first (fewest
   * expansions); more means fewer, larger calls and possibly a few needless expansions.
   * Default 1.
   */
  readonly batchSize?: number;
}

/** What {@link ExactSearch.searchWithStats} returns. */
export interface ExactSearchResult {
  /** For each source, its best hypotheses, best first: the true optimum of the score. */
  readonly hypotheses: Hypothesis[][];
  /** For each source, the prefixes stepped through the model (the empty one included). */
  readonly expanded: readonly number[];
  /** Model calls made; each steps the chosen prefixes of all unfinished sources at once. */
  readonly calls: number;
}

/** The options `{ name: 'exact', … }` takes, with their defaults. */
export const exactSearchOptions = z.strictObject({
  nBest: nBest.describe('How many hypotheses to return per source, all provably the best'),
  lengthPenalty: lengthPenalty.default(0).describe('α of the score log P / L^α; 0 ranks by log P'),
  maxExpansions: z
    .int()
    .positive()
    .default(1e5)
    .describe('Give up when one source needs more expansions'),
  batchSize: z
    .int()
    .positive()
    .default(1)
    .describe('Frontier prefixes per source stepped in one model call; 1 is strict best-first'),
});

const owner = 'exact search';

/**
 * Finds the highest-scoring outputs over the same space as {@link ExhaustiveSearch}
 * without enumerating it: best-first search with pruning (uniform-cost search when α = 0).
 * Every log-probability is ≤ 0, so extending a prefix of log P = lp never raises it, and
 * any output that extends the prefix, of length L ≤ T', scores at most lp / L^α ≤ lp / T'^α.
 * Prefixes are expanded in order of that bound, and the search stops once no bound beats
 * the n-th best complete output found: what it returns is the optimum, proved.
 */
export class ExactSearch implements SearchStrategy {
  readonly name = 'exact';
  readonly options: Readonly<Required<ExactSearchOptions>>;

  constructor(options: ExactSearchOptions = {}) {
    this.options = parseOptions(owner, exactSearchOptions, options);
  }

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    return (await this.searchWithStats(model, memory, options)).hypotheses;
  }

  /** {@link search}, with how much work each source took. */
  async searchWithStats(
    model: StepModel,
    memory: Memory,
    options: SearchOptions,
  ): Promise<ExactSearchResult> {
    const { maxLength, alignments } = callOptions(owner, options);
    const { nBest, lengthPenalty: alpha, maxExpansions, batchSize } = this.options;
    const v = model.vocabSize;
    const b = memory.states.shape[0];
    const sources = Array.from({ length: b }, () => ({
      frontier: new MaxHeap<Node>(),
      best: new TopN(nBest),
      expanded: 0,
    }));
    const cache = prepareCache(model, memory);
    const root: Block = { state: tidyTree(() => model.initialState(cache)), pending: b };
    const blocks = new Set([root]);
    sources.forEach((s, row) => s.frontier.push(0, { prefix: null, block: root, row }));
    let calls = 0;
    try {
      for (;;) {
        const batch: (Node & { source: number })[] = [];
        sources.forEach(({ frontier, best }, source) => {
          for (let i = 0; i < batchSize && frontier.topKey > best.threshold; i++)
            batch.push({ ...frontier.pop()!, source });
        });
        if (batch.length === 0) break;
        calls++;
        // Rows grouped by the block that holds their state, so each block is gathered once.
        const order = [...blocks];
        batch.sort((x, y) => order.indexOf(x.block) - order.indexOf(y.block));
        const step = await stepPrefixes(
          model,
          cache,
          batch,
          () =>
            concatRows(
              order
                .filter((blk) => batch.some((n) => n.block === blk))
                .map((blk) => {
                  const rows = batch.filter((n) => n.block === blk).map((n) => n.row);
                  return gatherTree(blk.state, tf.tensor1d(rows, 'int32'));
                }),
            ),
          alignments,
        );
        const block: Block = { state: step.state, pending: 0 };
        blocks.add(block);
        for (const node of batch) release(node.block, blocks);
        batch.forEach(({ prefix, source }, i) => {
          const src = sources[source]!;
          if (++src.expanded > maxExpansions) {
            throw new ConfigError(
              `${owner}: source ${source} needs more than maxExpansions = ${maxExpansions} expansions to prove its optimum; raise 'maxExpansions', lower maxLength or lengthPenalty`,
            );
          }
          const length = (prefix?.length ?? 0) + 1;
          const weights = step.weights(i);
          const logProbs = step.logProbs.subarray(i * v, (i + 1) * v);
          for (let y = 0; y < v; y++) {
            const logProb = (prefix?.logProb ?? 0) + logProbs[y]!;
            if (y === model.eos || length === maxLength) {
              const score = lengthNormalised(logProb, length, alpha);
              if (src.best.admits(score)) {
                const child = extend(prefix, y, logProbs[y]!, weights);
                src.best.offer({ prefix: child, score, finished: y === model.eos });
              }
            } else {
              const bound = lengthNormalised(logProb, maxLength, alpha);
              if (bound > src.best.threshold) {
                const child = extend(prefix, y, logProbs[y]!, weights);
                src.frontier.push(bound, { prefix: child, block, row: i });
                block.pending++;
              }
            }
          }
        });
        if (block.pending === 0) release(block, blocks, 0);
      }
    } finally {
      for (const blk of blocks) disposeTree(blk.state);
      disposeTree(cache);
    }
    return {
      hypotheses: sources.map(({ best }) => best.items.map((it) => toHypothesis(it, alignments))),
      expanded: sources.map((s) => s.expanded),
      calls,
    };
  }
}

/** Decoder states made by one model call, freed once no frontier prefix needs a row of it. */
interface Block {
  readonly state: DecoderState;
  pending: number;
}

/** A frontier prefix: its tokens, and the block row holding the state that continues it. */
interface Node {
  readonly prefix: Prefix | null;
  readonly block: Block;
  readonly row: number;
}

function release(block: Block, blocks: Set<Block>, by = 1): void {
  block.pending -= by;
  if (block.pending <= 0) {
    disposeTree(block.state);
    blocks.delete(block);
  }
}

/** Registry factory: `{ name: 'exact', nBest?, lengthPenalty?, maxExpansions?, batchSize? }`. */
export function createExactSearch(options: Readonly<Record<string, unknown>>): ExactSearch {
  return new ExactSearch(options as ExactSearchOptions);
}
