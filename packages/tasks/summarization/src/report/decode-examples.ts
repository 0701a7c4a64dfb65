import {
  type ComponentConfig,
  randomSplit,
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
 * Holds out a seeded random `training.devFraction` (default 0.1) of the examples with
 * core's `randomSplit`, as `s2s train` does for a task without a split of its own, so the
 * baselines are scored on the articles training held out.
 */
export function splitDev(examples: readonly TaskExample[], settings: TaskSettings): TaskSplit {
  return randomSplit(examples, settings.training.devFraction ?? 0.1, settings.training.seed ?? 0);
}
