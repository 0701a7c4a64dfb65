import {
  type Batch,
  ConfigError,
  disposeBatch,
  disposeTree,
  gatherTree,
  type Memory,
  type ModelConfig,
  makeBatch,
  Registry,
  Seq2Seq,
  ShapeError,
  Trainer,
} from '@s2s/core';
import {
  expectClose,
  expectGradientsMatchFiniteDifferences,
  expectNoLeaks,
  pinBackend,
  randomMemory,
  registerToyPlugins,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageAttention } from '../../test/toy-attentions.js';
import { createPointerGeneratorDecoder } from './pointer-generator-decoder.js';
import {
  createPointerGeneratorOutput,
  EXTENDED_IDS,
  PointerGeneratorOutput,
  PROBABILITY_FLOOR,
} from './pointer-generator-output.js';

const registry = new Registry();
registerToyPlugins(registry);
registry.register({
  kind: 'decoder',
  name: 'pointer-generator',
  create: createPointerGeneratorDecoder,
});
registry.register({
  kind: 'output',
  name: 'pointer-generator',
  create: createPointerGeneratorOutput,
});
registry.register({
  kind: 'attention',
  name: 'toy-coverage',
  create: (_o, c) => new CoverageAttention(c.sizes.memory!, c.sizes.query!, c.seed),
});

/**
 * A toy encoder, a toy coverage attention, and the pointer-generator decoder and output over
 * V = 8, K = 3.
 */
const config: ModelConfig = {
  seed: 3,
  source: { vocabSize: 8 },
  target: { vocabSize: 8 },
  encoder: { name: 'toy', size: 4 },
  decoder: {
    name: 'pointer-generator',
    attention: { name: 'toy-coverage' },
    embeddingSize: 3,
    hiddenSize: 4,
    coverageLoss: 0.5,
  },
  output: { name: 'pointer-generator', maxSourceOovs: 3, projectionSize: 5 },
};
const specials = { pad: 0, bos: 1, eos: 2 };

/**
 * Two sources whose out-of-vocabulary words (read as <unk> = 3 by the encoder) have
 * extended ids 8, 9; targets copy them, once as a word the output vocabulary also has.
 */
function copyBatch(): Batch {
  const batch = makeBatch(
    [
      [4, 3, 5, 3],
      [3, 6, 7],
    ],
    [
      [9, 4, 8],
      [8, 7],
    ],
    specials,
  );
  const ids = tf.tensor2d(
    [
      [4, 8, 5, 9],
      [8, 6, 7, 0],
    ],
    [2, 4],
    'int32',
  );
  return { ...batch, inputs: { [EXTENDED_IDS]: ids } };
}

/** Sets every parameter of a module from a path → values table. */
function assign(layer: PointerGeneratorOutput, values: Record<string, number[][] | number[]>) {
  for (const [path, v] of layer.parameters()) {
    tf.tidy(() => v.assign(tf.tensor(values[path]!, v.shape)));
  }
}

describe('PointerGeneratorOutput', () => {
  beforeAll(() => pinBackend('wasm'));
  afterAll(() => pinBackend('wasm'));

  it('mixes p_gen·P_vocab with (1 − p_gen)·Σ_{j: x_j = w} a_j, by hand on V = 4, K = 2', () => {
    const layer = new PointerGeneratorOutput({ inputSize: 2, vocabSize: 4, maxSourceOovs: 2 }, 1);
    // P_vocab = softmax(ln [1, 2, 3, 4]) = [.1, .2, .3, .4]; p_gen = σ(ln 3) = 3/4.
    assign(layer, {
      kernel: [
        [0, Math.log(2), Math.log(3), Math.log(4)],
        [5, 5, 5, 5],
      ],
      bias: [0, 0, 0, 0],
      genKernel: [[0], [7]],
      genBias: [Math.log(3)],
    });
    // Source ids: an OOV word (id 4) twice around an in-vocabulary word (id 2).
    const memory = {
      ...randomMemory({ lengths: [3], size: 2, seed: 1 }),
      extras: { [EXTENDED_IDS]: tf.tensor2d([[4, 2, 4]], [1, 3], 'int32') },
    };
    const features = tf.tensor2d([[1, 0]]);
    const weights = tf.tensor2d([[0.5, 0.3, 0.2]]);
    const p = tf.tidy(() => layer.logProbs(features, { memory, weights }).exp().arraySync());
    const want = [
      0.75 * 0.1,
      0.75 * 0.2,
      0.75 * 0.3 + 0.25 * 0.3,
      0.75 * 0.4,
      0.25 * (0.5 + 0.2),
      PROBABILITY_FLOOR,
    ];
    expect(layer.vocabSize).toBe(6);
    (p as number[][])[0]!.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    tf.dispose([features, weights]);
    disposeTree(memory);
    layer.dispose();
  });

  it('all T steps at once equal one step at a time, and each row sums to 1', () => {
    const layer = new PointerGeneratorOutput({ inputSize: 3, vocabSize: 5, maxSourceOovs: 2 }, 2);
    const memory: Memory = {
      ...randomMemory({ lengths: [3, 2], size: 2, seed: 2 }),
      extras: { [EXTENDED_IDS]: tf.tensor2d([5, 1, 6, 3, 5, 0], [2, 3], 'int32') },
    };
    const features = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const weights = tf.tidy(() =>
      tf.softmax(
        tf.add(tf.randomNormal([2, 4, 3], 0, 1, 'float32', 4), [[[0, 0, 0]], [[0, 0, -1e9]]]),
      ),
    ) as tf.Tensor3D;
    tf.tidy(() => {
      const all = layer.logProbs(features, { memory, weights });
      const steps = tf.stack(
        tf
          .unstack(features, 1)
          .map((f, t) => layer.logProbs(f, { memory, weights: tf.unstack(weights, 1)[t]! })),
        1,
      );
      expectClose(all, steps, 1e-6, 'log-probabilities');
      expectClose(tf.sum(tf.exp(all), 2), tf.ones([2, 4]), 1e-5, 'row sums');
    });
    tf.dispose([features, weights]);
    disposeTree(memory);
    layer.dispose();
  });

  it('gradients through decoder, copy mixture and masked NLL match finite differences', async () => {
    await pinBackend('cpu');
    const model = Seq2Seq.build(config, registry);
    const batch = copyBatch();
    try {
      expectGradientsMatchFiniteDifferences(model, () => model.loss(batch, { training: true }));
    } finally {
      disposeBatch(batch);
      model.dispose();
      await pinBackend('wasm');
    }
  });

  it('search can reorder it by gathering batch-major state and cache: extended ids and coverage travel along', () => {
    const model = Seq2Seq.build(config, registry);
    const batch = copyBatch();
    const step = model.stepModel();
    tf.tidy(() => {
      const memory = model.encode(batch.source, batch.sourceMask, {
        training: false,
        inputs: batch.inputs!,
      });
      // Each source twice, as a beam of 2 holds it; the rows then diverge and swap.
      const cache = gatherTree(step.prepare(memory), tf.tensor1d([0, 0, 1, 1], 'int32'));
      const first = step.step(tf.tensor1d([1, 1, 1, 1], 'int32'), step.initialState(cache), cache);
      const prev = tf.tensor1d([9, 4, 8, 3], 'int32');
      const next = step.step(prev, first.state, cache);
      const swap = tf.tensor1d([1, 0, 3, 2], 'int32');
      const moved = step.step(tf.gather(prev, swap), gatherTree(first.state, swap), cache);
      expect(next.logProbs.shape).toEqual([4, 11]);
      expectClose(moved.logProbs, tf.gather(next.logProbs, swap), 1e-6, 'reordered log P');
      expectClose(
        (moved.state as { attention: { coverage: tf.Tensor } }).attention.coverage,
        tf.gather((next.state as { attention: { coverage: tf.Tensor } }).attention.coverage, swap),
        1e-6,
        'reordered coverage',
      );
    });
    disposeBatch(batch);
    model.dispose();
  });

  it('trains inside Seq2Seq: the loss of copying drops, and nothing leaks', async () => {
    const model = Seq2Seq.build(config, registry);
    const trainer = new Trainer(model, { learningRate: 0.05 });
    const batch = copyBatch();
    const first = trainer.step(batch).loss;
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = trainer.step(batch).loss;
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first / 2);
    disposeBatch(batch);
    trainer.dispose();
    model.dispose();
  });

  it('fails fast, naming what is missing or misshapen', async () => {
    const layer = new PointerGeneratorOutput({ inputSize: 2, vocabSize: 4 }, 1);
    const base = randomMemory({ lengths: [3], size: 2, seed: 1 });
    const features = tf.zeros([1, 2]);
    const weights = tf.tensor2d([[0.5, 0.5, 0]]);
    const ids = (values: number[], dtype: 'int32' | 'float32' = 'int32') => ({
      ...base,
      extras: { [EXTENDED_IDS]: tf.tensor2d([values], [1, values.length], dtype) },
    });
    const [good, short, float] = [ids([4, 5, 6]), ids([4, 5]), ids([4, 5, 6], 'float32')];
    const wide = tf.zeros([1, 3]);
    await expectNoLeaks(() => {
      expect(() => layer.logProbs(features, { memory: good })).toThrow(/no attention weights/);
      expect(() => layer.logProbs(features, { memory: base, weights })).toThrow(
        /memory.extras has no 'extendedIds'/,
      );
      expect(() => layer.logProbs(features, { memory: short, weights })).toThrow(ShapeError);
      expect(() => layer.logProbs(features, { memory: float, weights })).toThrow(/dtype int32/);
      expect(() => layer.logProbs(wide, { memory: good, weights })).toThrow(/expected \[B, 2\]/);
    });
    tf.dispose([features, weights, wide]);
    disposeTree([base, good.extras, short.extras, float.extras]);
    layer.dispose();
  });

  it('validates its options, naming the bad one', () => {
    const make = (o: object) =>
      registry.create(
        'output',
        { name: 'pointer-generator', ...o },
        { sizes: { features: 4, targetVocab: 6 } },
      );
    expect(() => make({ maxSourceOovs: 0 })).toThrow(
      /option 'output\.maxSourceOovs': too small: expected number to be >0, got 0/,
    );
    expect(() => make({ projectionSize: -1 })).toThrow(
      /option 'output\.projectionSize': too small: expected number to be >=0, got -1/,
    );
    expect(() => make({ sourceIds: '' })).toThrow(
      /option 'output\.sourceIds': too small: .*, got ''/,
    );
    expect(() => make({ unk: 9 })).toThrow(
      /option 'output': 'unk' \(9\) must be an id below the target vocabulary size 6, got \{.*"unk":9.*\}$/,
    );
    expect(() => make({ tie: true })).toThrow(ConfigError);
    expect(() => make({ maxSourceOov: 3 })).toThrow(
      /unknown option 'output\.maxSourceOov' \(did you mean 'maxSourceOovs'\?\)/,
    );
    const layer = make({ maxSourceOovs: 7 });
    expect(layer.vocabSize).toBe(13);
    layer.dispose();
  });
});
