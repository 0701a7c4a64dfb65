import {
  ConfigError,
  type Hypothesis,
  registry,
  Seq2Seq,
  type TaskExample,
  type Tokenizer,
  Vocabulary,
} from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { DataError, WordTokenizer } from '@s2s/data';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, examples } from '../../test/helpers.js';
import '../register.js';
import { readTranslationExamples } from '../node/read-examples.js';
import { samplePath } from '../node/sample.js';
import { translationDefaults } from '../settings/defaults.js';
import { translationTask } from '../translation-task.js';
import { TranslationPipeline } from './translation-pipeline.js';

const settings = translationDefaults;
let sample: TaskExample[];
let pipeline: TranslationPipeline;

/** A finished hypothesis emitting `ids` then `<eos>`. */
function hypothesis(ids: readonly number[]): Hypothesis {
  const tokens = [...ids, 2];
  return { tokens, score: 0, logProb: 0, tokenLogProbs: tokens.map(() => 0), finished: true };
}

describe('TranslationPipeline', () => {
  beforeAll(async () => {
    await pinBackend('wasm');
    sample = await collect(readTranslationExamples(samplePath, 12));
    pipeline = await translationTask.fit(sample, {
      ...settings,
      data: { tokenizer: { name: 'bpe', vocabSize: 1500 } },
    });
  });

  it('learns a joint BPE and one vocabulary per language from the training pairs', () => {
    expect(pipeline.tokenizer.name).toBe('bpe');
    // Every piece of every training sentence is in its side's vocabulary: no <unk>.
    for (const e of sample.slice(0, 500)) {
      const stats = { unknown: 0 };
      pipeline.source.encode(pipeline.tokenizer.encode(e.input), {}, stats);
      pipeline.target.encode(pipeline.tokenizer.encode(e.references[0]!), {}, stats);
      expect(stats.unknown).toBe(0);
    }
    expect(pipeline.source.has('▁I')).toBe(true);
    expect(pipeline.target.has('▁Je')).toBe(true);
    expect(pipeline.source.has('▁Je')).toBe(false);
  });

  it('encodes sentences to padded ids and a mask, labelled with their tokens', () => {
    const inputs = ["I'm happy.", 'You are very tall.'];
    const encoded = pipeline.encode(inputs);
    try {
      const tokens = inputs.map((s) => pipeline.tokenizer.encode(s));
      const width = Math.max(...tokens.map((t) => t.length));
      expect(encoded.source.shape).toEqual([2, width]);
      expect(encoded.labels).toEqual(tokens);
      const ids = encoded.source.arraySync() as number[][];
      const mask = encoded.mask.arraySync();
      tokens.forEach((t, row) => {
        expect(ids[row]!.slice(0, t.length).map((id) => pipeline.source.token(id))).toEqual(t);
        expect(ids[row]!.slice(t.length).every((id) => id === 0)).toBe(true);
        expect(mask[row]).toEqual(Array.from({ length: width }, (_, j) => (j < t.length ? 1 : 0)));
      });
    } finally {
      tf.dispose([encoded.source, encoded.mask]);
    }
  });

  it('decodes a hypothesis to detokenised text and its tokens, <eos> included', () => {
    const french = "Je suis désolé, je n'ai pas d'argent.";
    const pieces = pipeline.tokenizer.encode(french);
    const encoded = pipeline.encode(['x']);
    const out = pipeline.decode(hypothesis(pipeline.target.encode(pieces)), 0, encoded);
    tf.dispose([encoded.source, encoded.mask]);
    expect(out.text).toBe(french);
    expect(out.tokens).toEqual([...pieces, '<eos>']);
  });

  it('rejects an empty or over-long input with a DataError naming its line', () => {
    const long = Array.from({ length: 37 }, () => 'word').join(' ');
    const cases: [string[], RegExp][] = [
      [['Hello.', '   '], /^input:2: empty input/],
      [[''], /^input:1: empty input/],
      [['Hi.', 'Yes.', long], /^input:3: 37 words, more than maxInputWords 36/],
      [[], /no inputs/],
    ];
    for (const [inputs, message] of cases) {
      const before = tf.memory().numTensors;
      const error = (() => {
        try {
          pipeline.encode(inputs);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(message);
      expect(tf.memory().numTensors).toBe(before);
    }
    const exactly36 = Array.from({ length: 36 }, () => 'word').join(' ');
    const ok = pipeline.encode([exactly36]);
    tf.dispose([ok.source, ok.mask]);
  });

  it('restores from JSON (through a string) to identical encodings and decodings', () => {
    const json = JSON.parse(JSON.stringify(pipeline.toJSON()));
    const restored = translationTask.restore(json, settings);
    const inputs = sample.slice(0, 50).map((e) => e.input);
    const a = pipeline.encode(inputs);
    const b = restored.encode(inputs);
    try {
      expect(b.source.arraySync()).toEqual(a.source.arraySync());
      expect(b.mask.arraySync()).toEqual(a.mask.arraySync());
      expect(b.labels).toEqual(a.labels);
      for (const e of sample.slice(0, 50)) {
        const ids = pipeline.target.encode(pipeline.tokenizer.encode(e.references[0]!));
        expect(restored.decode(hypothesis(ids), 0, b)).toEqual(
          pipeline.decode(hypothesis(ids), 0, a),
        );
      }
    } finally {
      tf.dispose([a.source, a.mask, b.source, b.mask]);
    }
    expect(restored.source.toJSON()).toEqual(pipeline.source.toJSON());
    expect(restored.target.toJSON()).toEqual(pipeline.target.toJSON());
  });

  it('rejects saved state that is not its own', () => {
    const good = pipeline.toJSON();
    for (const bad of [
      null,
      {},
      { ...good, format: 'other' },
      { ...good, version: 2 },
      { ...good, tokenizer: undefined },
      { ...good, vocabularies: { source: good.vocabularies.source } },
    ]) {
      expect(() => translationTask.restore(bad, settings)).toThrow(ConfigError);
    }
  });

  it('batches every training pair once per epoch, sources and framed targets intact', () => {
    const some = sample.slice(0, 300);
    const source = pipeline.batches(some, {
      batchSize: 32,
      maxTokens: 400,
      seed: 3,
      shuffle: true,
    });
    const seen: string[] = [];
    for (const batch of source.epoch(0)) {
      const [b, s] = batch.source.shape as [number, number];
      expect(b).toBeLessThanOrEqual(32);
      expect(b * Math.max(s, batch.targetOut.shape[1])).toBeLessThanOrEqual(400);
      const src = batch.source.arraySync() as number[][];
      const tgtIn = batch.targetIn.arraySync();
      const tgtOut = batch.targetOut.arraySync();
      src.forEach((ids, row) => {
        const input = pipeline.tokenizer.decode(pipeline.source.decode(ids));
        const target = pipeline.tokenizer.decode(pipeline.target.decode(tgtOut[row]!));
        expect(tgtIn[row]![0]).toBe(1); // <bos>
        seen.push(`${input}\t${target}`);
      });
      tf.dispose(Object.values(batch));
    }
    const expected = some.map(
      (e) => `${pipeline.tokenizer.decode(pipeline.tokenizer.encode(e.input))}\t${e.references[0]}`,
    );
    expect(seen.sort()).toEqual(expected.sort());
    // The order is seeded: the same seed gives the same first batch, another seed another.
    const first = (seed: number) => {
      const [batch] = pipeline.batches(some, { batchSize: 32, seed, shuffle: true }).epoch(0);
      const ids = batch!.source.arraySync();
      tf.dispose(Object.values(batch!));
      return JSON.stringify(ids);
    };
    expect(first(3)).toBe(first(3));
    expect(first(3)).not.toBe(first(4));
  });

  it('batches a full-size corpus, each batch of nearly equal lengths', () => {
    // 160,000 pairs of 1–12 words: more than a call's arguments may hold, so a pool sort
    // that spread every pair into one call would overflow the stack. Words split at spaces
    // keep tokenizing out of the test's time.
    const spaces: Tokenizer = {
      name: 'spaces',
      encode: (text) => text.split(' '),
      decode: (tokens) => tokens.join(' '),
      toJSON: () => ({ name: 'spaces' }),
    };
    const words = ['un', 'deux', 'trois', 'quatre'];
    const vocabulary = new Vocabulary(words);
    const small = new TranslationPipeline({
      tokenizer: spaces,
      source: vocabulary,
      target: vocabulary,
      maxInputWords: 12,
    });
    const many = Array.from({ length: 160_000 }, (_, i) => {
      const text = Array.from({ length: 1 + ((i * 7) % 12) }, (_, j) => words[(i + j) % 4]);
      return { input: text.join(' '), references: [text.join(' ')] };
    });
    const source = small.batches(many, { batchSize: 64, seed: 1, shuffle: true });
    expect(source.length).toBe(Math.ceil(many.length / 64));
    let checked = 0;
    for (const batch of source.epoch(0)) {
      const lengths = (batch.sourceMask.sum(1).arraySync() as number[]).sort((a, b) => a - b);
      expect(lengths.at(-1)! - lengths[0]!).toBeLessThanOrEqual(1);
      tf.dispose(Object.values(batch));
      if (++checked === 20) break;
    }
  });

  it('fills the recipe with vocabulary sizes and specials, and the default recipe builds', () => {
    const config = pipeline.modelConfig(settings.model);
    expect(config.source).toEqual({ vocabSize: pipeline.source.size });
    expect(config.target).toEqual({ vocabSize: pipeline.target.size });
    expect(config.specials).toEqual({ pad: 0, bos: 1, eos: 2 });
    expect(config.encoder).toEqual(settings.model.encoder);
    const model = Seq2Seq.build(config);
    expect(model.output.vocabSize).toBe(pipeline.target.size);
    model.dispose();
  });

  it('takes any registered tokenizer by name, e.g. word', async () => {
    const words = await translationTask.fit(
      examples([
        ["I'm sad.", 'Je suis triste.'],
        ["You're sad.", 'Tu es triste.'],
      ]),
      { ...settings, data: { tokenizer: { name: 'word' } } },
    );
    expect(words.tokenizer).toBeInstanceOf(WordTokenizer);
    expect(words.target.has('triste')).toBe(true);
    const restored = translationTask.restore(JSON.parse(JSON.stringify(words)), settings);
    expect(restored.tokenizer.toJSON()).toEqual(words.tokenizer.toJSON());
    expect(registry.has('tokenizer', 'word')).toBe(true);
  });
});
