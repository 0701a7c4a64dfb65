import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../contracts/encoder.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { loadModel } from '../node/model-folder.js';
import { folderCheckpoints } from '../node/training-checkpoint.js';
import { dropout } from '../ops/dropout.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins, ToyEncoder } from '../testing/toy-modules.js';
import { tidyTree } from '../tree/tensor-tree.js';
import { ArrayBatchSource, type Example } from './array-batch-source.js';
import type { BatchSource } from './batch-source.js';
import type { CheckpointEvent, FitOptions, StepEvent } from './fit-options.js';
import { exportOptimizerState } from './optimizer-state.js';
import { exponentialSampling, inverseSqrtSchedule, stepDecay } from './schedules.js';
import { Trainer, type TrainerOptions } from './trainer.js';

// The toy encoder with dropout on its states: training then draws seeds from the trainer's
// RNG, so exact resume also needs the RNG state.
const registry = new Registry();
registerToyPlugins(registry);
registry.register({
  kind: 'encoder',
  name: 'toy-dropout',
  create: (o, c): Encoder => {
    const inner = new ToyEncoder(c.sizes.sourceVocab!, o.size as number, c.seed);
    return {
      outputSize: inner.outputSize,
      finalSizes: inner.finalSizes,
      encode: (source, mask, options) =>
        tidyTree(() => {
          const memory = inner.encode(source, mask, options);
          return { ...memory, states: dropout(memory.states, o.rate as number, options) };
        }),
      parameters: () => inner.parameters(),
      dispose: () => inner.dispose(),
    };
  },
});
const config: ModelConfig = {
  seed: 7,
  source: { vocabSize: 8 },
  target: { vocabSize: 8 },
  encoder: { name: 'toy-dropout', size: 6, rate: 0.3 },
  decoder: { name: 'toy', hidden: 6 },
};
const specials = { pad: 0, bos: 1, eos: 2 };
const copies = (n: number, seed: number): Example[] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const s = Array.from({ length: 1 + rng.int(4) }, () => 3 + rng.int(5));
    return { source: s, target: [...s].reverse() };
  });
};
const train = new ArrayBatchSource(copies(15, 1), { batchSize: 5, specials, seed: 2 });
const valid = new ArrayBatchSource(copies(6, 3), { batchSize: 6, specials });
const EPOCHS = 4; // 3 batches each: 12 steps

/** Everything a run produced that must not depend on interruptions. */
interface Trace {
  steps: StepEvent[];
  validation: (number | undefined)[];
  weights: Map<string, Float32Array>;
  optimizer: Map<string, number[]>;
  best: unknown;
}

const optionsFor = (kind: 'adam' | 'sgd'): TrainerOptions =>
  kind === 'adam'
    ? {
        seed: 9,
        checkpoints: folderCheckpoints,
        learningRate: inverseSqrtSchedule({ peak: 0.03, warmupSteps: 4 }),
        labelSmoothing: 0.1,
        scheduledSampling: { probability: exponentialSampling(0.9) },
      }
    : {
        optimizer: 'sgd',
        seed: 9,
        checkpoints: folderCheckpoints,
        learningRate: stepDecay({ initial: 0.3, factor: 0.5, everySteps: 5 }),
      };

/** Runs `fit` on a fresh model and trainer, restoring `from` first when given. */
async function run(
  kind: 'adam' | 'sgd',
  fit: Partial<FitOptions>,
  from?: string,
): Promise<Trace & { stopReason: string; checkpoints: CheckpointEvent[] }> {
  const model = Seq2Seq.build(config, registry);
  const trainer = new Trainer(model, optionsFor(kind));
  if (from) await trainer.restore(from);
  const steps: StepEvent[] = [];
  const checkpoints: CheckpointEvent[] = [];
  const result = await trainer.fit(train, {
    epochs: EPOCHS,
    validation: valid,
    earlyStopping: { patience: 10 },
    ...fit,
    onStep: async (e) => {
      steps.push(e);
      await fit.onStep?.(e);
    },
    onCheckpoint: (e) => {
      checkpoints.push(e);
    },
  });
  const state = await exportOptimizerState(kind, trainer.optimizer, model.parameters());
  const trace = {
    stopReason: result.stopReason,
    checkpoints,
    steps,
    validation: result.epochs.map((e) => e.validation?.loss),
    weights: new Map([...model.parameters()].map(([k, v]) => [k, v.dataSync() as Float32Array])),
    optimizer: new Map([...state].map(([k, t]) => [k, Array.from(t.dataSync())])),
    best: result.best,
  };
  tf.dispose([...state.values()]);
  trainer.dispose();
  model.dispose();
  return trace;
}

/** What a step reports, without the wall-clock throughput. */
const exact = (steps: StepEvent[]) => steps.map(({ tokensPerSecond: _, ...rest }) => rest);

describe('checkpoints and exact resume', () => {
  let dir: string;
  beforeAll(async () => {
    await pinBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 's2s-resume-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['adam', 'sgd'] as const)(
    '%s: N steps, checkpoint, M more in a fresh model and trainer equals N + M steps, bit for bit',
    async (kind) => {
      const whole = await run(kind, {});
      expect(whole.steps).toHaveLength(12);
      const ckpt = join(dir, `${kind}-ckpt`);
      // Stop after 5 steps: in the middle of epoch 1, after one validation.
      const first = await run(kind, { maxSteps: 5, checkpoint: { dir: ckpt } });
      expect(first.stopReason).toBe('max-steps');
      const rest = await run(kind, {}, ckpt);
      expect(rest.steps[0]!.step).toBe(6);
      expect(exact([...first.steps, ...rest.steps])).toEqual(exact(whole.steps));
      expect([...first.validation, ...rest.validation]).toEqual(whole.validation);
      expect(rest.weights).toEqual(whole.weights);
      expect(rest.optimizer).toEqual(whole.optimizer);
      expect(rest.best).toEqual(whole.best);
    },
  );

  it('abort (Ctrl-C) finishes the step, writes a checkpoint and resumes exactly', async () => {
    const whole = await run('adam', {});
    const ckpt = join(dir, 'abort-ckpt');
    const controller = new AbortController();
    const first = await run('adam', {
      checkpoint: { dir: ckpt },
      signal: controller.signal,
      onStep: (e) => {
        if (e.step === 7) controller.abort();
      },
    });
    expect(first.stopReason).toBe('aborted');
    expect(first.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(first.checkpoints).toEqual([{ dir: ckpt, step: 7, reason: 'abort' }]);
    const file = JSON.parse(await readFile(join(ckpt, 'trainer.json'), 'utf8'));
    expect(file.progress).toMatchObject({ step: 7, epoch: 2, batch: 1 });
    const rest = await run('adam', {}, ckpt);
    expect(exact([...first.steps, ...rest.steps])).toEqual(exact(whole.steps));
    expect(rest.weights).toEqual(whole.weights);
  });

  it('abort during validation leaves that epoch to be validated on resume', async () => {
    const whole = await run('adam', {});
    const ckpt = join(dir, 'abort-valid-ckpt');
    const controller = new AbortController();
    // Aborts while the first validation is running (the signal is checked between batches).
    const aborting: BatchSource = {
      *epoch(i) {
        controller.abort();
        yield* valid.epoch(i);
      },
    };
    const first = await run('adam', {
      validation: aborting,
      checkpoint: { dir: ckpt },
      signal: controller.signal,
    });
    expect(first.stopReason).toBe('aborted');
    expect(first.validation).toEqual([]);
    const file = JSON.parse(await readFile(join(ckpt, 'trainer.json'), 'utf8'));
    expect(file.progress).toMatchObject({ step: 3, epoch: 0, batch: 3 });
    const rest = await run('adam', {}, ckpt);
    expect(rest.validation).toEqual(whole.validation);
    expect(exact([...first.steps, ...rest.steps])).toEqual(exact(whole.steps));
    expect(rest.weights).toEqual(whole.weights);
  });

  it('writes a complete checkpoint every N steps, atomically, and one at the end', async () => {
    const ckpt = join(dir, 'every', 'ckpt');
    const seen: { step: number; files: string[]; progress: number; loads: boolean }[] = [];
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, optionsFor('adam'));
    await trainer.fit(train, {
      epochs: 2,
      checkpoint: { dir: ckpt, everySteps: 2 },
      onCheckpoint: async ({ step }) => {
        const files = (await readdir(ckpt, { recursive: true })).map(String).sort();
        const progress = JSON.parse(await readFile(join(ckpt, 'trainer.json'), 'utf8')).progress;
        const loaded = await loadModel(join(ckpt, 'model'), { registry });
        const loads = [...loaded.model.parameters()].every(([k, v]) =>
          tf.tidy(() => tf.equal(v, model.parameters().get(k)!).all().dataSync()[0] === 1),
        );
        loaded.model.dispose();
        seen.push({ step, files, progress: progress.step, loads });
        // Nothing half-written beside it: the temporary folder was renamed into place.
        expect(await readdir(join(dir, 'every'))).toEqual(['ckpt']);
      },
    });
    expect(seen.map((s) => s.step)).toEqual([2, 4, 6, 6]);
    for (const s of seen) {
      expect(s.progress).toBe(s.step);
      expect(s.loads).toBe(true);
      expect(s.files).toEqual([
        'checksums.json',
        'model',
        'model/checksums.json',
        'model/model.json',
        'model/weights.bin',
        'model/weights.json',
        'optimizer',
        'optimizer/weights.bin',
        'optimizer/weights.json',
        'trainer.json',
      ]);
    }
    // A write that fails half-way leaves the previous checkpoint as it was.
    const before = await readFile(join(ckpt, 'trainer.json'), 'utf8');
    await expect(
      trainer.saveCheckpoint(ckpt, { metadata: { unserialisable: 1n } as never }),
    ).rejects.toThrow(/BigInt/);
    expect(await readFile(join(ckpt, 'trainer.json'), 'utf8')).toBe(before);
    expect(await readdir(join(dir, 'every'))).toEqual(['ckpt']);
    trainer.dispose();
    model.dispose();
  });
});
