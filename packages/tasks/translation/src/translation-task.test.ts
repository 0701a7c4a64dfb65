import { disposeBatch, registry, Seq2Seq, type TaskExample, Trainer } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { readLines } from '@s2s/data/node';
import { GreedySearch } from '@s2s/search';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, tempFile } from '../test/helpers.js';
import './register.js';
import { samplePath } from './node/sample.js';
import type { TranslationPipeline } from './pipeline/translation-pipeline.js';
import { translationDefaults } from './settings/defaults.js';
import { TranslationTask, translationTask } from './translation-task.js';

describe('the translation task', () => {
  beforeAll(() => pinBackend('wasm'));

  it('is registered under kind task, name translation, on import', () => {
    const task = registry.create('task', { name: 'translation' });
    expect(task).toBe(translationTask);
    expect(task).toBeInstanceOf(TranslationTask);
    expect(task.name).toBe('translation');
    expect(() => registry.create('task', { name: 'translation', beam: 3 })).toThrow(
      /task 'translation': unknown option 'task\.beam'; known options: none/,
    );
  });

  it('defaults to pairs of up to 12 words, joint BPE and beam search with k = 5, α = 0.75', () => {
    const { data, search, model } = translationTask.defaults;
    expect(data.maxWords).toBe(12);
    expect(data.tokenizer).toEqual({ name: 'bpe', vocabSize: 8000 });
    expect(search).toMatchObject({ name: 'beam', beamSize: 5, lengthPenalty: 0.75 });
    expect(model.decoder).toMatchObject({ name: 'attentional', attention: { name: 'bahdanau' } });
    expect(model.encoder).toMatchObject({ name: 'lstm', bidirectional: 'concat' });
    // Importing the task registers every plugin its defaults name.
    const { maxLength: _maxLength, ...strategy } = search;
    expect(registry.create('search', strategy).name).toBe('beam');
  });

  it('validates data settings by name before reading anything', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ maxWrods: 10 }, /unknown option 'data\.maxWrods' \(did you mean 'maxWords'\?\)/],
      [{ maxWords: 0 }, /option 'data\.maxWords': .*>0, got 0/],
      [{ maxWords: 40 }, /maxInputWords \(36\) must be at least maxWords \(40\)/],
      [{ maxVocabSize: 4 }, /option 'data\.maxVocabSize': must leave room .*, got 4/],
      [{ tokenizer: 'bpe' }, /option 'data\.tokenizer': .*expected object.*got 'bpe'/],
      [
        { tokenizer: { name: 'bpe', vocabSise: 10 } },
        /tokenizer 'bpe': unknown option 'data\.tokenizer\.vocabSise' \(did you mean 'vocabSize'\?\)/,
      ],
      [
        { tokenizer: { name: 'word', elisions: 'l' } },
        /tokenizer 'word': option 'data\.tokenizer\.elisions': .*expected array.*got 'l'/,
      ],
    ];
    for (const [data, message] of bad) {
      const settings = { ...translationDefaults, data };
      expect(() => translationTask.read(samplePath, settings, { readLines })).toThrow(message);
    }
    await expect(
      translationTask.fit([{ input: 'a', references: ['b'] }], {
        ...translationDefaults,
        data: { tokenizer: { name: 'nope' } },
      }),
    ).rejects.toThrow(/unknown tokenizer 'nope'/);
  });

  it('reads with the maxWords setting and splits by source sentence', async () => {
    const file = tempFile(
      'pairs.tsv',
      'A b c.\tX y z.\nA b c d.\tX y.\nA b c.\tX y z w.\nD e.\tF g.\nH.\tI.\n',
    );
    const settings = { ...translationDefaults, data: { maxWords: 3 } };
    const read = await collect(translationTask.read(file, settings, { readLines }));
    expect(read.map((e) => e.input)).toEqual(['A b c.', 'D e.', 'H.']);
    const all = await collect(
      translationTask.read(file, { ...translationDefaults, data: {} }, { readLines }),
    );
    const { train, dev } = translationTask.split(all, {
      ...translationDefaults,
      training: { devFraction: 0.34, seed: 2 },
    });
    expect(dev).toHaveLength(1);
    expect(train.length + dev[0]!.references.length).toBe(all.length);
  });

  it('trains a tiny model that learns the sample’s most frequent pairs', async () => {
    // The 12 English sentences with the most translations in the sample, each with its
    // first translation: the model must learn to produce them, from a BLEU near 0.
    const sample = await collect(
      translationTask.read(samplePath, translationDefaults, { readLines }),
    );
    const frequent = mostFrequent(sample, 12);
    const settings = { ...translationDefaults, data: { tokenizer: { name: 'word' } } };
    const pipeline = await translationTask.fit(frequent, settings);
    const model = Seq2Seq.build(
      pipeline.modelConfig({
        seed: 3,
        encoder: { name: 'lstm', embeddingSize: 32, hiddenSize: 32 },
        decoder: {
          name: 'attentional',
          embeddingSize: 32,
          hiddenSize: 32,
          attention: { name: 'bahdanau', size: 32 },
        },
      }),
    );
    const before = await translate(model, pipeline, frequent);
    const trainer = new Trainer(model, { learningRate: 0.03 });
    const batches = pipeline.batches(frequent, { batchSize: 12, seed: 1, shuffle: true });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 30; epoch++) {
      for (const batch of batches.epoch(epoch)) {
        losses.push(trainer.step(batch).loss);
        disposeBatch(batch);
      }
    }
    trainer.dispose();
    const after = await translate(model, pipeline, frequent);
    model.dispose();
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
    expect(before.scores.bleu).toBeLessThan(10);
    expect(after.scores.bleu).toBeGreaterThan(80);
  });
});

/** The `n` inputs with the most references (ties in file order), each with its first one. */
function mostFrequent(examples: readonly TaskExample[], n: number): TaskExample[] {
  const counts = new Map<string, { count: number; reference: string }>();
  for (const e of examples) {
    const entry = counts.get(e.input);
    if (entry) entry.count++;
    else counts.set(e.input, { count: 1, reference: e.references[0]! });
  }
  return [...counts]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, n)
    .map(([input, { reference }]) => ({ input, references: [reference] }));
}

async function translate(
  model: Seq2Seq,
  pipeline: TranslationPipeline,
  examples: readonly TaskExample[],
) {
  const encoded = pipeline.encode(examples.map((e) => e.input));
  const results = await model.generate(encoded.source, encoded.mask, new GreedySearch(), {
    maxLength: 20,
  });
  const outputs = results.map(([best], row) => pipeline.decode(best!, row, encoded).text);
  tf.dispose([encoded.source, encoded.mask]);
  return pipeline.evaluate(outputs, examples);
}
