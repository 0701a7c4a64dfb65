import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hypothesis, TaskExample } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { DataError } from '@s2s/data';
import { nodeReadOptions } from '@s2s/data/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, tone, writeToneCorpus, writeWav } from '../../test/wav.js';
// Lets the pipeline's encode read WAV paths from the file system.
import '../node/index.js';
import { SpeechFeatures } from '../features/speech-features.js';
import type { SpeechPipeline } from './speech-pipeline.js';
import { speechTask } from './speech-task.js';

const features = { melBins: 12, stack: 2 };
let examples: TaskExample[];
let pipeline: SpeechPipeline;

beforeAll(async () => {
  await pinBackend('wasm');
  const corpus = writeToneCorpus(tempFolder(), { speakers: ['ann'], digits: [0, 1, 2], takes: 2 });
  const settings = {
    ...speechTask.defaults,
    data: { ...speechTask.defaults.data, features, utterances: { perSpeaker: 5, seed: 1 } },
  };
  examples = [];
  for await (const e of speechTask.read(corpus, settings, nodeReadOptions)) examples.push(e);
  pipeline = (await speechTask.fit(examples, settings)) as SpeechPipeline;
});

const hypothesis = (tokens: number[]): Hypothesis => ({
  tokens,
  score: 0,
  logProb: 0,
  tokenLogProbs: tokens.map(() => 0),
  finished: true,
});

describe('SpeechPipeline.batches', () => {
  it('batches [B, S, F] frames with masks of each length and word targets ending in <eos>', () => {
    const front = new SpeechFeatures(features);
    const clean = examples.map((e) => front.compute(pipelineSamples(e.input)));
    const source = pipeline.batches(examples, { batchSize: 2, seed: 1, shuffle: false });
    const plans = (source as unknown as { plan(i: number): number[][] }).plan(0);
    let seen = 0;
    [...source.epoch(0)].forEach((batch, b) => {
      const rows = plans[b]!;
      const s = Math.max(...rows.map((i) => clean[i]!.frames));
      expect(batch.source.shape).toEqual([rows.length, s, 24]);
      const mask = batch.sourceMask.arraySync();
      const out = batch.targetOut.arraySync();
      const data = batch.source.dataSync();
      rows.forEach((i, r) => {
        expect(mask[r]!.reduce((a, x) => a + x, 0)).toBe(clean[i]!.frames);
        // Validation batches are the clean features, unmasked.
        expect(Array.from(data.subarray(r * s * 24, r * s * 24 + clean[i]!.data.length))).toEqual(
          Array.from(clean[i]!.data),
        );
        const words = examples[i]!.references[0]!.split(' ');
        expect(out[r]!.slice(0, words.length + 1)).toEqual([
          ...words.map((w) => pipeline.vocabulary.id(w)),
          pipeline.vocabulary.eos,
        ]);
      });
      seen += rows.length;
      for (const t of Object.values(batch)) t.dispose();
    });
    expect(seen).toBe(examples.length);
  });

  it('masks training batches with SpecAugment, freshly each epoch, and never validation batches', () => {
    const zeros = (shuffle: boolean, epoch: number) => {
      const source = pipeline.batches(examples, { batchSize: 100, seed: 1, shuffle });
      const [batch] = [...source.epoch(epoch)];
      const mask = batch!.sourceMask.dataSync();
      const data = batch!.source.dataSync();
      // Cells exactly 0 at real frames: masked ones, and the zero half of a last stacked
      // frame of odd length.
      let count = 0;
      data.forEach((x, i) => {
        if (x === 0 && mask[Math.floor(i / 24)] === 1) count++;
      });
      const copy = Array.from(data);
      for (const t of Object.values(batch!)) t.dispose();
      return { count, copy };
    };
    const clean = zeros(false, 0).count;
    expect(zeros(false, 3).count).toBe(clean);
    const first = zeros(true, 0);
    expect(first.count).toBeGreaterThan(clean + 24);
    expect(zeros(true, 1).copy).not.toEqual(first.copy);
    expect(zeros(true, 0).copy).toEqual(first.copy);
  });
});

describe('SpeechPipeline.encode', () => {
  it('pads inputs to [B, S, F] with their masks, labelling frames by start time', () => {
    const folder = tempFolder();
    const short = writeWav(folder, 'short.wav', tone(400, 100, 8000), 8000);
    const long = writeWav(folder, 'long.wav', tone(400, 300, 8000), 8000);
    const encoded = pipeline.encode([short, long]);
    // 100 ms → 1 + ⌊(800 − 200)/80⌋ = 8 frames → 4 stacked; 300 ms → 28 → 14.
    expect(encoded.source.shape).toEqual([2, 14, 24]);
    expect(encoded.mask.sum(1).arraySync()).toEqual([4, 14]);
    expect(encoded.labels[0]).toEqual(['0.00s', '0.02s', '0.04s', '0.06s']);
    expect(encoded.labels[1]).toHaveLength(14);
    encoded.source.dispose();
    encoded.mask.dispose();
  });

  it('with data.pad, frames a recording in silence (and noise) before its features, never a built utterance', () => {
    const folder = tempFolder();
    const wav = writeWav(folder, 'word.wav', tone(400, 200, 8000, 0.3), 8000);
    const padded = (pad: unknown) =>
      speechTask.restore(pipeline.toJSON(), {
        ...speechTask.defaults,
        data: { ...speechTask.defaults.data, features, pad },
      }) as SpeechPipeline;
    const front = new SpeechFeatures(features);
    const array = (p: SpeechPipeline, input: string) => {
      const e = p.encode([input]);
      const out = Array.from(e.source.dataSync());
      tf.dispose([e.source, e.mask]);
      return out;
    };
    // By hand: 50 ms (400 samples) of silence, the tone, 50 ms of silence; at 200 dB the
    // noise is far below anything the features can see.
    const byHand = new Float32Array(400 + 1600 + 400);
    byHand.set(pipelineSamples(wav), 400);
    const expected = Array.from(front.compute(byHand).data);
    const quiet = padded({ edgeMs: 50, snrDb: 200 });
    const got = array(quiet, wav);
    expect(got).toHaveLength(expected.length);
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 3));
    // With audible noise: seeded, so the same file gives the same features twice.
    const noisy = padded({ edgeMs: 50, snrDb: 20 });
    expect(array(noisy, wav)).toEqual(array(noisy, wav));
    expect(array(noisy, wav)).not.toEqual(got);
    // A built utterance is framed by its own recipe already: pad leaves it alone.
    expect(array(noisy, examples[0]!.input)).toEqual(array(pipeline, examples[0]!.input));
    expect(() => padded({ edgeMs: 50 })).toThrow(/snrDb/);
    expect(() => padded({ edgeMs: 50, snrDb: 30, seed: 1 })).toThrow(
      /speech settings: unknown option 'data\.pad\.seed'; known options: edgeMs, snrDb/,
    );
    expect(() => padded({ edgeMs: 50, snrDB: 30 })).toThrow(
      /'data\.pad\.snrDB' \(did you mean 'snrDb'\?\)/,
    );
    expect(() => padded({ edgeMs: -5, snrDb: 30 })).toThrow(
      /option 'data\.pad\.edgeMs': .*>=0, got -5/,
    );
  });

  it('rejects bad and over-long inputs with a DataError', () => {
    const folder = tempFolder();
    const long = writeWav(folder, 'long.wav', tone(400, 31000, 8000), 8000);
    expect(() => pipeline.encode([long])).toThrow(/31\.0 s of audio .*at most 30 s/);
    expect(() => pipeline.encode([`${folder}/none.wav`])).toThrow(DataError);
    expect(() => pipeline.encode([])).toThrow(/no inputs/);
  });

  it('refuses a header claiming 1 Hz from the header, and NaN samples naming the file', () => {
    const folder = tempFolder();
    const slow = join(folder, 'slow.wav');
    writeFileSync(slow, floatWav(new Float32Array(1000).fill(0.1), 1));
    expect(() => pipeline.encode([slow])).toThrow(/slow\.wav: 1000\.0 s of audio .*at most 30 s/);
    const poisoned = tone(400, 500, 8000);
    poisoned[100] = Number.NaN;
    const nan = join(folder, 'nan.wav');
    writeFileSync(nan, floatWav(poisoned, 8000));
    expect(() => pipeline.encode([nan])).toThrow(/nan\.wav: sample 100 .* is NaN/);
    // The same clip among training examples fails the batch, naming the file.
    const bad = { ...examples[0]!, input: nan, origin: nan };
    expect(() => [
      ...pipeline.batches([examples[1]!, bad], { batchSize: 2, seed: 1, shuffle: true }).epoch(0),
    ]).toThrow(/nan\.wav: sample 100 .* is NaN/);
  });
});

describe('SpeechPipeline.decode', () => {
  it('joins words with spaces, stopping at <eos>, and lists every token emitted', () => {
    const v = pipeline.vocabulary;
    const decoded = pipeline.decode(hypothesis([v.id('two'), v.id('zero'), v.eos]));
    expect(decoded).toEqual({ text: 'two zero', tokens: ['two', 'zero', '<eos>'] });
  });

  it('joins characters as they are for character outputs', async () => {
    const chars = (await speechTask.fit(examples, {
      ...speechTask.defaults,
      data: { ...speechTask.defaults.data, outputs: 'character' },
    })) as SpeechPipeline;
    const ids = chars.vocabulary.encode([...'one two']);
    expect(chars.decode(hypothesis(ids)).text).toBe('one two');
  });
});

describe('SpeechPipeline.evaluate', () => {
  it('scores WER and CER (hand-worked), with word accuracy 1 − WER as the primary score', () => {
    const refs = ['seven three nine', 'two'].map((r) => ({ input: '', references: [r] }));
    const result = pipeline.evaluate(['seven three', 'one'], refs);
    // Words: "nine" deleted, "two" → "one" substituted: 2 errors in 4 words.
    // Characters: " nine" deleted (5), "two" → "one" three substitutions: 8 in 16 + 3.
    expect(result.primary).toBe('word_accuracy');
    expect(result.scores.wer).toBeCloseTo(50, 10);
    expect(result.scores.word_accuracy).toBeCloseTo(50, 10);
    expect(result.scores.cer).toBeCloseTo(800 / 19, 10);
    expect(() => pipeline.evaluate(['a'], [])).toThrow(/1 outputs for 0 examples/);
  });
});

function pipelineSamples(input: string): Float32Array {
  return (pipeline as unknown as { audio: { samples(i: string): Float32Array } }).audio.samples(
    input,
  );
}

/** A mono 32-bit IEEE float WAV. */
function floatWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.byteLength);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 3, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 32, true);
  ascii(36, 'data');
  view.setUint32(40, samples.byteLength, true);
  out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), 44);
  return out;
}
