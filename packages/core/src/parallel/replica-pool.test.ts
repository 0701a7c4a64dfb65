import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncodedSources, TaskExample, TaskPipeline } from '../contracts/task.js';
import { WorkerError } from '../errors/errors.js';
import { makeBatch, padSequences } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { Rng } from '../module/seed.js';
import { folderCheckpoints } from '../node/training-checkpoint.js';
import { registry } from '../registry/registry.js';
import { TaskModel } from '../task-model/task-model.js';
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

/** A model trained a little, so that outputs differ from row to row. */
function trainedModel(): Seq2Seq {
  const model = Seq2Seq.build(config, registry);
  const trainer = new Trainer(model, { learningRate: 0.05 });
  for (const b of source().epoch(0)) {
    trainer.step(b);
    for (const t of Object.values(b)) (t as tf.Tensor).dispose();
  }
  trainer.dispose();
  return model;
}

/** Batches of different sizes and source lengths (1–6, 1–3, …), as a corpus's batches are. */
function corpus(): { source: tf.Tensor2D; mask: tf.Tensor2D }[] {
  return [7, 3, 9, 1, 5, 8].map((rows, i) => {
    const rng = new Rng(20 + i);
    const sources = Array.from({ length: rows }, () =>
      Array.from({ length: 1 + rng.int(1 + (i % 3) * 2) }, () => 3 + rng.int(7)),
    );
    const { ids, mask } = padSequences(sources, specials.pad);
    return { source: ids, mask };
  });
}

/** Token lists equal, scores within 1e-5: what one thread decoded, another thread decoded. */
function expectSameHypotheses(found: unknown[][][], expected: unknown[][][]): void {
  type H = { tokens: number[]; score: number; logProb: number; tokenLogProbs: number[] };
  expect(found.length).toBe(expected.length);
  found.forEach((batch, b) => {
    expect(batch.length, `batch ${b}`).toBe(expected[b]!.length);
    batch.forEach((row, r) => {
      const [f, e] = [row[0] as H, expected[b]![r]![0] as H];
      expect(f.tokens, `batch ${b} row ${r}`).toEqual(e.tokens);
      expect(Math.abs(f.score - e.score), `batch ${b} row ${r}`).toBeLessThan(1e-5);
      f.tokenLogProbs.forEach((lp, t) =>
        expect(Math.abs(lp - e.tokenLogProbs[t]!)).toBeLessThan(1e-5),
      );
    });
  });
}

describe('whole batches on free threads', () => {
  beforeAll(async () => {
    await pinBackend('wasm');
    await import(argmax);
  });

  for (const mainThread of [true, false]) {
    it(`batches of different lengths sent at once come back as one thread decodes them, in call order (mainThread: ${mainThread})`, async () => {
      const model = trainedModel();
      const batches = corpus();
      const strategy = registry.create('search', { name: 'test-argmax' });
      const alone: unknown[][][] = [];
      for (const b of batches)
        alone.push(await model.generate(b.source, b.mask, strategy, { maxLength: 8 }));
      const pool = await ReplicaPool.start(model, {
        workers: 2,
        plugins: [...plugins, argmax],
        mainThread,
      });
      expect(pool.size).toBe(2);
      const pooled = await Promise.all(
        batches.map((b) =>
          pool.generateBatch(b.source, b.mask, { name: 'test-argmax' }, { maxLength: 8 }),
        ),
      );
      expectSameHypotheses(pooled, alone);
      // The outputs differ from input to input, so a reordering would show.
      const outputs = new Set(
        alone.flat().map((h) => (h[0] as { tokens: number[] }).tokens.join(' ')),
      );
      expect(outputs.size).toBeGreaterThan(4);
      // Both threads took batches, and every batch was decoded once.
      const counts = pool.batchCounts();
      expect(counts).toHaveLength(2);
      expect(
        counts.every((c) => c > 0),
        `${counts}`,
      ).toBe(true);
      expect(counts[0]! + counts[1]!).toBe(batches.length);
      expect(pool.waiting).toBe(0);
      for (const b of batches) tf.dispose([b.source, b.mask]);
      await pool.close();
      model.dispose();
    });
  }

  it('leaks no tensor in the main thread or in any worker', async () => {
    const model = trainedModel();
    const pool = await ReplicaPool.start(model, { workers: 3, plugins: [...plugins, argmax] });
    const batches = corpus();
    const run = () =>
      Promise.all(
        batches.map((b) =>
          pool.generateBatch(b.source, b.mask, { name: 'test-argmax' }, { maxLength: 6 }),
        ),
      );
    await run(); // the first searches may create lasting state (kernels, not tensors)
    const before = tf.memory().numTensors;
    const workersBefore = (await pool.memory()).map((m) => m.numTensors);
    await run();
    await run();
    expect(tf.memory().numTensors).toBe(before);
    expect((await pool.memory()).map((m) => m.numTensors)).toEqual(workersBefore);
    for (const b of batches) tf.dispose([b.source, b.mask]);
    await pool.close();
    model.dispose();
  });

  it('a worker that dies fails its batch and the waiting ones with a WorkerError; nothing hangs', async () => {
    await import(crashing);
    const model = Seq2Seq.build({ ...config, encoder: { name: 'toy-crash', size: 8 } }, registry);
    const pool = await ReplicaPool.start(model, {
      workers: 1,
      plugins: [...plugins, argmax, crashing],
      mainThread: false,
    });
    const batches = corpus();
    const outcomes = await Promise.allSettled(
      batches.map((b) =>
        pool.generateBatch(b.source, b.mask, { name: 'test-argmax' }, { maxLength: 4 }),
      ),
    );
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WorkerError);
    }
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(
      /worker 1: exited unexpectedly \(code 3\)/,
    );
    // Later calls fail at once with the same error.
    const b = batches[0]!;
    await expect(
      pool.generateBatch(b.source, b.mask, { name: 'test-argmax' }, { maxLength: 4 }),
    ).rejects.toBeInstanceOf(WorkerError);
    for (const x of batches) tf.dispose([x.source, x.mask]);
    await pool.close();
    model.dispose();
  });

  it('refuses gradients on a pool whose main thread does not compute', async () => {
    const model = Seq2Seq.build(config, registry);
    const pool = await ReplicaPool.start(model, { workers: 1, plugins, mainThread: false });
    const [batch] = source().epoch(0);
    await expect(pool.gradients(batch!, { labelSmoothing: 0 }, [0])).rejects.toThrow(/mainThread/);
    for (const t of Object.values(batch!)) (t as tf.Tensor).dispose();
    await pool.close();
    model.dispose();
  });

  it('TaskModel.decode over a pool gives the one-thread texts and scores in input order, by batches or by rows', async () => {
    const model = trainedModel();
    const taskModel = new TaskModel({
      model,
      task: digitsTask,
      settings: { ...digitsTask.defaults },
      pipeline: new DigitsPipeline(),
    });
    // Inputs of lengths 1–6 in no order, so batches differ in length.
    const rng = new Rng(77);
    const texts = Array.from({ length: 23 }, () =>
      Array.from({ length: 1 + rng.int(6) }, () => String(rng.int(7))).join(''),
    );
    const alone = await taskModel.decode(texts, { batchSize: 4 });
    expect(new Set(alone.map((d) => d.hypotheses[0]!.text)).size).toBeGreaterThan(5);
    for (const mainThread of [true, false]) {
      const pool = await ReplicaPool.start(model, {
        workers: 2,
        plugins: [...plugins, argmax],
        mainThread,
      });
      for (const spread of ['auto', 'batches', 'rows'] as const) {
        const before = tf.memory().numTensors;
        const pooled = await taskModel.decode(texts, { batchSize: 4, pool, spread });
        expect(tf.memory().numTensors).toBe(before);
        expect(pooled.map((d) => d.input)).toEqual(texts);
        expect(pooled.map((d) => d.hypotheses[0]!.text)).toEqual(
          alone.map((d) => d.hypotheses[0]!.text),
        );
        pooled.forEach((d, i) =>
          expect(Math.abs(d.hypotheses[0]!.score - alone[i]!.hypotheses[0]!.score)).toBeLessThan(
            1e-5,
          ),
        );
      }
      // 'auto' and 'batches' sent 6 whole batches each; 'rows' none.
      expect(pool.batchCounts().reduce((a, b) => a + b, 0)).toBe(12);
      await pool.close();
    }
    taskModel.dispose();
  });
});

/** Digits 0–6 as the toy model's ids 3–9; the output is read back the same way. */
class DigitsPipeline implements TaskPipeline {
  modelConfig() {
    return config;
  }
  batches(): never {
    throw new Error('not used');
  }
  encode(inputs: readonly string[]): EncodedSources {
    const labels = inputs.map((input) => [...input]);
    const { ids, mask } = padSequences(
      labels.map((l) => l.map((c) => 3 + Number(c))),
      specials.pad,
    );
    return { source: ids, mask, labels };
  }
  decode(h: { tokens: readonly number[] }) {
    const tokens = h.tokens.map((id) => String(id - 3));
    return { text: tokens.join(''), tokens };
  }
  evaluate(_outputs: readonly string[], _examples: readonly TaskExample[]): never {
    throw new Error('not used');
  }
  toJSON() {
    return {};
  }
}

const digitsTask = {
  name: 'test-digits',
  description: 'toy digits',
  defaults: {
    model: config,
    training: {},
    search: { name: 'test-argmax', maxLength: 8 },
    data: {},
  },
  read: () => {
    throw new Error('not used');
  },
  fit: async () => new DigitsPipeline(),
  restore: () => new DigitsPipeline(),
};

afterAll(() => {});

describe('ReplicaPool options', () => {
  beforeAll(() => pinBackend('wasm'));

  it('refuses bad options before starting any thread, naming the option', async () => {
    const model = Seq2Seq.build(config, registry);
    await expect(ReplicaPool.start(model, { workers: 0, plugins })).rejects.toThrow(
      /ReplicaPool: option 'workers': too small.*got 0/,
    );
    await expect(
      ReplicaPool.start(model, { workers: 2, plugins, mainThred: false } as never),
    ).rejects.toThrow(/unknown option 'mainThred' \(did you mean 'mainThread'\?\)/);
    model.dispose();
  });
});
