import {
  Seq2Seq,
  type TaskExample,
  TaskModel,
  type TaskScores,
  type TaskSettings,
  Trainer,
  type TrainerOptions,
} from '@s2s/core';
import { nodeReadOptions } from '@s2s/data/node';
import { comprehensionTask } from '../task/comprehension-task.js';

/** What {@link runBabiBenchmark} is given. */
export interface BenchmarkOptions {
  /** A bAbI folder (or one task file). */
  readonly data: string;
  readonly settings: TaskSettings;
  /** Where progress lines go. */
  readonly log: (line: string) => void;
  /** Stop after this many epochs without a better dev accuracy. Default: never. */
  readonly patience?: number;
}

/** What {@link runBabiBenchmark} measured. */
export interface BenchmarkResult {
  /** Dev scores of the best epoch's weights (accuracy, task_N, mean, passed). */
  readonly dev: TaskScores;
  readonly trainExamples: number;
  readonly devExamples: number;
  readonly epochs: number;
  readonly bestEpoch: number;
  /** Wall-clock seconds spent training (validation included). */
  readonly seconds: number;
  readonly parameters: number;
}

const loopKeys = ['epochs', 'batchSize', 'maxTokens', 'devFraction', 'seed', 'patience'];

/**
 * Trains the comprehension task on bAbI the way `s2s train comprehension` does (the task's
 * reader, story split, pipeline and model recipe), validating by dev accuracy after every
 * epoch and keeping the best epoch's weights, then scores the dev set per task.
 */
export async function runBabiBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { settings, log } = options;
  const task = comprehensionTask;
  const examples: TaskExample[] = [];
  for await (const example of task.read(options.data, settings, nodeReadOptions))
    examples.push(example);
  const split = task.split!(examples, settings);
  const pipeline = await task.fit(split.train, settings);
  const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
  const t = settings.training;
  // As `s2s train` does: the loop's own keys stay here, every other one goes to the Trainer.
  const trainerOptions: Record<string, unknown> = { seed: t.seed ?? 0 };
  for (const [key, value] of Object.entries(t))
    if (!loopKeys.includes(key)) trainerOptions[key] = value;
  const trainer = new Trainer(model, trainerOptions as TrainerOptions);
  const batching = { batchSize: t.batchSize ?? 32, seed: t.seed ?? 0 };
  const train = pipeline.batches(split.train, { ...batching, shuffle: true });
  const batchesPerEpoch = train.length ?? 0;
  // The task's own default search (greedy): dev accuracy as `s2s eval` would measure it.
  const taskModel = new TaskModel({ model, task, settings, pipeline });
  const score = () => taskModel.evaluate(split.dev, { batchSize: 256 });
  log(
    `comprehension: ${split.train.length} training and ${split.dev.length} dev questions, ${count(model)} parameters, ${batchesPerEpoch} batches an epoch`,
  );
  const started = Date.now();
  let epochStart = started;
  let last: TaskScores | undefined;
  try {
    const result = await trainer.fit(train, {
      epochs: t.epochs ?? 30,
      metric: {
        name: 'dev accuracy',
        // `m` is `model`, which taskModel holds.
        evaluate: async () => {
          last = await score();
          return last.scores.accuracy!;
        },
      },
      monitor: 'metric',
      earlyStopping: { patience: options.patience ?? (t.patience as number | undefined) ?? 1e6 },
      onEpoch: (e) => {
        const now = Date.now();
        log(
          `epoch ${e.epoch + 1}: train loss ${e.trainLoss?.toFixed(4)}, dev accuracy ${e.validation?.metric?.toFixed(2)}%${e.improved ? ' (best)' : ''}, ${((now - epochStart) / 1000).toFixed(0)} s`,
        );
        epochStart = now;
        const perTask = Object.entries(last?.scores ?? {})
          .filter(([k]) => k.startsWith('task_'))
          .map(([k, v]) => `${k.slice(5)}:${Math.round(v)}`);
        if (perTask.length > 1) log(`  per task ${perTask.join(' ')}`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    const dev = await score();
    return {
      dev,
      trainExamples: split.train.length,
      devExamples: split.dev.length,
      epochs: result.progress.epoch,
      bestEpoch: (result.best?.epoch ?? 0) + 1,
      seconds,
      parameters: count(model),
    };
  } finally {
    trainer.dispose();
    taskModel.dispose();
  }
}

function count(model: Seq2Seq): number {
  let n = 0;
  for (const v of model.parameters().values()) n += v.size;
  return n;
}
