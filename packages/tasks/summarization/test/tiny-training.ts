/**
 * Tiny models trained for a few hundred steps on generated sequences, for the tests that
 * must show learned behaviour (copying unseen words, coverage) in seconds.
 */
import {
  disposeBatch,
  type ModelRecipe,
  type Rng,
  Seq2Seq,
  type TaskExample,
  TaskModel,
  Trainer,
} from '@s2s/core';
import { SummarizationPipeline } from '../src/pipeline/summarization-pipeline.js';
import { dataSettings } from '../src/task/data-settings.js';
import { summarizationTask, summaryPreset } from '../src/task/summarization-task.js';
import '../src/register.js';

/** A tiny pointer-generator recipe; `coverage` turns on coverage attention and its loss. */
export function tinyRecipe(coverage: boolean): ModelRecipe {
  return {
    seed: 7,
    encoder: { name: 'lstm', embeddingSize: 16, hiddenSize: 32 },
    decoder: {
      name: 'pointer-generator',
      embeddingSize: 16,
      hiddenSize: 32,
      attention: { name: 'bahdanau', size: 32, coverage },
      ...(coverage ? { coverageLoss: 1 } : {}),
    },
    output: { name: 'pointer-generator' },
  };
}

/** A made-up word from syllables, e.g. `zolaka`. */
export function inventedWord(rng: Rng): string {
  const syllables = 'ka lo mi ren tu sa vo bel dra nik or al fen gu ti mar zo pe lu ha'.split(' ');
  return Array.from({ length: 3 }, () => syllables[rng.int(syllables.length)]).join('');
}

/** Examples whose reference is the input itself (a copy task). */
export function copyExamples(sentences: readonly string[][]): TaskExample[] {
  return sentences.map((words) => ({ input: words.join(' '), references: [words.join(' ')] }));
}

/** Fits a pipeline (words seen fewer than 3 times are left out) and trains a tiny model. */
export function trainTiny(
  train: readonly TaskExample[],
  recipe: ModelRecipe,
  steps: number,
): { pipeline: SummarizationPipeline; model: Seq2Seq } {
  const data = {
    ...dataSettings(summaryPreset),
    maxSourceTokens: 12,
    maxTargetTokens: 12,
    minFrequency: 3,
    maxSourceOovs: 4,
  };
  const pipeline = SummarizationPipeline.fit(train, data, true);
  const model = Seq2Seq.build(pipeline.modelConfig(recipe));
  const trainer = new Trainer(model, { learningRate: 0.02, clipNorm: 5, seed: 1 });
  const source = pipeline.batches(train, { batchSize: 16, seed: 3, shuffle: true });
  let step = 0;
  for (let epoch = 0; step < steps; epoch++) {
    for (const batch of source.epoch(epoch)) {
      if (step++ < steps) trainer.step(batch);
      disposeBatch(batch);
    }
  }
  trainer.dispose();
  return { pipeline, model };
}

/** Greedy outputs of a tiny model. */
export function greedyOutputs(
  model: Seq2Seq,
  pipeline: SummarizationPipeline,
  examples: readonly TaskExample[],
): Promise<string[]> {
  // Not disposed: the caller owns the model.
  const taskModel = new TaskModel({
    model,
    task: summarizationTask,
    settings: { ...summaryPreset, search: { name: 'greedy', maxLength: 14 } },
    pipeline,
  });
  return taskModel.decodeBest(
    examples.map((e) => e.input),
    { batchSize: 32 },
  );
}
