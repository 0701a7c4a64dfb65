import {
  type ComponentConfig,
  deriveSeed,
  Rng,
  registry,
  type SearchStrategy,
  type Seq2Seq,
  type TaskExample,
  type TaskPipeline,
  type TaskSettings,
  type TaskSplit,
} from '@s2s/core';
import { disposeEncoded } from '../pipeline/summarization-pipeline.js';

/** A search strategy built from a task's `settings.search`, and its length limit. */
export interface ChosenSearch {
  readonly strategy: SearchStrategy;
  readonly maxLength: number;
}

/** Builds `settings.search` (`{ name, maxLength?, …options }`) through the registry. */
export function chooseSearch(search: TaskSettings['search']): ChosenSearch {
  const { maxLength = 100, ...config } = search;
  return {
    strategy: registry.create('search', config as ComponentConfig),
    maxLength: maxLength as number,
  };
}

/**
 * Decodes examples' inputs `batchSize` at a time and returns each one's best output text,
 * in order. Everything encoded is disposed.
 */
export async function decodeExamples(
  model: Seq2Seq,
  pipeline: TaskPipeline,
  search: ChosenSearch,
  examples: readonly TaskExample[],
  batchSize: number,
): Promise<string[]> {
  const outputs: string[] = [];
  for (let start = 0; start < examples.length; start += batchSize) {
    const chunk = examples.slice(start, start + batchSize);
    const encoded = pipeline.encode(chunk.map((e) => e.input));
    try {
      const results = await model.generate(
        encoded.source,
        encoded.mask,
        search.strategy,
        { maxLength: search.maxLength, alignments: false },
        encoded.inputs,
      );
      results.forEach((hypotheses, row) => {
        outputs.push(hypotheses[0] ? pipeline.decode(hypotheses[0], row, encoded).text : '');
      });
    } finally {
      disposeEncoded(encoded);
    }
  }
  return outputs;
}

/**
 * Holds out a seeded random `training.devFraction` (default 0.1) of the examples, the way
 * `s2s train` does for a task without a split of its own, so the numbers agree.
 */
export function splitDev(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit {
  const fraction = settings.training.devFraction ?? 0.1;
  const order = new Rng(deriveSeed(settings.training.seed ?? 0, 'dev-split')).shuffle([
    ...examples.keys(),
  ]);
  const held = new Set(order.slice(0, Math.round(fraction * examples.length)));
  return {
    train: examples.filter((_, i) => !held.has(i)),
    dev: examples.filter((_, i) => held.has(i)),
  };
}
