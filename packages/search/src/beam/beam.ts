import {
  ConfigError,
  type DecoderCache,
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
import { assertExactIndices, expandedCache, readOnce, sourceLengths } from '../decoding/rows.js';
import { COMPACT_AT } from '../decoding/rowwise.js';
import { lengthLimits } from './constraints.js';
import { type BeamSettings, type EarlyStopping, SourceBeams } from './source-beams.js';

/** Options of {@link BeamSearch}. */
export interface BeamSearchOptions {
  /** k, the number of partial hypotheses kept per source. Default 5. */
  readonly beamSize?: number;
  /** How many hypotheses to return per source (≤ k). Default 1. */
  readonly nBest?: number;
  /** α of the final ranking log P / L^α (L counts `<eos>`); 0 ranks by log P. Default 0.75. */
  readonly lengthPenalty?: number;
  /** Shortest output, `<eos>` included: `<eos>` is not taken earlier. Default 1. */
  readonly minLength?: number;
  /** Shortest output as a multiple of the source's real length; 0 is off. Default 0. */
  readonly minLengthRatio?: number;
  /** Longest output as a multiple of the source's real length, also capped by `maxLength`; 0 is off. Default 0. */
  readonly maxLengthRatio?: number;
  /** Never repeat an n-gram of this size within a hypothesis; 0 is off. Default 0. */
  readonly noRepeatNgramSize?: number;
  /** β of the coverage penalty of Wu et al. (2016) added to the final score; 0 is off. Default 0. */
  readonly coveragePenalty?: number;
  /** When a source stops before its maximum length; see the README. Default `'bound'`. */
  readonly earlyStopping?: EarlyStopping;
}

const ratio = z.number().min(0).max(1000).default(0);

/** The options `{ name: 'beam', … }` takes, with their defaults; `nBest` ≤ `beamSize`. */
export const beamSearchOptions = z
  .strictObject({
    beamSize: z
      .int()
      .positive()
      .default(5)
      .describe('k, the number of partial hypotheses kept per source'),
    nBest: nBest.describe('How many hypotheses to return per source (at most beamSize)'),
    lengthPenalty: lengthPenalty
      .default(0.75)
      .describe('α of the final ranking log P / L^α; 0 ranks by log P'),
    minLength: z.int().positive().default(1).describe('Shortest output, `<eos>` included'),
    minLengthRatio: ratio.describe(
      "Shortest output as a multiple of the source's length; 0 is off",
    ),
    maxLengthRatio: ratio.describe("Longest output as a multiple of the source's length; 0 is off"),
    noRepeatNgramSize: z
      .int()
      .nonnegative()
      .default(0)
      .describe('Never repeat an n-gram of this size within a hypothesis; 0 is off'),
    coveragePenalty: ratio.describe('β of the coverage penalty of Wu et al. (2016); 0 is off'),
    earlyStopping: z
      .enum(['bound', 'n-finished', 'never'])
      .default('bound')
      .describe('When a source stops before its maximum length'),
  })
  .superRefine((o, ctx) => {
    if (o.nBest > o.beamSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['nBest'],
        message: `nBest must be at most beamSize (${o.beamSize})`,
      });
    }
  });

const owner = 'beam search';

/**
 * Beam search over B sources × k beams in one tensor. At each step it keeps, per source,
 * the k best partial outputs by total log P; an `<eos>` among the k best candidates ends a
 * hypothesis (nothing is ever appended after it), and finished hypotheses are ranked by
 * log P / L^α. One host read per step. The model's cache is expanded to B×k once and
 * never reordered; decoder state is reordered only by `gatherTree` on axis 0, so any
 * decoder works unchanged.
 */
export class BeamSearch implements SearchStrategy {
  readonly name = 'beam';
  readonly options: Readonly<Required<BeamSearchOptions>>;

  constructor(options: BeamSearchOptions = {}) {
    this.options = parseOptions(owner, beamSearchOptions, options);
  }

  async search(model: StepModel, memory: Memory, options: SearchOptions): Promise<Hypothesis[][]> {
    const call = callOptions(owner, options);
    const o = this.options;
    const k = o.beamSize;
    const v = model.vocabSize;
    assertExactIndices(owner, k * v);
    const settings: BeamSettings = {
      ...o,
      vocabSize: v,
      eos: model.eos,
      alignments: call.alignments,
    };
    const [b, width] = memory.mask.shape;
    const needLengths = o.minLengthRatio > 0 || o.maxLengthRatio > 0 || o.coveragePenalty > 0;
    const lengths = needLengths ? await sourceLengths(memory) : Array<number>(b).fill(width);
    const sources = lengths.map(
      (len) => new SourceBeams(settings, lengthLimits(o, call.maxLength, len), len, width),
    );
    const needWeights = call.alignments || o.coveragePenalty > 0;
    // held[p]: the source whose k rows start at row p·k of every batch-major tensor.
    let held = [...sources.keys()];
    let cache: DecoderCache = expandedCache(model, memory, k);
    let state: DecoderState = tidyTree(() => model.initialState(cache));
    try {
      for (let t = 0; ; t++) {
        const n = held.length * k;
        const bans = held.flatMap((s, p) =>
          sources[s]!.bannedTokens().flatMap(([j, y]) => [p * k + j, y]),
        );
        const step = tidyTree(() => {
          const r = model.step(
            tf.tensor1d(this.inputs(held, sources, model.bos), 'int32'),
            state,
            cache,
          );
          if (o.coveragePenalty > 0 && !r.weights)
            throw new ConfigError(
              `${owner}: coveragePenalty needs a decoder that returns attention weights`,
            );
          // [N, V] total log P of every one-token extension; dead slots and bans are −∞.
          let total = tf.add(r.logProbs, tf.tensor2d(this.scores(held, sources), [n, 1]));
          if (bans.length > 0) {
            const at = tf.tensor2d(bans, [bans.length / 2, 2], 'int32');
            total = tf.add(total, tf.scatterND(at, tf.fill([bans.length / 2], -Infinity), [n, v]));
          }
          const c = Math.min(2 * k, k * v); // ≥ k non-<eos> among them: each slot has one <eos>
          const top = tf.topk(total.reshape([held.length, k * v]), c);
          const rowStart = tf.range(0, held.length * k * v, k * v, 'int32').expandDims(1);
          const flat = tf.add(top.indices, rowStart).reshape([-1]);
          const tokenLogProbs = tf.gather(r.logProbs.reshape([-1]), flat);
          const parts = [top.values, top.indices, tokenLogProbs];
          if (needWeights && r.weights) parts.push(r.weights);
          return { state: r.state, parts };
        });
        disposeTree(state);
        state = step.state;
        const data = await readOnce(step.parts);
        disposeTree(step.parts);
        const c = step.parts[0]!.shape[1]!;
        const a = held.length * c;
        const s = needWeights ? (data.length - 3 * a) / n : 0;
        held.forEach((source, p) => {
          if (sources[source]!.done) return;
          const range = (offset: number) => data.subarray(offset + p * c, offset + (p + 1) * c);
          const w = p * k * s;
          sources[source]!.advance(t + 1, {
            values: range(0),
            indices: range(a),
            tokenLogProbs: range(2 * a),
            ...(s > 0 ? { weights: data.subarray(3 * a + w, 3 * a + w + k * s) } : {}),
          });
        });
        const live = held.flatMap((s, p) => (sources[s]!.done ? [] : [p]));
        if (live.length === 0) break;
        // Reorder: row p·k + j of the next step continues slot `from` of the same source.
        const keep = live.length <= COMPACT_AT * held.length ? live : held.map((_, p) => p);
        const rows = keep.flatMap((p) =>
          Array.from({ length: k }, (_, j) => p * k + (sources[held[p]!]!.live[j]?.from ?? 0)),
        );
        state = this.gather(state, rows);
        if (keep.length < held.length) {
          cache = this.gather(
            cache,
            keep.flatMap((p) => Array.from({ length: k }, (_, j) => p * k + j)),
          );
        }
        held = keep.map((p) => held[p]!);
      }
    } finally {
      disposeTree([cache, state]);
    }
    return sources.map((source) => source.result());
  }

  /** Gathers rows of a tree and disposes the old one. */
  private gather<T>(tree: T, rows: number[]): T {
    const index = tf.tensor1d(rows, 'int32');
    const out = gatherTree(tree, index);
    index.dispose();
    disposeTree(tree);
    return out;
  }

  /** `[N]` previous tokens: each live beam's last token, `<bos>` before the first step and in dead slots. */
  private inputs(
    held: readonly number[],
    sources: readonly SourceBeams[],
    bos: number,
  ): Int32Array {
    const k = this.options.beamSize;
    const out = new Int32Array(held.length * k).fill(bos);
    held.forEach((s, p) =>
      sources[s]!.live.forEach((beam, j) => {
        if (beam.prefix) out[p * k + j] = beam.prefix.token;
      }),
    );
    return out;
  }

  /** `[N]` log P of each live beam, −∞ in dead slots (and in sources that are done). */
  private scores(held: readonly number[], sources: readonly SourceBeams[]): Float32Array {
    const k = this.options.beamSize;
    const out = new Float32Array(held.length * k).fill(-Infinity);
    held.forEach((s, p) => {
      if (sources[s]!.done) return;
      sources[s]!.live.forEach((beam, j) => {
        out[p * k + j] = beam.prefix?.logProb ?? 0;
      });
    });
    return out;
  }
}

/** Registry factory: `{ name: 'beam', beamSize?, nBest?, lengthPenalty?, … }`. */
export function createBeamSearch(options: BeamSearchOptions): BeamSearch {
  return new BeamSearch(options);
}
