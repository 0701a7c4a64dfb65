import '@s2s/attention';
import '@s2s/decoders';
import '@s2s/encoders';
import '@s2s/search';
import {
  disposeBatch,
  registry,
  Seq2Seq,
  type TaskExample,
  type TaskSettings,
  Trainer,
  tidyTree,
} from '@s2s/core';
import { expectNoLeaks, pinBackend } from '@s2s/core/testing';
import { nodeReadOptions } from '@s2s/data/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, tone, writeToneCorpus, writeWav } from '../../test/wav.js';
// Lets the pipeline's encode read WAV paths from the file system.
import '../node/index.js';
import type { SpeechPipeline } from './speech-pipeline.js';
import { speechTask } from './speech-task.js';

/** A listener and speller small enough to learn the tone corpus in seconds. */
const tiny: TaskSettings = {
  ...speechTask.defaults,
  model: {
    seed: 3,
    encoder: { name: 'pyramidal-lstm', embeddingSize: 16, hiddenSize: 16, layers: 2 },
    decoder: {
      name: 'attentional',
      embeddingSize: 8,
      hiddenSize: 32,
      attention: { name: 'location', size: 16, filters: 4, kernelSize: 3 },
    },
  },
  search: { name: 'greedy', maxLength: 6 },
  data: {
    ...speechTask.defaults.data,
    devSpeaker: 'cy',
    perturb: false,
    specAugment: false,
    features: { melBins: 8, stack: 4 },
    utterances: { perSpeaker: 40, maxDigits: 3, maxGapMs: 60, maxEdgeMs: 30, seed: 5 },
  },
};

let examples: TaskExample[];
beforeAll(async () => {
  await pinBackend('wasm');
  const corpus = writeToneCorpus(tempFolder(), {
    // Each speaker's tones are 3 % higher than the last's: the dev speaker, cy, sits between
    // the two training speakers.
    speakers: ['ann', 'cy', 'bob'],
    digits: [1, 4, 7],
    takes: 3,
  });
  examples = [];
  for await (const e of speechTask.read(corpus, tiny, nodeReadOptions)) examples.push(e);
});

describe('the speech model', () => {
  it("the listener's mask follows the lengths halved by each pyramid layer", async () => {
    const pipeline = await speechTask.fit(examples, speechTask.defaults);
    const model = Seq2Seq.build(pipeline.modelConfig(speechTask.defaults.model));
    const folder = tempFolder();
    const ms = [90, 250, 480, 1000];
    const encoded = pipeline.encode(
      ms.map((m) => writeWav(folder, `${m}.wav`, tone(300, m, 8000), 8000)),
    );
    const frames = encoded.mask.sum(1).arraySync() as number[];
    const memory = tidyTree(() => model.encode(encoded.source, encoded.mask, { training: false }));
    const layers = (speechTask.defaults.model.encoder as unknown as { layers: number }).layers;
    const expected = frames.map((n) => {
      for (let l = 1; l < layers; l++) n = Math.ceil(n / 2);
      return n;
    });
    const mask = memory.mask.arraySync();
    expect(memory.states.shape[1]).toBe(Math.max(...expected));
    mask.forEach((row, r) => {
      // 1 on a prefix of ⌈…⌈n/2⌉…/2⌉ states, 0 after it.
      expect(row, `row ${r} (${frames[r]} frames)`).toEqual(
        row.map((_, j) => (j < expected[r]! ? 1 : 0)),
      );
    });
    tf.dispose([encoded.source, encoded.mask, memory.states, memory.mask, ...memory.final]);
    model.dispose();
  });

  it('a tiny listener and speller learn tone "digits" of a speaker never heard, in seconds', async () => {
    const split = speechTask.split!(examples, tiny);
    const pipeline = (await speechTask.fit(split.train, tiny)) as SpeechPipeline;
    const model = Seq2Seq.build(pipeline.modelConfig(tiny.model));
    const trainer = new Trainer(model, { learningRate: 0.02, seed: 1 });
    const batches = pipeline.batches(split.train, { batchSize: 8, seed: 1, shuffle: true });
    const result = await trainer.fit(batches, { epochs: 12 });
    expect(result.epochs.at(-1)!.trainLoss!).toBeLessThan(0.5 * result.epochs[0]!.trainLoss!);
    const search = registry.create('search', { name: 'greedy' }, {});
    const encoded = pipeline.encode(split.dev.map((e) => e.input));
    const found = await model.generate(encoded.source, encoded.mask, search, { maxLength: 6 });
    const outputs = found.map((h) => pipeline.decode(h[0]!).text);
    const { scores } = pipeline.evaluate(outputs, split.dev);
    expect(scores.wer, outputs.slice(0, 5).join(' | ')).toBeLessThan(20);
    tf.dispose([encoded.source, encoded.mask]);
    trainer.dispose();
    model.dispose();
  });

  it('training, encoding, searching and decoding leave no tensor behind', async () => {
    const pipeline = await speechTask.fit(examples, tiny);
    const model = Seq2Seq.build(pipeline.modelConfig(tiny.model));
    const trainer = new Trainer(model, { learningRate: 0.01 });
    const source = pipeline.batches(examples.slice(0, 8), { batchSize: 4, seed: 1, shuffle: true });
    // The first step creates the optimizer's slots, which the trainer keeps.
    const batches = source.epoch(0)[Symbol.iterator]();
    const first = batches.next().value!;
    trainer.step(first);
    disposeBatch(first);
    const { maxLength: _, ...greedy } = tiny.search;
    const search = registry.create('search', greedy, {});
    await expectNoLeaks(async () => {
      const second = batches.next().value!;
      trainer.step(second);
      disposeBatch(second);
      const encoded = pipeline.encode(examples.slice(0, 3).map((e) => e.input));
      const found = await model.generate(encoded.source, encoded.mask, search, { maxLength: 6 });
      found.forEach((h, row) => pipeline.decode(h[0]!, row, encoded));
      tf.dispose([encoded.source, encoded.mask]);
    });
    trainer.dispose();
    model.dispose();
  });
});
