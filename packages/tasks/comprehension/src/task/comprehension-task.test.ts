import {
  deriveSeed,
  type ModelRecipe,
  Rng,
  registry,
  Seq2Seq,
  type TaskExample,
  TaskModel,
  Trainer,
} from '@s2s/core';
import { atToySize, pinBackend } from '@s2s/core/testing';
import { nodeReadOptions } from '@s2s/data/node';
import { GreedySearch } from '@s2s/search';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { formatStoryInput } from '../input/story-input.js';
import { babiSamplePath } from '../node/sample.js';
import { ComprehensionPipeline } from '../pipeline/comprehension-pipeline.js';
import { dataDefaults } from '../settings/data-settings.js';
import { COMPREHENSION, comprehensionTask } from './comprehension-task.js';
import { comprehensionDefaults } from './defaults.js';

const people = ['mary', 'john', 'sandra', 'daniel'];
const places = ['kitchen', 'garden', 'office', 'hallway', 'bathroom', 'bedroom'];

/**
 * A generated single-supporting-fact task: 2–6 moves, "where is X?" for someone who moved,
 * answered by their last move, which is the supporting fact.
 */
function generated(count: number, seed: number): TaskExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, n) => {
    const moves = Array.from({ length: 2 + rng.int(5) }, () => ({
      who: people[rng.int(people.length)]!,
      where: places[rng.int(places.length)]!,
    }));
    const asked = moves[rng.int(moves.length)]!.who;
    const last = moves.map((m) => m.who).lastIndexOf(asked);
    return {
      input: formatStoryInput({
        story: moves.map((m) => `${m.who} went to the ${m.where}.`),
        question: `Where is ${asked}?`,
        support: [last],
      }),
      references: [moves[last]!.where],
      origin: `generated:${n + 1}`,
    };
  });
}

/**
 * The default recipe at toy sizes: every size option in the tree replaced, every choice
 * (multi-source encoder, hierarchical passage and question, cascade of multi-hop and
 * scaled-dot attention, ReLU update, supervised hops) kept, so the test follows the defaults.
 */
const tiny: ModelRecipe = atToySize(comprehensionDefaults.model, {
  seed: 3,
  embeddingSize: 16,
  hiddenSize: 16,
  size: 16,
  maxSentences: 8,
});

describe('the comprehension task', () => {
  beforeAll(() => pinBackend('wasm'));

  it('is registered under its name', () => {
    expect(registry.create('task', { name: COMPREHENSION })).toBe(comprehensionTask);
  });

  it('the default recipe at toy sizes learns a generated single-supporting-fact task to ≥ 95% exact match', async () => {
    const train = generated(480, 1);
    // Short stories can come up in both draws; only unseen ones count as held out.
    const seen = new Set(train.map((e) => e.input));
    const heldOut = generated(200, 2).filter((e) => !seen.has(e.input));
    const pipeline = ComprehensionPipeline.fit(train, dataDefaults);
    const model = Seq2Seq.build(pipeline.modelConfig(tiny));
    const trainer = new Trainer(model, { learningRate: 0.01, seed: 1 });
    const batches = pipeline.batches(train, { batchSize: 32, seed: 1, shuffle: true });
    // The first epoch creates the optimizer's slots; later ones must add nothing.
    await trainer.fit(batches, { epochs: 1 });
    const before = tf.memory().numTensors;
    await trainer.fit(batches, { epochs: 8 });
    expect(tf.memory().numTensors, 'training leaves no tensor behind').toBe(before);
    const taskModel = new TaskModel({
      model,
      task: comprehensionTask,
      settings: { ...comprehensionDefaults, search: { name: 'greedy', maxLength: 3 } },
      pipeline,
    });
    const scores = await taskModel.evaluate(heldOut, { batchSize: 256 });
    // Answers are one word, so accuracy is exact match.
    expect(scores.scores.accuracy).toBeGreaterThanOrEqual(95);
    trainer.dispose();
    model.dispose();
  });

  it('builds its default model on the shipped sample and attends over sentences', async () => {
    const settings = comprehensionDefaults;
    const examples: TaskExample[] = [];
    for await (const e of comprehensionTask.read(babiSamplePath, settings, nodeReadOptions))
      examples.push(e);
    const { train, dev } = comprehensionTask.split!(examples, {
      ...settings,
      training: { ...settings.training, devFraction: 0.3, seed: deriveSeed(1, 'x') },
    });
    expect(dev.length).toBeGreaterThan(0);
    const pipeline = await comprehensionTask.fit(train, settings);
    const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
    const encoded = pipeline.encode([dev[0]!.input]);
    const [[best]] = await model.generate(
      encoded.source,
      encoded.mask,
      new GreedySearch(),
      { maxLength: 3 },
      encoded.inputs,
    );
    // One weight per story sentence at every step, labelled by the sentences themselves.
    const n = encoded.labels[0]!.length;
    expect(best!.alignment!.every((row) => row.length === n)).toBe(true);
    expect(best!.alignment![0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const restored = comprehensionTask.restore(
      JSON.parse(JSON.stringify(pipeline.toJSON())),
      settings,
    );
    expect(restored.decode(best!, 0, encoded).text).toBe(pipeline.decode(best!, 0, encoded).text);
    tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs!)]);
    model.dispose();
  });
});
