import { type Batch, ConfigError, disposeBatch } from '@s2s/core';
import { expectNoLeaks, pinBackend } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures.js';
import { collect } from '../../test/helpers.js';
import type { Features } from '../audio/features.js';
import { DataError } from '../errors/data-error.js';
import { readTsvPairs } from '../node/read-files.js';
import { WordTokenizer } from '../tokenizers/word.js';
import { buildVocabulary, TokenCounter } from '../vocabulary/build-vocabulary.js';
import { BucketBatchSource, type Example } from './bucket-batch-source.js';

const specials = { pad: 0, bos: 1, eos: 2 };

/** The shipped eng-fra pairs as word ids: the realistic mix of lengths bucketing is for. */
async function engFra(): Promise<Example[]> {
  const words = new WordTokenizer({ lowercase: true });
  const pairs = await collect(readTsvPairs(fixture('eng-fra.tsv')));
  const tokens = pairs.map((p) => [words.encode(p.source), words.encode(p.target)] as const);
  const counter = new TokenCounter();
  for (const [s, t] of tokens) counter.add(s).add(t);
  const v = buildVocabulary(counter);
  return tokens.map(([s, t]) => ({ source: v.encode(s), target: v.encode(t) }));
}

function rows(batch: Batch, key: 'source' | 'targetOut'): number[][] {
  return batch[key].arraySync() as number[][];
}

/** Padded positions over real ones, summed over an epoch. */
function padding(source: BucketBatchSource, examples: Example[]): number {
  let padded = 0;
  for (const plan of source.plan(0)) {
    const width = Math.max(...plan.map((i) => (examples[i]!.source as number[]).length));
    padded += plan.reduce((sum, i) => sum + width - (examples[i]!.source as number[]).length, 0);
  }
  return padded;
}

describe('BucketBatchSource', () => {
  beforeAll(() => pinBackend('cpu'));

  it('visits every example once per epoch, in an order fixed by (seed, epoch)', async () => {
    const examples = await engFra();
    const a = new BucketBatchSource(examples, { specials, seed: 7, batchSize: 6 });
    const b = new BucketBatchSource(examples, { specials, seed: 7, batchSize: 6 });
    for (const epoch of [0, 1, 5]) {
      expect(
        a
          .plan(epoch)
          .flat()
          .sort((x, y) => x - y),
      ).toEqual(examples.map((_, i) => i));
      expect(b.plan(epoch)).toEqual(a.plan(epoch));
    }
    expect(a.plan(1)).not.toEqual(a.plan(0));
    expect(
      new BucketBatchSource(examples, { specials, seed: 8, batchSize: 6 }).plan(0),
    ).not.toEqual(a.plan(0));
    expect(() => a.plan(-1)).toThrow(ConfigError);
  });

  it('pads rows with masks exactly as the examples it was given', async () => {
    const examples = await engFra();
    const source = new BucketBatchSource(examples, { specials, seed: 1, batchSize: 5 });
    const plan = source.plan(2);
    let n = 0;
    for (const batch of source.epoch(2)) {
      const ids = rows(batch, 'source');
      const mask = batch.sourceMask.arraySync();
      const out = rows(batch, 'targetOut');
      plan[n]!.forEach((i, r) => {
        const { source: src, target } = examples[i]! as { source: number[]; target: number[] };
        expect(ids[r]!.slice(0, src.length)).toEqual(src);
        expect(ids[r]!.slice(src.length).every((id) => id === specials.pad)).toBe(true);
        expect(mask[r]!.map((m) => m === 1)).toEqual(ids[r]!.map((_, j) => j < src.length));
        expect(out[r]!.slice(0, target.length + 1)).toEqual([...target, specials.eos]);
      });
      disposeBatch(batch);
      n++;
    }
    expect(n).toBe(plan.length);
    expect(source.length).toBe(plan.length);
  });

  it('keeps every batch under batchSize and maxTokens, counting padding', async () => {
    const examples = await engFra();
    const source = new BucketBatchSource(examples, { specials, batchSize: 8, maxTokens: 60 });
    for (const batch of source.epoch(0)) {
      const [b, s] = batch.source.shape as [number, number];
      const t = batch.targetOut.shape[1]!;
      expect(b).toBeLessThanOrEqual(8);
      expect(b * Math.max(s, t)).toBeLessThanOrEqual(60);
      disposeBatch(batch);
    }
  });

  it('cuts padding by bucketing similar lengths together', async () => {
    const examples = await engFra();
    const options = { specials, seed: 3, batchSize: 8 };
    const bucketed = padding(new BucketBatchSource(examples, options), examples);
    const mixed = padding(
      new BucketBatchSource(examples, { ...options, bucketing: false }),
      examples,
    );
    expect(bucketed).toBeLessThan(mixed / 2);
  });

  it('resumes mid-epoch exactly: a new source with the same seed replays the same batches', async () => {
    const examples = await engFra();
    const first = [
      ...new BucketBatchSource(examples, { specials, seed: 4, batchSize: 4 }).epoch(3),
    ];
    const resumed = [
      ...new BucketBatchSource(examples, { specials, seed: 4, batchSize: 4 }).epoch(3),
    ];
    expect(resumed.map((b) => rows(b, 'source'))).toEqual(first.map((b) => rows(b, 'source')));
    [...first, ...resumed].forEach(disposeBatch);
  });

  it('batches feature sources, augmenting them with per-epoch seeds', () => {
    const features = (frames: number, value: number): Features => ({
      data: new Float32Array(frames * 3).fill(value),
      frames,
      features: 3,
    });
    const examples = [4, 2, 6, 3].map((frames, i) => ({
      source: features(frames, i + 1),
      target: [5, 6],
    }));
    const seen: number[] = [];
    const source = new BucketBatchSource(examples, {
      specials,
      batchSize: 4,
      augment: (f, seed) => {
        seen.push(seed);
        return f;
      },
    });
    const [batch] = [...source.epoch(0)];
    expect(batch!.source.shape).toEqual([4, 6, 3]);
    const data = batch!.source.arraySync() as number[][][];
    const order = source.plan(0)[0]!;
    order.forEach((i, r) => {
      const frames = examples[i]!.source.frames;
      expect(data[r]!.map((frame) => frame[0])).toEqual(
        Array.from({ length: 6 }, (_, s) => (s < frames ? i + 1 : 0)),
      );
    });
    disposeBatch(batch!);
    [...source.epoch(0)].forEach(disposeBatch);
    expect(seen.slice(4)).toEqual(seen.slice(0, 4));
    [...source.epoch(1)].forEach(disposeBatch);
    expect(seen.slice(8)).not.toEqual(seen.slice(0, 4));
  });

  it('leaks no tensor once the trainer disposes each batch', async () => {
    const examples = await engFra();
    const source = new BucketBatchSource(examples, { specials, batchSize: 16 });
    await expectNoLeaks(() => {
      for (const batch of source.epoch(0)) disposeBatch(batch);
    });
  });

  it('plans a data set of any size with the default pool (300k examples)', () => {
    const n = 300_000;
    const many = Array.from({ length: n }, (_, i) => ({
      source: Array.from({ length: 1 + (i % 7) }, () => 3),
      target: [3],
    }));
    const source = new BucketBatchSource(many, { batchSize: 64, seed: 1, specials });
    const plan = source.plan(0);
    const seen = new Uint8Array(n);
    for (const batch of plan) for (const i of batch) seen[i]!++;
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('rejects empty examples and examples that cannot fit maxTokens', () => {
    expect(() => new BucketBatchSource([{ source: [], target: [4] }], { specials })).toThrow(
      DataError,
    );
    expect(() => new BucketBatchSource([{ source: [4], target: [] }], { specials })).toThrow(
      /example 0 has an empty target/,
    );
    expect(() => new BucketBatchSource([], { specials })).toThrow(/no examples/);
    expect(
      () =>
        new BucketBatchSource([{ source: [4, 5, 6, 7], target: [4] }], { specials, maxTokens: 3 }),
    ).toThrow(/example 0 needs 4 padded positions/);
    expect(
      () =>
        new BucketBatchSource([{ source: [4], target: [4] }], { specials, batchSzie: 2 } as never),
    ).toThrow(/BucketBatchSource: unknown option 'batchSzie' \(did you mean 'batchSize'\?\)/);
    expect(
      () => new BucketBatchSource([{ source: [4], target: [4] }], { specials, maxTokens: 0 }),
    ).toThrow(/option 'maxTokens': .*>0, got 0/);
    expect(
      () =>
        new BucketBatchSource([{ source: [4], target: [4] }], {
          specials: { pad: 0, bos: 1 } as never,
        }),
    ).toThrow(/option 'specials\.eos' is required/);
  });
});
