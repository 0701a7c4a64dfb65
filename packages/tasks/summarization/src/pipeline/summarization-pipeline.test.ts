import { ConfigError, disposeBatch, type Hypothesis, S2SError, type TaskExample } from '@s2s/core';
import { expectNoLeaks, pinBackend } from '@s2s/core/testing';
import { EXTENDED_IDS } from '@s2s/decoders';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataSettings, type SummarizationData } from '../task/data-settings.js';
import { summaryPreset } from '../task/summarization-task.js';
import { disposeEncoded, SummarizationPipeline } from './summarization-pipeline.js';

const data: SummarizationData = {
  ...dataSettings(summaryPreset),
  maxSourceTokens: 12,
  maxTargetTokens: 6,
  minFrequency: 3,
  maxSourceOovs: 3,
};

// Counted over sources and (cut) targets, "the", "firm", "said", "rose" and "." occur at
// least 3 times; "zola" twice, the other words once.
const examples: TaskExample[] = [
  { input: 'The firm said Zola rose.\n\nThe end.', references: ['Zola said. The firm rose.'] },
  { input: 'The firm rose, Kasabian said.', references: ['The firm said Oasis rose.'] },
];

describe('SummarizationPipeline', () => {
  beforeAll(() => pinBackend('wasm'));
  const pipeline = SummarizationPipeline.fit(examples, data, true);
  const v = pipeline.vocabulary;

  it('learns one lower-cased vocabulary from articles and summaries, leaving rare words out', () => {
    for (const word of ['the', 'firm', 'said', 'rose', '.']) expect(v.has(word)).toBe(true);
    for (const word of ['zola', 'kasabian', 'oasis', 'end', ',']) expect(v.has(word)).toBe(false);
  });

  it('cuts sources to maxSourceTokens and targets to whole leading sentences', () => {
    expect(pipeline.sourceTokens('A b c d e f g h i j k l m n.')).toHaveLength(12);
    expect(pipeline.targetTokens('Zola said. The firm rose.')).toEqual(['zola', 'said', '.']);
    expect(pipeline.targetTokens('One two three four five six seven.')).toHaveLength(6);
  });

  it('encodes sources with <unk> for the encoder and copy ids V + i for the copy mechanism', () => {
    const encoded = pipeline.encode(['Zola said the firm rose, Zola said.']);
    const [ids, extended] = [encoded.source, encoded.inputs![EXTENDED_IDS]!].map(
      (t) => (t.arraySync() as number[][])[0]!,
    );
    const labels = encoded.labels[0]!;
    expect(labels).toEqual(['zola', 'said', 'the', 'firm', 'rose', ',', 'zola', 'said', '.']);
    labels.forEach((word, j) => {
      if (v.has(word)) {
        expect(ids[j]).toBe(v.id(word));
        expect(extended[j]).toBe(v.id(word));
      } else {
        expect(ids[j]).toBe(v.unk);
      }
    });
    expect(extended[0]).toBe(v.size);
    expect(extended[6]).toBe(v.size);
    expect(extended[5]).toBe(v.size + 1);
    disposeEncoded(encoded);
  });

  it('decodes copy ids back into the article’s words and stops at <eos>', () => {
    const encoded = pipeline.encode(['Zola said the firm rose.']);
    const hypothesis: Hypothesis = {
      tokens: [v.id('the'), v.size, v.id('rose'), v.id('.'), v.eos, v.id('firm')],
      score: 0,
      logProb: 0,
      tokenLogProbs: [],
      finished: true,
    };
    const out = pipeline.decode(hypothesis, 0, encoded);
    expect(out.text).toBe('the zola rose.');
    expect(out.tokens).toEqual(['the', 'zola', 'rose', '.', '<eos>', 'firm']);
    disposeEncoded(encoded);
  });

  it('reads a whole {"text"} record as an input, dropping its headline', () => {
    const record = JSON.stringify({ text: 'Headline here\n\nThe firm rose.' });
    expect(pipeline.sourceTokens(record)).toEqual(['the', 'firm', 'rose', '.']);
  });

  it('rejects an empty input with a typed error', () => {
    expect(() => pipeline.encode(['  '])).toThrow(S2SError);
  });

  it('batches targets with copy ids for words their article holds, <unk> for others', () => {
    const batches = [
      ...pipeline.batches(examples, { batchSize: 2, seed: 1, shuffle: false }).epoch(0),
    ];
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    const out = batch.targetOut.arraySync() as number[][];
    const extended = batch.inputs![EXTENDED_IDS]!.arraySync() as number[][];
    // "zola" (the first OOV of its article, V) starts one target; "oasis" is in no article.
    const row = out.findIndex((r) => r[0] === v.size);
    expect(out[row]!.slice(0, 3)).toEqual([v.size, v.id('said'), v.id('.')]);
    expect(extended[row]).toContain(v.size);
    expect(out[1 - row]!.slice(0, 5)).toEqual(
      ['the', 'firm', 'said'].map((w) => v.id(w)).concat([v.unk, v.id('rose')]),
    );
    disposeBatch(batch);
  });

  it('without a copy mechanism, batches carry no extended ids and targets no copy ids', () => {
    const plain = SummarizationPipeline.fit(examples, data, false);
    const [batch] = [
      ...plain.batches(examples, { batchSize: 2, seed: 1, shuffle: false }).epoch(0),
    ];
    expect(batch!.inputs).toBeUndefined();
    expect(Math.max(...(batch!.targetOut.arraySync() as number[][]).flat())).toBeLessThan(
      plain.vocabulary.size,
    );
    disposeBatch(batch!);
    expect(plain.encode(['The firm.']).inputs).toBeUndefined();
  });

  it('fills in vocabulary sizes and K, and refuses an output that does not match the pipeline', () => {
    const config = pipeline.modelConfig(summaryPreset.model);
    expect(config.source).toEqual({ vocabSize: v.size });
    expect(config.target).toEqual({ vocabSize: v.size });
    expect(config.output).toEqual({ name: 'pointer-generator', maxSourceOovs: 3 });
    expect(() =>
      pipeline.modelConfig({ ...summaryPreset.model, output: { name: 'softmax' } }),
    ).toThrow(ConfigError);
    expect(() =>
      pipeline.modelConfig({
        ...summaryPreset.model,
        output: { name: 'pointer-generator', maxSourceOovs: 9 },
      }),
    ).toThrow(/data.maxSourceOovs/);
  });

  it('round-trips through JSON', () => {
    const restored = SummarizationPipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
    expect(restored.vocabulary.toJSON()).toEqual(v.toJSON());
    expect(restored.data).toEqual(data);
    expect(restored.copy).toBe(true);
    expect(() => SummarizationPipeline.fromJSON({})).toThrow(ConfigError);
  });

  it('scores ROUGE F1 by hand: a perfect output scores 1; primary ROUGE-2 for summaries', () => {
    const scores = pipeline.evaluate(
      ['the firm said.', 'rose'],
      [
        { input: '', references: ['The firm said.'] },
        { input: '', references: ['the firm rose'] },
      ],
    );
    // Second pair: unigrams 1 of 1 predicted, 1 of 3 reference: F1 = 2·1·(1/3)/(1 + 1/3) = 0.5;
    // no bigram in a one-word output: 0; LCS 1: 0.5.
    expect(scores.scores.rouge1).toBeCloseTo((100 * (1 + 0.5)) / 2, 8);
    expect(scores.scores.rouge2).toBeCloseTo((100 * (1 + 0)) / 2, 8);
    expect(scores.scores.rougeL).toBeCloseTo((100 * (1 + 0.5)) / 2, 8);
    expect(scores.primary).toBe('rouge2');
  });

  it('leaks no tensor through encode, batches and disposal', async () => {
    await expectNoLeaks(() => {
      disposeEncoded(pipeline.encode(['The firm rose.', 'Zola said.']));
      for (const batch of pipeline
        .batches(examples, { batchSize: 1, seed: 2, shuffle: true })
        .epoch(3)) {
        disposeBatch(batch);
      }
    });
  });
});
