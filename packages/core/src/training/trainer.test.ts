import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, NonFiniteLossError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { loadModel } from '../node/model-folder.js';
import { folderCheckpoints as checkpoints } from '../node/training-checkpoint.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { clipByGlobalNorm } from './clip.js';
import { Trainer } from './trainer.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 1,
  source: { vocabSize: 8 },
  target: { vocabSize: 8 },
  encoder: { name: 'toy', size: 8 },
  decoder: { name: 'toy', hidden: 8 },
};
const specials = { pad: 0, bos: 1, eos: 2 };
const copyBatch = () =>
  makeBatch(
    [
      [3, 4, 5],
      [6, 7],
      [5, 3],
    ],
    [
      [3, 4, 5],
      [6, 7],
      [5, 3],
    ],
    specials,
  );

describe('Trainer', () => {
  beforeAll(() => pinBackend('wasm'));

  it('drives the loss down on a tiny copy task without leaking tensors', () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05 });
    const batch = copyBatch();
    const before = tf.memory().numTensors;
    const first = trainer.step(batch).loss;
    let last = first;
    for (let i = 0; i < 60; i++) last = trainer.step(batch).loss;
    // Adam creates its slot variables on the first step; after that nothing may accumulate.
    const afterFirstSteps = tf.memory().numTensors;
    trainer.step(batch);
    expect(tf.memory().numTensors).toBe(afterFirstSteps);
    expect(afterFirstSteps - before).toBe(2 * model.parameters().size);
    expect(last).toBeLessThan(first / 5);
    disposeBatch(batch);
    trainer.dispose();
    model.dispose();
  });

  it('the same seeds give the same training run', () => {
    const run = () => {
      const model = Seq2Seq.build(config, registry);
      const trainer = new Trainer(model, { seed: 5 });
      const batch = copyBatch();
      const losses = [0, 1, 2].map(() => trainer.step(batch).loss);
      disposeBatch(batch);
      trainer.dispose();
      model.dispose();
      return losses;
    };
    expect(run()).toEqual(run());
  });

  it('rejects unknown or out-of-range options', () => {
    const model = Seq2Seq.build(config, registry);
    expect(() => new Trainer(model, { learningrate: 1 } as never)).toThrow(
      /unknown option 'learningrate' \(did you mean 'learningRate'\?\)/,
    );
    expect(() => new Trainer(model, { scheduledSampling: { probability: 2 } })).toThrow(
      "Trainer: option 'scheduledSampling.probability': too big: expected number to be <=1, got 2",
    );
    expect(
      () =>
        new Trainer(model, {
          learningRate: { name: 'inverse-sqrt', peak: 1, warmupStep: 9 } as never,
        }),
    ).toThrow(/unknown option 'learningRate.warmupStep' \(did you mean 'warmupSteps'\?\)/);
    expect(() => new Trainer(model, { workers: 0 })).toThrow(/option 'workers': too small/);
    expect(() => new Trainer(model, { optimizer: 'lbfgs' as never })).toThrow(ConfigError);
    expect(() => new Trainer(model, { clipNorm: -1 })).toThrow(/clipNorm/);
    model.dispose();
  });

  it('checkpoints without a store are a ConfigError before any step, naming the Node entry', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model);
    const before = [...model.parameters().values()].map((v) => Array.from(v.dataSync()));
    let batches = 0;
    const source = {
      *epoch() {
        batches++;
        yield copyBatch();
      },
    };
    await expect(trainer.fit(source, { epochs: 1, checkpoint: { dir: 'ckpt' } })).rejects.toThrow(
      /checkpoints need a store.*folderCheckpoints from '@s2s\/core\/node'/,
    );
    expect(batches, 'no batch was read').toBe(0);
    expect([...model.parameters().values()].map((v) => Array.from(v.dataSync()))).toEqual(before);
    await expect(trainer.saveCheckpoint('ckpt')).rejects.toThrow(ConfigError);
    await expect(trainer.restore('ckpt')).rejects.toThrow(ConfigError);
    trainer.dispose();
    model.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by maxNorm / ‖g‖ when the norm exceeds it, else leaves them', () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]) };
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(Array.from(clipped.grads.a!.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(clipped.grads.b!.dataSync())).toEqual([0, expect.closeTo(0.8, 5)]);
    const untouched = clipByGlobalNorm(grads, 10);
    expect(Array.from(untouched.grads.b!.dataSync())).toEqual([0, 4]);
  });
});

describe('a NaN in a batch', () => {
  beforeAll(() => pinBackend('wasm'));
  /** The copy batch with one target mask entry NaN, as a poisoned input gives. */
  const poisoned = () => {
    const batch = copyBatch();
    const mask = batch.targetMask.arraySync() as number[][];
    mask[0]![0] = Number.NaN;
    batch.targetMask.dispose();
    return { ...batch, targetMask: tf.tensor2d(mask) };
  };
  const weightsOf = (model: Seq2Seq) =>
    [...model.parameters()].map(([name, v]) => [name, Array.from(v.dataSync())]);

  it('stops training before the update: weights and optimizer stay as they were', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05 });
    const good = copyBatch();
    trainer.step(good);
    const before = weightsOf(model);
    const bad = poisoned();
    const tensors = tf.memory().numTensors;
    expect(() => trainer.step(bad)).toThrow(NonFiniteLossError);
    expect(() => trainer.step(bad)).toThrow(/training step 2: expected a finite loss/);
    expect(weightsOf(model)).toEqual(before);
    expect(trainer.progress.step).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
    // The optimizer saw nothing: the next good step is the one an untouched run takes.
    const twin = Seq2Seq.build(config, registry);
    const twinTrainer = new Trainer(twin, { learningRate: 0.05 });
    twinTrainer.step(good);
    twinTrainer.step(good);
    trainer.step(good);
    expect(weightsOf(model)).toEqual(weightsOf(twin));
    for (const b of [good, bad]) disposeBatch(b);
    for (const d of [trainer, model, twinTrainer, twin]) d.dispose();
  });

  it("with nonFinite: 'skip', skips the batch and reports it", () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05, nonFinite: 'skip' });
    const before = weightsOf(model);
    const bad = poisoned();
    const report = trainer.step(bad);
    expect(report.skipped).toBe(true);
    expect(Number.isNaN(report.loss)).toBe(true);
    expect(weightsOf(model)).toEqual(before);
    expect(trainer.progress.step).toBe(0);
    disposeBatch(bad);
    trainer.dispose();
    model.dispose();
  });

  it('never overwrites a good checkpoint nor counts as best', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's2s-nan-'));
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05, checkpoints });
    const source = {
      *epoch() {
        yield copyBatch();
        yield copyBatch();
        yield poisoned();
      },
    };
    const error = await trainer
      .fit(source, { epochs: 1, checkpoint: { dir, everySteps: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const saved = JSON.parse(await readFile(join(dir, 'trainer.json'), 'utf8'));
    expect(saved.progress.step).toBe(2);
    expect(saved.progress.best).toBe(null);
    const loaded = await loadModel(join(dir, 'model'), { registry });
    for (const v of loaded.model.parameters().values()) {
      expect(v.dataSync().every(Number.isFinite)).toBe(true);
    }
    loaded.model.dispose();
    trainer.dispose();
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});
