import {
  type Batch,
  type BatchOptions,
  type BatchSource,
  makeBatch,
  type Vocabulary,
} from '@s2s/core';
import { BucketBatchSource } from '@s2s/data';
import { EXTENDED_IDS, extendSource, extendTarget } from '@s2s/decoders';
import * as tf from '@tensorflow/tfjs';

/** An example as tokens, before ids. */
export interface TokenizedExample {
  readonly source: readonly string[];
  readonly target: readonly string[];
}

interface Ids {
  readonly source: number[];
  readonly target: number[];
  /** Source ids in the extended vocabulary, with a copy mechanism. */
  readonly extended?: number[];
}

/**
 * Training batches for summarization, in `BucketBatchSource`'s seeded, length-bucketed
 * order. With a copy mechanism (`maxOovs` > 0) each batch also carries the sources'
 * extended-vocabulary ids as `inputs.extendedIds`, and target words outside the vocabulary
 * that their article holds get their copy ids V + i; without one they are `<unk>`.
 */
export class CopyBatchSource implements BatchSource {
  private readonly examples: readonly Ids[];
  private readonly order: BucketBatchSource;

  constructor(
    examples: readonly TokenizedExample[],
    private readonly vocabulary: Vocabulary,
    maxOovs: number,
    options: BatchOptions,
  ) {
    this.examples = examples.map((e) => {
      const source = vocabulary.encode(e.source);
      if (maxOovs === 0) return { source, target: vocabulary.encode(e.target) };
      const extended = extendSource(e.source, vocabulary, maxOovs);
      return {
        source,
        target: extendTarget(e.target, vocabulary, extended.oovs),
        extended: extended.ids,
      };
    });
    this.order = new BucketBatchSource(this.examples, {
      specials: vocabulary,
      seed: options.seed,
      batchSize: options.batchSize,
      shuffle: options.shuffle,
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    });
  }

  get length(): number | undefined {
    return this.order.length;
  }

  *epoch(index: number): Generator<Batch> {
    for (const rows of this.order.plan(index)) {
      const chosen = rows.map((i) => this.examples[i]!);
      const batch = makeBatch(
        chosen.map((e) => e.source),
        chosen.map((e) => e.target),
        this.vocabulary,
      );
      if (!chosen[0]!.extended) {
        yield batch;
        continue;
      }
      const width = batch.source.shape[1]!;
      const ids = new Int32Array(chosen.length * width).fill(this.vocabulary.pad);
      chosen.forEach((e, r) => ids.set(e.extended!, r * width));
      yield {
        ...batch,
        inputs: { [EXTENDED_IDS]: tf.tensor2d(ids, [chosen.length, width], 'int32') },
      };
    }
  }
}
