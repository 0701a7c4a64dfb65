import {
  disposeBatch,
  Rng,
  resolveSearch,
  Seq2Seq,
  type TaskExample,
  TaskModel,
  Trainer,
} from '@s2s/core';
import { atToySize, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataSettings } from '../task/data-settings.js';
import { extractivePreset, summarizationTask } from '../task/summarization-task.js';
import '../register.js';
import { disposeEncoded } from '../pipeline/summarization-pipeline.js';
import { ExtractivePipeline, FIRST_SENTENCE } from './extractive-pipeline.js';

const fillers = (
  'the firm said on in rose by a new plan its chief bank rates fell market shares week ' +
  'year talks deal group board sales price oil city club game team'
).split(' ');

/**
 * Articles of 4–8 sentences of 3–6 filler words; one to three sentences, anywhere, hold the
 * marker word `zorblat`, and the reference is exactly those sentences. Whether a sentence
 * belongs in the summary depends on its words alone, not on where it stands.
 */
function markerArticles(count: number, seed: number): TaskExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const n = 4 + rng.int(5);
    const marked = new Set<number>();
    for (let k = 1 + rng.int(3); k > 0; k--) marked.add(rng.int(n));
    const sentences = Array.from({ length: n }, (_, i) => {
      const words = Array.from({ length: 3 + rng.int(4) }, () => fillers[rng.int(fillers.length)]!);
      if (marked.has(i)) words[rng.int(words.length)] = 'zorblat';
      const text = words.join(' ');
      return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
    });
    return {
      input: sentences.join(' '),
      references: [sentences.filter((_, i) => marked.has(i)).join(' ')],
    };
  });
}

describe('the extractive preset', () => {
  beforeAll(() => pinBackend('wasm'));

  it('learns to pick the sentences holding a marker to ≥ 95% exact match on unseen articles', async () => {
    const recipe = atToySize(extractivePreset.model, {
      seed: 3,
      embeddingSize: 16,
      hiddenSize: 24,
      size: 24,
    });
    const train = markerArticles(320, 1);
    const heldOut = markerArticles(100, 2);
    // Written in article order, so an output matches its reference when the set is right.
    const data = { ...dataSettings(extractivePreset), outputOrder: 'article' as const };
    const pipeline = ExtractivePipeline.fit(train, data);
    const model = Seq2Seq.build(pipeline.modelConfig(recipe));
    const trainer = new Trainer(model, { learningRate: 0.01, clipNorm: 2, seed: 1 });
    const source = pipeline.batches(train, { batchSize: 16, seed: 3, shuffle: true });
    for (let epoch = 0; epoch < 10; epoch++) {
      for (const batch of source.epoch(epoch)) {
        trainer.step(batch);
        disposeBatch(batch);
      }
    }
    trainer.dispose();
    // The preset's beam search, but with the length left to the model's <eos>: the preset's
    // minimum share of sentences is tuned for BBC summaries, not for this task.
    const search = { ...extractivePreset.search, minLengthRatio: 0 };
    const taskModel = new TaskModel({
      model,
      task: summarizationTask,
      settings: { ...extractivePreset, model: recipe, search },
      pipeline,
    });
    const outputs = await taskModel.decodeBest(
      heldOut.map((e) => e.input),
      { batchSize: 32 },
    );
    taskModel.dispose();
    const exact = outputs.filter((o, i) => o === heldOut[i]!.references[0]).length;
    expect(
      exact / heldOut.length,
      `outputs: ${outputs.slice(0, 3).join(' | ')}`,
    ).toBeGreaterThanOrEqual(0.95);
  }, 300_000); // 200 training steps: seconds alone, minutes on a machine shared with training runs

  it('never picks a sentence twice under its beam search, even when made to pick them all', async () => {
    const articles = markerArticles(8, 5);
    const pipeline = ExtractivePipeline.fit(articles, dataSettings(extractivePreset));
    const recipe = atToySize(extractivePreset.model, { embeddingSize: 8, hiddenSize: 8, size: 8 });
    const model = Seq2Seq.build(pipeline.modelConfig(recipe));
    const encoded = pipeline.encode(articles.map((a) => a.input));
    const eos = pipeline.targets.eos;
    try {
      for (const row of articles.keys()) {
        // An untrained model, kept from <eos> until it has picked every sentence.
        const n = encoded.labels[row]!.length;
        const search = resolveSearch({ ...extractivePreset.search, minLength: n + 1, nBest: 4 });
        const single = {
          source: encoded.source.slice(row, 1),
          mask: encoded.mask.slice(row, 1),
        };
        const [hypotheses] = await model.generate(single.source, single.mask, search.strategy, {
          maxLength: n + 1,
          alignments: false,
        });
        single.source.dispose();
        single.mask.dispose();
        for (const h of hypotheses!) {
          const picks = h.tokens.filter((t) => t !== eos);
          expect(picks.every((t) => t >= FIRST_SENTENCE && t < FIRST_SENTENCE + n)).toBe(true);
          expect(new Set(picks).size, `picks ${picks}`).toBe(picks.length);
          expect(picks).toHaveLength(n);
        }
      }
    } finally {
      disposeEncoded(encoded);
      model.dispose();
    }
  });
});
