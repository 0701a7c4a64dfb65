import { ConfigError, disposeBatch, type Hypothesis, Seq2Seq, type TaskExample } from '@s2s/core';
import { atToySize, expectClose, expectNoLeaks, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeEncoded } from '../pipeline/summarization-pipeline.js';
import { dataSettings } from '../task/data-settings.js';
import { extractivePreset } from '../task/summarization-task.js';
import '../register.js';
import { withinBudget } from './budget.js';
import { ExtractivePipeline, FIRST_SENTENCE } from './extractive-pipeline.js';

const article = 'Rates rose sharply. Jobs were lost.\n\nThe bank said profits fell.';
const examples: TaskExample[] = [
  { input: article, references: ['The bank said profits fell. Rates rose sharply.'] },
  { input: 'Jobs were lost.', references: ['Jobs were lost.'] },
];
const data = dataSettings(extractivePreset);

function hypothesis(tokens: number[]): Hypothesis {
  return { tokens, score: 0, logProb: 0, tokenLogProbs: tokens.map(() => 0), finished: true };
}

describe('ExtractivePipeline', () => {
  beforeAll(() => pinBackend('wasm'));

  it("trains on the oracle's sentence sequence, most gain first, with padded sentences masked", async () => {
    const pipeline = ExtractivePipeline.fit(examples, data);
    await expectNoLeaks(() => {
      const [batch] = [
        ...pipeline.batches(examples, { batchSize: 2, seed: 1, shuffle: false }).epoch(0),
      ];
      const rows = batch!.sourceMask.arraySync();
      const out = batch!.targetOut.arraySync();
      const eos = pipeline.targets.eos;
      // The 3-sentence article and the 1-sentence one, in either order.
      const long = rows.findIndex((r) => r[2] === 1);
      expect(rows[long]).toEqual([1, 1, 1]);
      expect(rows[1 - long]).toEqual([1, 0, 0]);
      // Sentence 2 gains most (five words), then sentence 0.
      expect(out[long]).toEqual([FIRST_SENTENCE + 2, FIRST_SENTENCE, eos]);
      expect(out[1 - long]).toEqual([FIRST_SENTENCE, eos, 0]);
      expect(batch!.targetIn.arraySync()[long]).toEqual([
        pipeline.targets.bos,
        FIRST_SENTENCE + 2,
        FIRST_SENTENCE,
      ]);
      // Padded sentences hold only <pad> words.
      const words = batch!.source.arraySync() as number[][][];
      expect(words[1 - long]![1]!.every((w) => w === pipeline.vocabulary.pad)).toBe(true);
      disposeBatch(batch!);
    });
  });

  it('gives a padded article the same pointer distribution as the article alone', () => {
    const pipeline = ExtractivePipeline.fit(examples, data);
    const recipe = atToySize(extractivePreset.model, { embeddingSize: 8, hiddenSize: 8, size: 8 });
    const model = Seq2Seq.build(pipeline.modelConfig(recipe));
    const short = examples[1]!;
    const alone = [
      ...pipeline.batches([short], { batchSize: 1, seed: 1, shuffle: false }).epoch(0),
    ][0]!;
    const both = [
      ...pipeline.batches(examples, { batchSize: 2, seed: 1, shuffle: false }).epoch(0),
    ][0]!;
    const row = both.sourceMask.arraySync().findIndex((r) => r[1] === 0);
    tf.tidy(() => {
      const a = model.forward(alone, { training: false }).logProbs;
      const b = model.forward(both, { training: false }).logProbs;
      const t = a.shape[1];
      expectClose(a, b.slice([row, 0, 0], [1, t, -1]), 1e-5, 'log-probabilities');
      // The padded sentences 1 and 2 of the short article get nothing.
      const p = b.slice([row, 0, FIRST_SENTENCE + 1], [1, t, 2]).exp();
      expect(p.max().dataSync()[0]).toBeLessThan(1e-20);
    });
    disposeBatch(alone);
    disposeBatch(both);
    model.dispose();
  });

  it('decodes picks into sentences, in article or pointer order, up to <eos>', () => {
    const pipeline = ExtractivePipeline.fit(examples, { ...data, outputOrder: 'article' });
    const encoded = pipeline.encode([article]);
    expect(encoded.labels[0]).toEqual([
      '#0 Rates rose sharply.',
      '#1 Jobs were lost.',
      '#2 The bank said profits fell.',
    ]);
    const picks = hypothesis([FIRST_SENTENCE + 2, FIRST_SENTENCE, pipeline.targets.eos, 5]);
    const decoded = pipeline.decode(picks, 0, encoded);
    expect(decoded.text).toBe('Rates rose sharply. The bank said profits fell.');
    expect(decoded.tokens).toEqual(['#2', '#0', '<eos>', '#1']);
    const pointer = new ExtractivePipeline(
      pipeline.vocabulary,
      { ...data, outputOrder: 'pointer' },
      0,
    );
    expect(pointer.decode(picks, 0, encoded).text).toBe(
      'The bank said profits fell. Rates rose sharply.',
    );
    disposeEncoded(encoded);
  });

  it('stops once the words reach the budget', () => {
    const sentences = ['one two three four', 'five six', 'seven eight nine ten'];
    // 10 words: a budget of 0.5 (5 words) keeps sentence 2 (4 words) and sentence 1 (6).
    expect(withinBudget([2, 1, 0], sentences, 0.5)).toEqual([2, 1]);
    expect(withinBudget([2, 1, 0], sentences, 0.4)).toEqual([2]);
    expect(withinBudget([2, 1, 0], sentences, 0)).toEqual([2, 1, 0]);
    const learned = ExtractivePipeline.fit(examples, { ...data, wordBudget: 'learned' });
    // References hold 8 of 11 and 3 of 3 article words.
    expect(learned.budget).toBeCloseTo((8 / 11 + 1) / 2, 9);
  });

  it('round-trips through JSON and refuses an output that does not point', () => {
    const pipeline = ExtractivePipeline.fit(examples, { ...data, wordBudget: 0.4 });
    const back = ExtractivePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
    expect(back.budget).toBe(0.4);
    expect(back.vocabulary.toJSON()).toEqual(pipeline.vocabulary.toJSON());
    expect(back.targets.size).toBe(FIRST_SENTENCE + data.maxSentences);
    expect(() =>
      pipeline.modelConfig({ ...extractivePreset.model, output: { name: 'softmax' } }),
    ).toThrow(ConfigError);
    expect(() => ExtractivePipeline.fromJSON({ kind: 'extractive' })).toThrow(ConfigError);
  });
});
