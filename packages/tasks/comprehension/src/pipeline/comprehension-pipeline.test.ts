import { disposeBatch, type Hypothesis, type TaskExample } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatStoryInput } from '../input/story-input.js';
import { dataDefaults } from '../settings/data-settings.js';
import { ComprehensionPipeline, words } from './comprehension-pipeline.js';

const example = (
  story: string[],
  question: string,
  answer: string,
  support: number[],
  origin = '/d/qa1_x_train.txt:1',
): TaskExample => ({
  input: formatStoryInput({ story, question, support }),
  references: [answer],
  origin,
});

const examples = [
  example(
    ['Mary went to the kitchen.', 'John went to the garden.'],
    'Where is Mary?',
    'kitchen',
    [0],
  ),
  example(
    ['Mary got the apple.', 'Mary got the milk there.', 'John left.'],
    'What is Mary carrying?',
    'apple,milk',
    [0, 1],
    '/d/qa8_x_train.txt:4',
  ),
];

const hypothesis = (tokens: number[]): Hypothesis => ({
  tokens,
  score: 0,
  logProb: 0,
  tokenLogProbs: tokens.map(() => 0),
  finished: true,
});

describe('ComprehensionPipeline', () => {
  beforeAll(() => pinBackend('cpu'));

  it('reads lower-cased words without punctuation, and learns words and answer items', () => {
    expect(words('Where is Mary? ')).toEqual(['where', 'is', 'mary']);
    const pipeline = ComprehensionPipeline.fit(examples, dataDefaults);
    expect(pipeline.answers.toJSON().tokens).toEqual(['apple', 'kitchen', 'milk']);
    expect(pipeline.words.has('carrying')).toBe(true);
    expect(pipeline.words.has('.')).toBe(false);
    const config = pipeline.modelConfig({
      seed: 1,
      encoder: { name: 'lstm' },
      decoder: { name: 'attentional' },
    });
    expect(config.source.vocabSize).toBe(pipeline.words.size);
    expect(config.target.vocabSize).toBe(7);
  });

  it('batches passages as [B, N, W] sentences, the question and support ranks as inputs', () => {
    const pipeline = ComprehensionPipeline.fit(examples, dataDefaults);
    const [batch] = [
      ...pipeline.batches(examples, { batchSize: 2, seed: 1, shuffle: false }).epoch(0),
    ];
    const w = (t: string) => pipeline.words.id(t);
    // Bucketing puts the shorter passage first.
    expect(batch!.source.arraySync()).toEqual([
      [
        [w('mary'), w('went'), w('to'), w('the'), w('kitchen')],
        [w('john'), w('went'), w('to'), w('the'), w('garden')],
        [0, 0, 0, 0, 0],
      ],
      [
        [w('mary'), w('got'), w('the'), w('apple'), 0],
        [w('mary'), w('got'), w('the'), w('milk'), w('there')],
        [w('john'), w('left'), 0, 0, 0],
      ],
    ]);
    expect(batch!.sourceMask.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    const inputs = batch!.inputs!;
    expect(inputs.question!.shape).toEqual([2, 1, 4]);
    expect(inputs.questionMask!.arraySync()).toEqual([[1], [1]]);
    expect(inputs.support!.arraySync()).toEqual([
      [1, 0, 0],
      [1, 2, 0],
    ]);
    const a = (t: string) => pipeline.answers.id(t);
    expect(batch!.targetOut.arraySync()).toEqual([
      [a('kitchen'), 2, 0],
      [a('apple'), a('milk'), 2],
    ]);
    disposeBatch(batch!);
  });

  it('keeps the last maxSentences sentences and moves the support ranks with them', () => {
    const pipeline = ComprehensionPipeline.fit(examples, { ...dataDefaults, maxSentences: 2 });
    const [batch] = [
      ...pipeline.batches([examples[1]!], { batchSize: 1, seed: 1, shuffle: false }).epoch(0),
    ];
    expect(batch!.sourceMask.shape).toEqual([1, 2]);
    // The first supporting fact fell out of sight; the second is now sentence 0.
    expect(batch!.inputs!.support!.arraySync()).toEqual([[2, 0]]);
    disposeBatch(batch!);
    const encoded = pipeline.encode([examples[1]!.input]);
    expect(encoded.labels).toEqual([['Mary got the milk there.', 'John left.']]);
    tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs!)]);
  });

  it('encodes decode inputs with sentence labels, the question as a `words` input if asked', () => {
    const pipeline = ComprehensionPipeline.fit(examples, { ...dataDefaults, question: 'words' });
    const encoded = pipeline.encode(examples.map((e) => e.input));
    expect(encoded.source.shape).toEqual([2, 3, 5]);
    expect(encoded.labels[0]).toEqual(['Mary went to the kitchen.', 'John went to the garden.']);
    expect(encoded.inputs!.questionMask!.arraySync()).toEqual([
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    expect(encoded.inputs!.support).toBeUndefined();
    tf.dispose([encoded.source, encoded.mask, ...Object.values(encoded.inputs!)]);
    expect(() => pipeline.encode(['{"story": ["A."], "question": "?"}'])).toThrow(/no words/);
  });

  it('decodes answer items joined by commas and scores exact matches per task', () => {
    const pipeline = ComprehensionPipeline.fit(examples, dataDefaults);
    const a = (t: string) => pipeline.answers.id(t);
    const list = pipeline.decode(hypothesis([a('apple'), a('milk'), 2]));
    expect(list).toEqual({ text: 'apple,milk', tokens: ['apple', 'milk', '<eos>'] });
    const scores = pipeline.evaluate(['kitchen', 'milk,apple'], examples);
    expect(scores.primary).toBe('accuracy');
    expect(scores.scores).toEqual({
      accuracy: 50,
      task_1: 100,
      task_8: 0,
      mean_task_accuracy: 50,
      tasks_passed: 1,
    });
  });

  it('round-trips through its JSON', () => {
    const pipeline = ComprehensionPipeline.fit(examples, dataDefaults);
    const again = ComprehensionPipeline.fromJSON(
      JSON.parse(JSON.stringify(pipeline.toJSON())),
      dataDefaults,
    );
    expect(again.words.toJSON()).toEqual(pipeline.words.toJSON());
    expect(again.answers.toJSON()).toEqual(pipeline.answers.toJSON());
    expect(() => ComprehensionPipeline.fromJSON({}, dataDefaults)).toThrow(/vocabularies/);
  });
});
