import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/errors.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { ArrayBatchSource } from '../training/array-batch-source.js';
import { Trainer, type TrainerOptions } from '../training/trainer.js';
import { sealFolder } from './sealed-folder.js';
import { folderCheckpoints as checkpoints } from './training-checkpoint.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 4,
  source: { vocabSize: 7 },
  target: { vocabSize: 7 },
  encoder: { name: 'toy', size: 3 },
  decoder: { name: 'toy', hidden: 3 },
};
const specials = { pad: 0, bos: 1, eos: 2 };
const pairs = [[3], [4, 5], [6, 3, 4], [5]].map((s) => ({ source: s, target: s }));
const train = new ArrayBatchSource(pairs, { batchSize: 2, specials, seed: 1 });
const valid = new ArrayBatchSource(pairs, { batchSize: 4, specials });
// Epoch 0 scores best, epoch 1 worse: early stopping must keep epoch 0's weights.
const scripted = {
  name: 'scripted',
  evaluate: (_: Seq2Seq, c: { epoch: number }) => [2, 1][c.epoch]!,
};
const weightsOf = (model: Seq2Seq) =>
  [...model.parameters()].map(([k, v]) => [k, Array.from(v.dataSync())] as const);

describe('training checkpoints', () => {
  let root: string;
  let dir: string;
  let saved: ReturnType<typeof weightsOf>;
  let best: ReturnType<typeof weightsOf>;
  beforeAll(async () => {
    await pinBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 's2s-trainckpt-'));
    dir = join(root, 'good');
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05, checkpoints });
    const result = await trainer.fit(train, {
      epochs: 2,
      maxSteps: 3, // stops in epoch 1, after the validation of epoch 0
      validation: valid,
      metric: scripted,
      monitor: 'metric',
      earlyStopping: { patience: 2 },
      onEpoch: () => {
        best = weightsOf(model);
      },
      checkpoint: { dir },
    });
    expect(result.stopReason).toBe('max-steps');
    saved = weightsOf(model);
    trainer.dispose();
    model.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('restores weights, progress and the best weights kept for early stopping', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05, checkpoints });
    await trainer.restore(dir);
    expect(weightsOf(model)).toEqual(saved);
    expect(trainer.progress).toMatchObject({ step: 3, epoch: 1, batch: 1, badEpochs: 0 });
    expect(trainer.progress.best).toMatchObject({ epoch: 0, step: 2 });
    let trained: ReturnType<typeof weightsOf> = [];
    const result = await trainer.fit(train, {
      epochs: 2,
      validation: valid,
      metric: scripted,
      monitor: 'metric',
      earlyStopping: { patience: 2 },
      onEpoch: () => {
        trained = weightsOf(model);
      },
    });
    expect(result.epochs.map((e) => e.improved)).toEqual([false]);
    expect(result.best).toMatchObject({ epoch: 0, value: 2 });
    expect(trained).not.toEqual(best);
    expect(weightsOf(model), 'the best weights came back from the checkpoint').toEqual(best);
    trainer.dispose();
    model.dispose();
  });

  /** Copies the good checkpoint, damages the copy, and expects restore to fail cleanly. */
  async function expectFailure(
    name: string,
    damage: (copy: string) => Promise<void>,
    file: string,
    problem: RegExp,
    options: { config?: ModelConfig; trainer?: TrainerOptions } = {},
  ) {
    const copy = join(root, name);
    await cp(dir, copy, { recursive: true });
    await damage(copy);
    const model = Seq2Seq.build(options.config ?? config, registry);
    const trainer = new Trainer(model, { ...options.trainer, checkpoints });
    const before = weightsOf(model);
    const tensors = tf.memory().numTensors;
    const error = await trainer.restore(copy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).file).toBe(join(copy, file));
    expect((error as CheckpointError).problem).toMatch(problem);
    expect(weightsOf(model), 'a failed restore changes nothing').toEqual(before);
    expect(trainer.progress.step).toBe(0);
    expect(tf.memory().numTensors, 'a failed restore frees what it read').toBe(tensors);
    trainer.dispose();
    model.dispose();
  }

  it('a missing trainer.json', () =>
    expectFailure('no-trainer', (c) => rm(join(c, 'trainer.json')), 'trainer.json', /missing/));

  it('a truncated trainer.json', () =>
    expectFailure(
      'cut-trainer',
      async (c) => truncate(join(c, 'trainer.json'), 30),
      'trainer.json',
      /has 30 bytes, \d+ expected: the file is truncated/,
    ));

  it('malformed progress', () =>
    expectFailure(
      'bad-progress',
      async (c) => {
        const file = JSON.parse(await readFile(join(c, 'trainer.json'), 'utf8'));
        file.progress.step = -1;
        await writeFile(join(c, 'trainer.json'), JSON.stringify(file));
        await sealFolder(c); // consistent checksums: the content itself is checked
      },
      'trainer.json',
      /malformed 'progress'/,
    ));

  it('a truncated optimizer file', () =>
    expectFailure(
      'cut-optimizer',
      (c) => truncate(join(c, 'optimizer', 'weights.bin'), 8),
      'optimizer/weights.bin',
      /truncated/,
    ));

  it.each(['model', 'best'])('corrupted %s weights', (part) =>
    expectFailure(
      `flip-${part}`,
      async (c) => {
        const bytes = await readFile(join(c, part, 'weights.bin'));
        bytes[3] = bytes[3]! ^ 0xff;
        await writeFile(join(c, part, 'weights.bin'), bytes);
      },
      `${part}/weights.bin`,
      /corrupted/,
    ),
  );

  it('a model of another config', () =>
    expectFailure(
      'other-model',
      async () => {},
      'model/model.json',
      /config.decoder.hidden: checkpoint 3, model 4/,
      {
        config: { ...config, decoder: { name: 'toy', hidden: 4 } },
      },
    ));

  it('a trainer with another optimizer', () =>
    expectFailure(
      'other-optimizer',
      async () => {},
      'trainer.json',
      /adam optimizer; this trainer uses sgd/,
      {
        trainer: { optimizer: 'sgd' },
      },
    ));

  it('an optimizer manifest naming a file outside the checkpoint', () =>
    expectFailure(
      'escape-optimizer',
      async (c) => {
        const path = join(c, 'optimizer', 'weights.json');
        const manifest = JSON.parse(await readFile(path, 'utf8'));
        manifest[0].paths = ['../../../../../../../../etc/passwd'];
        await writeFile(path, JSON.stringify(manifest));
        await sealFolder(c);
      },
      'checksums.json',
      /names the file .*etc\/passwd.*refused|outside/,
    ));

  it('a checkpoint whose optimizer checksum was deleted', () =>
    expectFailure(
      'no-optimizer-sum',
      async (c) => {
        const file = JSON.parse(await readFile(join(c, 'trainer.json'), 'utf8'));
        delete file.optimizer.sha256;
        await writeFile(join(c, 'trainer.json'), JSON.stringify(file));
        const bytes = await readFile(join(c, 'optimizer', 'weights.bin'));
        bytes[3] = bytes[3]! ^ 0xff;
        await writeFile(join(c, 'optimizer', 'weights.bin'), bytes);
        await sealFolder(c);
      },
      'trainer.json',
      /no 'optimizer\.sha256' checksum; it is mandatory/,
    ));

  it('a corrupted optimizer file, checked by the checkpoint checksums', () =>
    expectFailure(
      'flip-optimizer',
      async (c) => {
        const bytes = await readFile(join(c, 'optimizer', 'weights.bin'));
        bytes[3] = bytes[3]! ^ 0xff;
        await writeFile(join(c, 'optimizer', 'weights.bin'), bytes);
      },
      'optimizer/weights.bin',
      /does not match the checksum recorded in checksums\.json/,
    ));

  it('a checkpoint without checksums', () =>
    expectFailure(
      'unsealed',
      (c) => rm(join(c, 'checksums.json')),
      'checksums.json',
      /is missing: every file .*'s2s seal/,
    ));
});
