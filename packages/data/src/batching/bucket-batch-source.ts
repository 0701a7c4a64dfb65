import {
  type Batch,
  type BatchSource,
  type BatchSpecials,
  ConfigError,
  deriveSeed,
  makeBatch,
  parseOptions,
  Rng,
} from '@s2s/core';
import { z } from 'zod';
import type { Features } from '../audio/features.js';
import { DataError } from '../errors/data-error.js';
import { makeFeatureBatch } from './feature-batch.js';

/** One training pair: source token ids (or feature frames, for speech) and target ids. */
export interface Example {
  readonly source: readonly number[] | Features;
  /** Target ids without `<bos>`/`<eos>`; the batch adds them. */
  readonly target: readonly number[];
}

/** Options of {@link BucketBatchSource}. */
export interface BucketBatchSourceOptions {
  /** Ids of `<pad>`, `<bos>`, `<eos>` (a core `Vocabulary` has them). */
  readonly specials: BatchSpecials;
  /** Seeds the order of every epoch. Default 0. */
  readonly seed?: number;
  /** At most this many examples per batch. Default 32. */
  readonly batchSize?: number;
  /** At most this many padded positions per batch, B × max(S, T + 1). Default: no limit. */
  readonly maxTokens?: number;
  /** Group examples of similar length, to cut padding. Default true. */
  readonly bucketing?: boolean;
  /** Examples sorted by length together; smaller pools mix lengths more. Default: all. */
  readonly poolSize?: number;
  /** Shuffle examples and batches each epoch. Default true. */
  readonly shuffle?: boolean;
  /**
   * Transforms feature sources each epoch, e.g. SpecAugment: called with a seed derived from
   * (seed, epoch, example), so an epoch replays exactly. Token sources are left alone.
   */
  readonly augment?: (features: Features, seed: number) => Features;
}

const id = z.int().nonnegative();

/** The options of {@link BucketBatchSource}, with their defaults. */
export const bucketBatchSourceOptions = z.strictObject({
  specials: z
    .looseObject({ pad: id, bos: id, eos: id })
    .describe('Ids of <pad>, <bos>, <eos> (a core Vocabulary has them)'),
  seed: z.int().default(0).describe('Seeds the order of every epoch'),
  batchSize: z.int().positive().default(32).describe('At most this many examples per batch'),
  maxTokens: z
    .int()
    .positive()
    .optional()
    .describe('At most this many padded positions per batch, B × max(S, T + 1). Default: no limit'),
  bucketing: z.boolean().default(true).describe('Group examples of similar length, to cut padding'),
  poolSize: z
    .int()
    .positive()
    .optional()
    .describe('Examples sorted by length together; smaller pools mix lengths more. Default: all'),
  shuffle: z.boolean().default(true).describe('Shuffle examples and batches each epoch'),
  augment: z
    .custom<(features: Features, seed: number) => Features>(
      (value) => typeof value === 'function',
      'expected a function (features, seed) => features',
    )
    .optional()
    .describe('Transforms feature sources each epoch (SpecAugment), seeded per example'),
});

/**
 * Batches in-memory examples for training (core's `BatchSource`). Each epoch: shuffle the
 * examples with a generator seeded by (seed, epoch); sort each pool of `poolSize` by
 * source then target length (a stable sort, so ties keep the shuffled order); cut into
 * batches greedily under `batchSize` and `maxTokens`; shuffle the batches. An epoch's
 * batches are a pure function of the seed and the epoch number, so training resumes
 * exactly at (epoch, batch).
 */
export class BucketBatchSource implements BatchSource {
  private readonly examples: readonly Example[];
  private readonly specials: BatchSpecials;
  private readonly seed: number;
  private readonly batchSize: number;
  private readonly maxTokens: number;
  private readonly bucketing: boolean;
  private readonly poolSize: number;
  private readonly shuffle: boolean;
  private readonly augment: ((features: Features, seed: number) => Features) | undefined;
  private cachedLength: number | undefined;

  constructor(examples: readonly Example[], options: BucketBatchSourceOptions) {
    const owner = 'BucketBatchSource';
    const o = parseOptions(owner, bucketBatchSourceOptions, options);
    if (examples.length === 0) throw new DataError({ file: 'examples' }, 'no examples to batch');
    this.specials = { pad: o.specials.pad, bos: o.specials.bos, eos: o.specials.eos };
    this.seed = o.seed;
    this.batchSize = o.batchSize;
    this.maxTokens = o.maxTokens ?? Infinity;
    this.poolSize = o.poolSize ?? Infinity;
    this.bucketing = o.bucketing;
    this.shuffle = o.shuffle;
    this.augment = o.augment;
    const features = !Array.isArray(examples[0]!.source);
    examples.forEach((example, i) => {
      const where = { file: 'examples' };
      if (Array.isArray(example.source) === features) {
        throw new DataError(where, `example ${i} mixes token and feature sources`);
      }
      if (sourceLength(example) === 0)
        throw new DataError(where, `example ${i} has an empty source`);
      if (example.target.length === 0)
        throw new DataError(where, `example ${i} has an empty target`);
      if (cost(example) > this.maxTokens) {
        throw new ConfigError(
          `${owner}: example ${i} needs ${cost(example)} padded positions, more than maxTokens ${this.maxTokens}; raise maxTokens or drop long examples`,
        );
      }
    });
    this.examples = examples;
  }

  /** Batches per epoch, where every epoch has the same count (see {@link BucketBatchSource.plan}). */
  get length(): number | undefined {
    const fixed =
      !this.shuffle ||
      this.maxTokens === Infinity ||
      (this.bucketing && this.poolSize >= this.examples.length);
    if (!fixed) return undefined;
    this.cachedLength ??= this.plan(0).length;
    return this.cachedLength;
  }

  /** The example indices of each batch of epoch `index`, in order. */
  plan(index: number): number[][] {
    const rng = new Rng(this.epochSeed(index));
    const order = this.examples.map((_, i) => i);
    if (this.shuffle) rng.shuffle(order);
    if (this.bucketing) {
      const byLength = (a: number, b: number) =>
        sourceLength(this.examples[a]!) - sourceLength(this.examples[b]!) ||
        this.examples[a]!.target.length - this.examples[b]!.target.length;
      for (let start = 0; start < order.length; start += this.poolSize) {
        const end = Math.min(order.length, start + this.poolSize);
        // Written back one by one: spreading a pool into `splice` overflows the call stack
        // once a pool (by default, the whole data set) holds ~125k examples.
        const pool = order.slice(start, end).sort(byLength);
        for (let k = 0; k < pool.length; k++) order[start + k] = pool[k]!;
      }
    }
    const batches: number[][] = [];
    let batch: number[] = [];
    let widest = 0;
    for (const i of order) {
      const w = Math.max(widest, cost(this.examples[i]!));
      if (
        batch.length > 0 &&
        (batch.length === this.batchSize || (batch.length + 1) * w > this.maxTokens)
      ) {
        batches.push(batch);
        batch = [];
        widest = 0;
      }
      batch.push(i);
      widest = Math.max(widest, cost(this.examples[i]!));
    }
    batches.push(batch);
    if (this.shuffle) rng.shuffle(batches);
    return batches;
  }

  *epoch(index: number): Generator<Batch> {
    const seed = this.epochSeed(index);
    for (const rows of this.plan(index)) {
      const examples = rows.map((i) => this.examples[i]!);
      const targets = examples.map((e) => e.target);
      if (Array.isArray(examples[0]!.source)) {
        yield makeBatch(
          examples.map((e) => e.source as readonly number[]),
          targets,
          this.specials,
        );
      } else {
        const sources = rows.map((i) => {
          const features = this.examples[i]!.source as Features;
          return this.augment ? this.augment(features, deriveSeed(seed, `example ${i}`)) : features;
        });
        yield makeFeatureBatch(sources, targets, this.specials);
      }
    }
  }

  private epochSeed(index: number): number {
    if (!Number.isInteger(index) || index < 0) {
      throw new ConfigError(
        `BucketBatchSource: epoch must be a non-negative integer, got ${index}`,
      );
    }
    return deriveSeed(this.seed, `epoch ${index}`);
  }
}

function sourceLength(example: Example): number {
  const source = example.source;
  return Array.isArray(source) ? source.length : (source as Features).frames;
}

/** Padded positions one example needs: the longer of its source and its framed target. */
function cost(example: Example): number {
  return Math.max(sourceLength(example), example.target.length + 1);
}
