import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  disposeBatch,
  registry,
  Seq2Seq,
  type TaskExample,
  TaskModel,
  type TaskSettings,
  Trainer,
} from '@s2s/core';
import { modelFolder } from '@s2s/core/node';
import { pinBackend } from '@s2s/core/testing';
import { readLines } from '@s2s/data/node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyRecipe } from '../../test/tiny-training.js';
import type { SummarizationPipeline } from '../pipeline/summarization-pipeline.js';
import { splitDev } from '../report/split-dev.js';
import '../register.js';
import { extractivePreset, headlineTask, summarizationTask } from './summarization-task.js';

const sample = fileURLToPath(new URL('../../data/sample.jsonl', import.meta.url));

/** The preset with a tiny model and short sources, so a round trip takes seconds. */
function tiny(settings: TaskSettings): TaskSettings {
  return {
    ...settings,
    model: tinyRecipe(true),
    data: { ...settings.data, maxSourceTokens: 40, maxTargetTokens: 16 },
    search: { ...settings.search, maxLength: 12, minLength: 3 },
  };
}

async function readAll(settings: TaskSettings, task = summarizationTask): Promise<TaskExample[]> {
  const out: TaskExample[] = [];
  for await (const e of task.read(sample, settings, { readLines })) out.push(e);
  return out;
}

let dir: string;
beforeAll(async () => {
  await pinBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 's2s-summarization-task-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('summarization tasks', () => {
  it('register as summarization and summarization-headline', () => {
    expect(registry.create('task', { name: 'summarization' })).toBe(summarizationTask);
    expect(registry.create('task', { name: 'summarization-headline' })).toBe(headlineTask);
    expect(summarizationTask.defaults.search).toMatchObject({
      name: 'beam',
      noRepeatNgramSize: 3,
      lengthPenalty: 1,
    });
    expect(summarizationTask.defaults.search.minLength).toBeGreaterThan(1);
  });

  it('read the shipped sample: summaries for one, headlines for the other', async () => {
    const summaries = await readAll(summarizationTask.defaults);
    const headlines = await readAll(headlineTask.defaults, headlineTask);
    expect(summaries).toHaveLength(60);
    expect(headlines.map((e) => e.input)).toEqual(summaries.map((e) => e.input));
    expect(headlines[0]!.references[0]!.length).toBeLessThan(summaries[0]!.references[0]!.length);
  });

  it('round trip: read, split, fit, train, beam-decode, score; saved and restored it decodes the same, leaking nothing', async () => {
    const settings = tiny(summarizationTask.defaults);
    const { train, dev } = splitDev(await readAll(settings), settings);
    expect(dev.length).toBe(6);
    const before = tf.memory().numTensors;
    const pipeline = await summarizationTask.fit(train, settings);
    const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
    const trainer = new Trainer(model, { learningRate: 0.01, seed: 1 });
    const batches = pipeline.batches(train, { batchSize: 9, seed: 1, shuffle: true });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (const batch of batches.epoch(epoch)) {
        losses.push(trainer.step(batch).loss);
        disposeBatch(batch);
      }
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const taskModel = new TaskModel({ model, task: summarizationTask, settings, pipeline });
    const inputs = dev.map((e) => e.input);
    const outputs = await taskModel.decodeBest(inputs, { batchSize: 4 });
    expect(outputs.every((o) => o.split(' ').length >= 2)).toBe(true);
    const scores = pipeline.evaluate(outputs, dev);
    expect(scores.primary).toBe('rouge2');
    for (const key of ['rouge1', 'rouge2', 'rougeL']) {
      expect(scores.scores[key]).toBeGreaterThanOrEqual(0);
      expect(scores.scores[key]).toBeLessThanOrEqual(100);
    }

    await taskModel.save(modelFolder(join(dir, 'model')));
    const loaded = await TaskModel.load(modelFolder(join(dir, 'model')));
    expect(loaded.settings).toEqual(settings);
    expect(await loaded.decodeBest(inputs, { batchSize: 4 })).toEqual(outputs);
    loaded.dispose();
    trainer.dispose();
    taskModel.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decodes with every search strategy: each output word is a vocabulary word or the article’s', async () => {
    const settings = tiny(summarizationTask.defaults);
    const examples = (await readAll(settings)).slice(0, 2);
    const pipeline = (await summarizationTask.fit(
      await readAll(settings),
      settings,
    )) as SummarizationPipeline;
    const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
    const taskModel = new TaskModel({ model, task: summarizationTask, settings, pipeline });
    for (const name of ['greedy', 'beam', 'sampling', 'exact', 'exhaustive']) {
      // Exhaustive search scores all (V + K)^T outputs: T = 2 keeps that under its limit.
      const maxLength = name === 'exhaustive' ? 2 : 4;
      const outputs = await taskModel.decodeBest(
        examples.map((e) => e.input),
        { search: { name, maxLength }, batchSize: 2 },
      );
      outputs.forEach((output, i) => {
        const article = new Set(pipeline.sourceTokens(examples[i]!.input));
        for (const word of pipeline.sourceTokens(output)) {
          expect(pipeline.vocabulary.has(word) || article.has(word), `${name}: ${word}`).toBe(true);
        }
      });
    }
    model.dispose();
  });

  it('a headline model trains and decodes short outputs, scored with ROUGE-L first', async () => {
    const settings = tiny(headlineTask.defaults);
    const examples = await readAll(settings, headlineTask);
    const pipeline = await headlineTask.fit(examples, settings);
    const model = Seq2Seq.build(pipeline.modelConfig(settings.model));
    const taskModel = new TaskModel({ model, task: headlineTask, settings, pipeline });
    const outputs = await taskModel.decodeBest(examples.slice(0, 3).map((e) => e.input));
    expect(outputs.every((o) => o.split(' ').length <= 12)).toBe(true);
    expect((await taskModel.evaluate(examples.slice(0, 3))).primary).toBe('rougeL');
    taskModel.dispose();
  });

  it('ships the extractive preset as a --config file that restores it, with a pipeline that points', async () => {
    const file = fileURLToPath(new URL('../../presets/extractive.json', import.meta.url));
    const shipped = JSON.parse(await readFile(file, 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    for (const section of ['model', 'training', 'search', 'data'] as const) {
      const preset = extractivePreset[section] as Record<string, unknown>;
      for (const [key, value] of Object.entries(shipped[section]!)) {
        expect(value, `${section}.${key}`).toEqual(preset[key]);
      }
    }
    const examples = [{ input: 'Rates rose. Jobs went.', references: ['Jobs went.'] }];
    const pipeline = await summarizationTask.fit(examples, extractivePreset);
    const restored = summarizationTask.restore(
      JSON.parse(JSON.stringify(pipeline.toJSON())),
      extractivePreset,
    );
    expect(restored.modelConfig(extractivePreset.model).output).toMatchObject({ name: 'pointer' });
  });
});
