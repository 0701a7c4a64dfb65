import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerError } from '../errors/errors.js';
import { makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { folderCheckpoints } from '../node/training-checkpoint.js';
import { registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { ArrayBatchSource, type Example } from '../training/array-batch-source.js';
import { Trainer, type TrainerOptions } from '../training/trainer.js';
import { ReplicaPool, splitRows } from './replica-pool.js';

// Worker threads run the built `dist/` (the core test target builds first) and rebuild the
// model by name from the global registry after importing these modules.
const plugins = ['@s2s/core/toy/register'];
const fixture = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url).href;
const crashing = fixture('crashing-plugin.mjs');
const argmax = fixture('argmax-search.mjs');
registerToyPlugins(registry);

const config: ModelConfig = {
  seed: 3,
  source: { vocabSize: 10 },
  target: { vocabSize: 10 },
  encoder: { name: 'toy', size: 8 },
  decoder: { name: 'toy', hidden: 8 },
};
const specials = { pad: 0, bos: 1, eos: 2 };
/** Reversal pairs of lengths 1–6: shards of one batch differ in length and token count. */
const pairs = (n: number, seed: number): Example[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 1 + rng.int(6) }, () => 3 + rng.int(7));
    return { source: s, target: [...s].reverse() };
  });
};
const source = () => new ArrayBatchSource(pairs(35, 1), { batchSize: 7, specials, seed: 4 });

/** Losses of `steps` fit steps with the given trainer options. */
async function losses(options: TrainerOptions, steps: number): Promise<number[]> {
  const model = Seq2Seq.build(config, registry);
  const trainer = new Trainer(model, { learningRate: 0.02, seed: 5, plugins, ...options });
  const out: number[] = [];
  await trainer.fit(source(), {
    epochs: 100,
    maxSteps: steps,
    onStep: (e) => void out.push(e.loss),
  });
  await trainer.close();
  trainer.dispose();
  model.dispose();
  return out;
}

describe('data-parallel training', () => {
  beforeAll(() => pinBackend('wasm'));

  it('splitRows covers every row once, in order, in near-equal parts', () => {
    expect(splitRows(7, 2)).toEqual([
      [0, 4],
      [4, 3],
    ]);
    expect(splitRows(2, 3)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(splitRows(9, 3)).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
    ]);
  });

  it('two threads give the one-thread losses (to 1e-4) over 50 steps', async () => {
    const one = await losses({ workers: 1 }, 50);
    const two = await losses({ workers: 2 }, 50);
    expect(one).toHaveLength(50);
    expect(two).toHaveLength(50);
    // Training does move: the comparison is not between two flat lines.
    expect(one[49]!).toBeLessThan(one[0]! * 0.8);
    for (let i = 0; i < 50; i++)
      expect(Math.abs(two[i]! - one[i]!), `step ${i + 1}`).toBeLessThan(1e-4);
  });

  it('the shard gradients weighted by token share are the whole-batch gradient', async () => {
    // Two rows of very different lengths: weighting shards by 1/2 instead of by tokens
    // would be far off.
    const model = Seq2Seq.build(config, registry);
    const batch = makeBatch([[3, 4, 5, 6, 7, 8], [9]], [[8, 7, 6, 5, 4, 3], [9]], specials);
    const whole = tf.tidy(() => {
      const variables = [...model.parameters().values()];
      const { value, grads } = tf.variableGrads(
        () => model.loss(batch, { training: true, rng: new Rng(0) }),
        variables,
      );
      return { value, grads };
    });
    const pool = await ReplicaPool.start(model, { workers: 2, plugins });
    const split = await pool.gradients(batch, { labelSmoothing: 0 }, [0, 0]);
    expect(split.tokens).toBe(9);
    expect(split.value.dataSync()[0]).toBeCloseTo(whole.value.dataSync()[0]!, 5);
    for (const [name, g] of Object.entries(whole.grads)) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(g, split.grads[name]!))).dataSync()[0]!);
      expect(diff, name).toBeLessThan(1e-6);
    }
    tf.dispose([
      whole.value,
      split.value,
      ...Object.values(whole.grads),
      ...Object.values(split.grads),
    ]);
    for (const t of Object.values(batch)) (t as tf.Tensor).dispose();
    await pool.close();
    model.dispose();
  });

  it('leaks no tensor in the main thread or in any worker', async () => {
    const model = Seq2Seq.build(config, registry);
    await import(argmax);
    const trainer = new Trainer(model, { learningRate: 0.02, workers: 3, plugins });
    const pool = await ReplicaPool.start(model, { workers: 3, plugins: [...plugins, argmax] });
    const batches = [...source().epoch(0)];
    await trainer.stepAsync(batches[0]!); // Adam's slots appear on the first step
    const before = tf.memory().numTensors;
    const workersBefore = (await pool.memory()).map((m) => m.numTensors);
    for (const b of batches.slice(1)) {
      await trainer.stepAsync(b);
      const hypotheses = await pool.generate(
        b.source,
        b.sourceMask,
        { name: 'test-argmax' },
        { maxLength: 4 },
      );
      expect(hypotheses).toHaveLength(b.source.shape[0]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect((await pool.memory()).map((m) => m.numTensors)).toEqual(workersBefore);
    expect(workersBefore).toHaveLength(2);
    for (const b of batches) for (const t of Object.values(b)) (t as tf.Tensor).dispose();
    await pool.close();
    await trainer.close();
    trainer.dispose();
    model.dispose();
  });

  it('searches give the one-thread outputs, in input order', async () => {
    await import(argmax);
    const model = Seq2Seq.build(config, registry);
    // Some training, so outputs differ from row to row.
    const trainer = new Trainer(model, { learningRate: 0.05 });
    for (const b of source().epoch(0)) {
      trainer.step(b);
      for (const t of Object.values(b)) (t as tf.Tensor).dispose();
    }
    const pool = await ReplicaPool.start(model, { workers: 3, plugins: [...plugins, argmax] });
    const examples = pairs(11, 9);
    const batch = makeBatch(
      examples.map((e) => e.source),
      examples.map((e) => e.target),
      specials,
    );
    const strategy = registry.create('search', { name: 'test-argmax' });
    const alone = await model.generate(batch.source, batch.sourceMask, strategy, { maxLength: 8 });
    const pooled = await pool.generate(
      batch.source,
      batch.sourceMask,
      { name: 'test-argmax' },
      { maxLength: 8 },
    );
    expect(pooled).toEqual(alone);
    // Row by row too: each input decoded alone gives the same tokens, so order is kept.
    const outputs = new Set(alone.map((h) => h[0]!.tokens.join(' ')));
    expect(outputs.size).toBeGreaterThan(2);
    for (const t of Object.values(batch)) (t as tf.Tensor).dispose();
    await pool.close();
    trainer.dispose();
    model.dispose();
  });

  it('resumes exactly from a checkpoint taken mid-training', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's2s-workers-'));
    // Scheduled sampling draws from each shard's seed: resume must restore the seed stream.
    const options: TrainerOptions = {
      workers: 2,
      scheduledSampling: { probability: 0.5 },
      checkpoints: folderCheckpoints,
    };
    const straight = await losses(options, 12);
    const model = Seq2Seq.build(config, registry);
    const first = new Trainer(model, { learningRate: 0.02, seed: 5, plugins, ...options });
    const got: number[] = [];
    const onStep = (e: { loss: number }) => void got.push(e.loss);
    await first.fit(source(), { epochs: 100, maxSteps: 6, onStep, checkpoint: { dir } });
    first.dispose();
    model.dispose();
    const again = Seq2Seq.build(config, registry);
    const second = new Trainer(again, { learningRate: 0.02, seed: 5, plugins, ...options });
    await second.restore(dir);
    await second.fit(source(), { epochs: 100, maxSteps: 12, onStep });
    second.dispose();
    again.dispose();
    expect(got).toEqual(straight);
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker that dies fails the step with a WorkerError, and nothing hangs', async () => {
    await import(crashing);
    const model = Seq2Seq.build({ ...config, encoder: { name: 'toy-crash', size: 8 } }, registry);
    const trainer = new Trainer(model, { workers: 2, plugins: [...plugins, crashing] });
    const [batch] = source().epoch(0);
    const error = await trainer.stepAsync(batch!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(String(error)).toMatch(/worker 1: exited unexpectedly \(code 3\)/);
    for (const t of Object.values(batch!)) (t as tf.Tensor).dispose();
    trainer.dispose();
    model.dispose();
  });

  it('a plugin module that does not load is a WorkerError at start', async () => {
    const model = Seq2Seq.build(config, registry);
    const error = await ReplicaPool.start(model, {
      workers: 2,
      plugins: ['file:///nonexistent/s2s-plugin.js'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(String(error)).toMatch(/nonexistent/);
    model.dispose();
  });
});

afterAll(() => {});
