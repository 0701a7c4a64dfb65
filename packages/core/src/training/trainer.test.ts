import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
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
      /unknown option 'learningrate'/,
    );
    expect(() => new Trainer(model, { optimizer: 'lbfgs' as never })).toThrow(ConfigError);
    expect(() => new Trainer(model, { clipNorm: -1 })).toThrow(/clipNorm/);
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
