import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { folderCheckpoints as checkpoints } from '../node/training-checkpoint.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { ArrayBatchSource, type Example } from './array-batch-source.js';
import type { EpochEvent, StepEvent } from './fit-options.js';
import { stepDecay, withWarmup } from './schedules.js';
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
const copies = (n: number, seed: number): Example[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 1 + rng.int(4) }, () => 3 + rng.int(5));
    return { source: s, target: s };
  });
};
const trainSet = copies(24, 1);
const validSet = copies(8, 2);
const train = new ArrayBatchSource(trainSet, { batchSize: 8, specials, seed: 3 });
const valid = new ArrayBatchSource(validSet, { batchSize: 5, specials, shuffle: false });
const weightsOf = (model: Seq2Seq) =>
  new Map([...model.parameters()].map(([name, v]) => [name, Array.from(v.dataSync())]));

describe('Trainer.fit', () => {
  beforeAll(() => pinBackend('wasm'));

  it('drives the loss down and reports loss, tokens, learning rate and throughput per step', async () => {
    const model = Seq2Seq.build(config, registry);
    const schedule = withWarmup(stepDecay({ initial: 0.1, factor: 0.5, everySteps: 12 }), 3);
    const trainer = new Trainer(model, { learningRate: schedule });
    const steps: StepEvent[] = [];
    const epochs: EpochEvent[] = [];
    const result = await trainer.fit(train, {
      epochs: 8,
      onStep: (e) => {
        steps.push(e);
      },
      onEpoch: (e) => {
        epochs.push(e);
      },
    });
    expect(result.stopReason).toBe('completed');
    expect(result.progress).toMatchObject({ step: 24, epoch: 8, batch: 0 });
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(steps.map((s) => s.batch)).toEqual([...Array(8)].flatMap(() => [1, 2, 3]));
    expect(steps.every((s) => s.batches === 3 && s.tokensPerSecond > 0)).toBe(true);
    steps.forEach((s) => expect(s.learningRate).toBe(schedule(s.step)));
    // Every epoch sees every example once: |y| + 1 target tokens each (<eos> included).
    const perEpoch = trainSet.reduce((n, e) => n + e.target.length + 1, 0);
    expect(steps.slice(0, 3).reduce((n, s) => n + s.tokens, 0)).toBe(perEpoch);
    // The epoch's loss is the token-weighted mean of its steps' losses.
    const first = steps.slice(0, 3);
    expect(epochs[0]!.trainLoss).toBeCloseTo(
      first.reduce((a, s) => a + s.loss * s.tokens, 0) / perEpoch,
      10,
    );
    expect(epochs[7]!.trainLoss!).toBeLessThan(epochs[0]!.trainLoss! * 0.55);
    expect(result.epochs).toEqual(epochs);
    trainer.dispose();
    model.dispose();
  });

  it('validation gives the mean NLL per real target token, and the metric the caller computes', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.02 });
    const seen: number[] = [];
    const result = await trainer.fit(train, {
      epochs: 1,
      validation: valid,
      metric: {
        name: 'answer',
        evaluate: (m, { epoch }) => {
          expect(m).toBe(model);
          seen.push(epoch);
          return 42;
        },
      },
    });
    // By hand: Σ over examples and positions of −log P(y_t | y_<t, x), over Σ (|y| + 1).
    let nll = 0;
    let tokens = 0;
    for (const e of validSet) {
      const batch = makeBatch([e.source], [e.target], specials);
      const logProbs = tf.tidy(() =>
        model.forward(batch, { training: false }).logProbs.arraySync(),
      );
      [...e.target, specials.eos].forEach((y, t) => {
        nll -= logProbs[0]![t]![y]!;
        tokens++;
      });
      disposeBatch(batch);
    }
    const [event] = result.epochs;
    expect(event!.validation!.tokens).toBe(tokens);
    expect(event!.validation!.loss).toBeCloseTo(nll / tokens, 5);
    expect(event!.validation!.metric).toBe(42);
    expect(seen).toEqual([0]);
    expect(result.best).toMatchObject({ epoch: 0, step: 3, value: event!.validation!.loss });
    trainer.dispose();
    model.dispose();
  });

  it('early stopping waits `patience` epochs without improvement, then restores the best weights', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.02 });
    const script = [1, 3, 2, 2.5, 2.9, 5, 6];
    const snapshots: Map<string, number[]>[] = [];
    const result = await trainer.fit(train, {
      epochs: 7,
      monitor: 'metric',
      metric: {
        name: 'scripted',
        evaluate: (m, { epoch }) => {
          snapshots.push(weightsOf(m));
          return script[epoch]!;
        },
      },
      earlyStopping: { patience: 3 },
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochs.map((e) => [e.improved, e.badEpochs])).toEqual([
      [true, 0],
      [true, 0],
      [false, 1],
      [false, 2],
      [false, 3],
    ]);
    expect(result.best).toMatchObject({ epoch: 1, step: 6, value: 3, metric: 3 });
    expect(weightsOf(model)).toEqual(snapshots[1]);
    expect(weightsOf(model)).not.toEqual(snapshots[4]);
    // A later fit on the same trainer stays stopped.
    expect(
      (
        await trainer.fit(train, {
          epochs: 9,
          earlyStopping: { patience: 3 },
          monitor: 'metric',
          metric: { name: 'scripted', evaluate: () => 0 },
        })
      ).stopReason,
    ).toBe('early-stopping');
    trainer.dispose();
    model.dispose();
  });

  it('minDelta: smaller changes do not count as improvements; lower is better for loss', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.02 });
    const script = [1, 1.2, 1.4, 1.6];
    const result = await trainer.fit(train, {
      epochs: 4,
      monitor: 'metric',
      metric: { name: 'slow', evaluate: (_, { epoch }) => script[epoch]! },
      earlyStopping: { patience: 2, minDelta: 0.5, restoreBest: false },
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochs.map((e) => e.improved)).toEqual([true, false, false]);
    const second = new Trainer(model, { learningRate: 0.02 });
    const byLoss = await second.fit(train, { epochs: 3, validation: valid });
    second.dispose();
    const losses = byLoss.epochs.map((e) => e.validation!.loss!);
    expect(byLoss.best!.value).toBe(Math.min(...losses));
    trainer.dispose();
    model.dispose();
  });

  it('leaks no tensor across whole fits: memory is flat between fits and back to baseline after dispose', async () => {
    const model = Seq2Seq.build(config, registry);
    const baseline = tf.memory().numTensors;
    const trainer = new Trainer(model, {
      learningRate: 0.02,
      scheduledSampling: { probability: 0.3 },
      checkpoints,
    });
    const dir = await mkdtemp(join(tmpdir(), 's2s-fit-'));
    const options = {
      validation: valid,
      earlyStopping: { patience: 5 },
      metric: { name: 'constant', evaluate: () => 1 },
      checkpoint: { dir: join(dir, 'ckpt'), everySteps: 2 },
    };
    await trainer.fit(train, { ...options, epochs: 2 });
    const afterTwo = tf.memory().numTensors;
    await trainer.fit(train, { ...options, epochs: 4 });
    expect(trainer.progress.epoch).toBe(4);
    expect(tf.memory().numTensors).toBe(afterTwo);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects bad options, naming them', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model);
    await expect(trainer.fit(train, { epochs: 0 })).rejects.toThrow(
      "fit: option 'epochs': too small: expected number to be >0, got 0",
    );
    await expect(trainer.fit(train, { epochs: 1, epochz: 2 } as never)).rejects.toThrow(
      /unknown option 'epochz' \(did you mean 'epochs'\?\)/,
    );
    await expect(
      trainer.fit(train, {
        epochs: 1,
        validation: train,
        earlyStopping: { patience: 1, minDleta: 0 },
      } as never),
    ).rejects.toThrow(/unknown option 'earlyStopping.minDleta' \(did you mean 'minDelta'\?\)/);
    await expect(
      trainer.fit(train, {
        epochs: 1,
        metric: { name: 'm', goal: 'up', evaluate: () => 0 },
      } as never),
    ).rejects.toThrow(/option 'metric.goal': .*"max".*"min".*, got 'up'/);
    await expect(trainer.fit(train, { epochs: 1, earlyStopping: { patience: 2 } })).rejects.toThrow(
      /early stopping on 'loss' needs a 'validation' source/,
    );
    await expect(trainer.fit(train, { epochs: 1, monitor: 'metric' })).rejects.toThrow(ConfigError);
    await expect(
      trainer.fit(train, { epochs: 1, checkpoint: { dir: 'x', everySteps: 0 } }),
    ).rejects.toThrow(/checkpoint.everySteps/);
    expect(trainer.progress.step).toBe(0);
    trainer.dispose();
    model.dispose();
  });
});
