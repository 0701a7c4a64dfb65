import type {
  Seq2Seq,
  TaskExample,
  TaskPipeline,
  TaskScores,
  TaskSettings,
  ValidationMetric,
} from '@s2s/core';
import type { ReplicaPool } from '@s2s/core/parallel';
import { decodeInputs } from '../decode/decode-inputs.js';
import { decodeAll } from '../eval/eval-command.js';
import { chooseSearch } from '../search/search-flags.js';

/** A validation metric for `Trainer.fit`, and every score of its latest evaluation. */
export interface TaskMetric {
  readonly metric: ValidationMetric;
  /** The scores of the latest evaluation, for the log and the progress line. */
  last(): TaskScores | undefined;
}

/**
 * The task's own metric on the dev set (its `primary` score, higher is better): the dev
 * inputs decoded with the task's default search and scored by the pipeline. `workers`,
 * when it gives a pool, decodes across it (its replicas are sent the model's weights first).
 */
export function taskMetric(
  dev: readonly TaskExample[],
  settings: TaskSettings,
  pipeline: TaskPipeline,
  batchSize: number,
  workers: () => Promise<ReplicaPool | undefined> = async () => undefined,
): TaskMetric {
  const search = chooseSearch(settings.search, {});
  let last: TaskScores | undefined;
  return {
    last: () => last,
    metric: {
      name: 'task metric',
      goal: 'max',
      evaluate: async (model: Seq2Seq) => {
        const pool = await workers();
        if (pool) await pool.syncWeights();
        const searcher = pool && pool.model === model ? pool : model;
        const outputs = await decodeAll(dev, batchSize, (inputs) =>
          decodeInputs(searcher, pipeline, search, inputs, { alignments: false }),
        );
        last = pipeline.evaluate(outputs, dev);
        return last.scores[last.primary] ?? Number.NaN;
      },
    },
  };
}
