import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import { parseOptions } from '../errors/options.js';
import { type Batch, type BatchSpecials, makeBatch } from '../model/batch.js';
import { deriveSeed, Rng } from '../module/seed.js';
import type { BatchSource } from './batch-source.js';

/*
 * A minimal BatchSource for core's own tests, which cannot depend on @s2s/data. It is not
 * exported: applications use @s2s/data's BucketBatchSource (length bucketing, token
 * budgets, feature sources), of which this is the unbucketed special case.
 */

/** One training pair of token ids, without `<bos>`/`<eos>` (the batch adds them). */
export interface Example {
  readonly source: readonly number[];
  readonly target: readonly number[];
}

/** Options of {@link ArrayBatchSource}. */
export interface ArrayBatchSourceOptions {
  readonly batchSize: number;
  readonly specials: BatchSpecials;
  /** Reshuffle the examples every epoch. Default true. */
  readonly shuffle?: boolean;
  /** Seeds the shuffles: epoch i is shuffled by a generator derived from (seed, i). Default 0. */
  readonly seed?: number;
}

const id = z.int().nonnegative();

/** {@link ArrayBatchSourceOptions} as a zod schema, with its defaults. */
const arrayBatchSourceOptions = z.strictObject({
  batchSize: z.int().positive(),
  specials: z.looseObject({ pad: id, bos: id, eos: id }),
  shuffle: z.boolean().default(true),
  seed: z.int().default(0),
});

/**
 * A {@link BatchSource} over examples held in memory: each epoch shuffles them (as a pure
 * function of the seed and the epoch) and cuts them into padded batches, the last one
 * possibly smaller. Batches are built lazily, one at a time.
 */
export class ArrayBatchSource implements BatchSource {
  readonly length: number;
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private readonly specials: BatchSpecials;

  constructor(
    private readonly examples: readonly Example[],
    options: ArrayBatchSourceOptions,
  ) {
    const o = parseOptions('ArrayBatchSource', arrayBatchSourceOptions, options);
    if (examples.length === 0) throw new ConfigError('ArrayBatchSource: no examples');
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.seed = o.seed;
    this.specials = options.specials;
    this.length = Math.ceil(examples.length / this.batchSize);
  }

  *epoch(index: number): Iterable<Batch> {
    const order = [...this.examples.keys()];
    if (this.shuffle) new Rng(deriveSeed(this.seed, `epoch ${index}`)).shuffle(order);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const chosen = order.slice(start, start + this.batchSize).map((i) => this.examples[i]!);
      yield makeBatch(
        chosen.map((e) => e.source),
        chosen.map((e) => e.target),
        this.specials,
      );
    }
  }
}
