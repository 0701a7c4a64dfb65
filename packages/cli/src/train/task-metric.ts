import {
  type Seq2Seq,
  type Task,
  type TaskExample,
  TaskModel,
  type TaskPipeline,
  type TaskScores,
  type TaskSettings,
  type ValidationMetric,
} from '@s2s/core';

/** A validation metric for `Trainer.fit`, and every score of its latest evaluation. */
export interface TaskMetric {
  readonly metric: ValidationMetric;
  /** The scores of the latest evaluation, for the log and the progress line. */
  last(): TaskScores | undefined;
}

/**
 * The task's own metric on the dev set (its `primary` score, higher is better): the model
 * in training, seen as a {@link TaskModel}, scored on the dev examples with the task's
 * default search.
 */
export function taskMetric(
  dev: readonly TaskExample[],
  task: Task,
  settings: TaskSettings,
  pipeline: TaskPipeline,
  batchSize: number,
): TaskMetric {
  let last: TaskScores | undefined;
  return {
    last: () => last,
    metric: {
      name: 'task metric',
      goal: 'max',
      evaluate: async (model: Seq2Seq) => {
        // Not disposed: the weights belong to the trainer.
        const taskModel = new TaskModel({ model, task, settings, pipeline });
        last = await taskModel.evaluate(dev, { batchSize });
        return last.scores[last.primary] ?? Number.NaN;
      },
    },
  };
}
