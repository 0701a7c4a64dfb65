import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecoderForwardOptions } from '../contracts/decoder.js';
import type { SearchStrategy } from '../contracts/search.js';
import { ConfigError } from '../errors/errors.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { disposeTree } from '../tree/tensor-tree.js';
import { disposeBatch, makeBatch } from './batch.js';
import { forwardByStepping } from './forward-by-stepping.js';
import { type ModelConfig, Seq2Seq } from './seq2seq.js';

const registry = new Registry();
registerToyPlugins(registry);
const config: ModelConfig = {
  seed: 1,
  source: { vocabSize: 9 },
  target: { vocabSize: 8 },
  encoder: { name: 'toy', size: 6 },
  decoder: { name: 'toy', hidden: 5 },
};
const specials = { pad: 0, bos: 1, eos: 2 };

describe('Seq2Seq', () => {
  beforeAll(() => pinBackend('wasm'));

  it('refuses sizes whose parameters cannot fit, with the number, before allocating them', () => {
    const before = tf.memory().numTensors;
    const build = (hidden: number) => () =>
      Seq2Seq.build({ ...config, decoder: { name: 'toy', hidden } }, registry);
    // 12000 × 12000 float32 values: 576,000,000 bytes.
    expect(build(12000)).toThrow(ConfigError);
    expect(build(12000)).toThrow(
      "parameter 'inputKernel' of shape [12000, 12000] would take 549 MiB (1.44e+8 float32 values)",
    );
    expect(build(1e9)).toThrow(/of shape \[(\d+, )?1000000000(, \d+)?\] would take [\d.]+ GiB/);
    expect(tf.memory().numTensors, 'what was built before the refusal is freed').toBe(before);
  });

  it('names parameters by their place in the model', () => {
    const model = Seq2Seq.build(config, registry);
    expect([...model.parameters().keys()]).toEqual([
      'encoder.table',
      'encoder.kernel',
      'encoder.bias',
      'decoder.embedding',
      'decoder.inputKernel',
      'decoder.stateKernel',
      'decoder.bias',
      'decoder.attention.queryKernel',
      'output.kernel',
      'output.bias',
    ]);
    model.dispose();
  });

  it('loss is the mean of −log P(y_t) over real target tokens, by hand', () => {
    const model = Seq2Seq.build(config, registry);
    const batch = makeBatch(
      [[4, 5, 6], [7]],
      [
        [3, 4],
        [5, 6, 7],
      ],
      specials,
    );
    const logProbs = model.forward(batch, { training: false }).logProbs.arraySync();
    const gold = batch.targetOut.arraySync();
    const mask = batch.targetMask.arraySync();
    let sum = 0;
    let count = 0;
    gold.forEach((row, b) =>
      row.forEach((y, t) => {
        if (mask[b]![t]) {
          sum -= logProbs[b]![t]![y]!;
          count++;
        }
      }),
    );
    expect(count).toBe(7);
    expect(model.loss(batch, { training: false }).dataSync()[0]).toBeCloseTo(sum / count, 5);
    disposeBatch(batch);
    model.dispose();
  });

  it('padding the targets further does not change the loss', () => {
    const model = Seq2Seq.build(config, registry);
    const a = makeBatch([[4, 5], [6]], [[3], [4, 5]], specials);
    const b = makeBatch([[4, 5], [6], [4, 5, 6, 7]], [[3], [4, 5], [3, 3, 3, 3, 3]], specials);
    // The same two rows beside a third, longer one that widens every tensor: the two rows'
    // five real target tokens (<eos> included) must score exactly as before.
    const lossA = model.loss(a, { training: false }).dataSync()[0]!;
    const rowsOfB = tf.tidy(() => {
      const lp = model.forward(b, { training: false }).logProbs;
      const picked = tf.sum(tf.mul(lp, tf.oneHot(b.targetOut, 8)), 2);
      return tf.sum(tf.mul(picked, b.targetMask).slice([0, 0], [2, -1])).dataSync()[0]!;
    });
    expect(lossA).toBeCloseTo(-rowsOfB / 5, 5);
    disposeBatch(a);
    disposeBatch(b);
    model.dispose();
  });

  it('hands the decoder the target mask in teacher forcing, for masked extra losses', () => {
    const model = Seq2Seq.build(config, registry);
    const batch = makeBatch([[4], [5]], [[3], [4, 5]], specials);
    let seen: number[][] | undefined;
    Object.assign(model.decoder, {
      forward: (targetIn: tf.Tensor2D, cache: object, options: DecoderForwardOptions) => {
        seen = options.targetMask?.arraySync();
        return forwardByStepping(model.decoder, targetIn, cache, options);
      },
    });
    tf.dispose(model.loss(batch, { training: false }));
    expect(seen).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    disposeBatch(batch);
    model.dispose();
  });

  it('label smoothing mixes in the mean negative log-probability over the vocabulary', () => {
    const model = Seq2Seq.build(config, registry);
    const batch = makeBatch([[4]], [[3]], specials);
    const lp = model.forward(batch, { training: false }).logProbs.arraySync()[0]!;
    const eps = 0.1;
    const expected =
      lp
        .map((row, t) => {
          const y = batch.targetOut.arraySync()[0]![t]!;
          return (1 - eps) * -row[y]! + (eps * -row.reduce((a, b) => a + b, 0)) / row.length;
        })
        .reduce((a, b) => a + b, 0) / lp.length;
    expect(model.loss(batch, { training: false, labelSmoothing: eps }).dataSync()[0]).toBeCloseTo(
      expected,
      5,
    );
    disposeBatch(batch);
    model.dispose();
  });

  it('generate hands any search strategy a step model over the encoded source, and frees it', async () => {
    const model = Seq2Seq.build(config, registry);
    const before = tf.memory().numTensors;
    const probe: SearchStrategy = {
      name: 'probe',
      async search(step, memory, options) {
        expect(step.bos).toBe(1);
        expect(step.vocabSize).toBe(8);
        expect(memory.states.shape).toEqual([2, 3, 6]);
        const sums = tf.tidy(() => {
          const cache = step.prepare(memory);
          const r = step.step(tf.tensor1d([1, 1], 'int32'), step.initialState(cache), cache);
          return Array.from(r.logProbs.exp().sum(1).dataSync());
        });
        for (const s of sums) expect(s).toBeCloseTo(1, 5);
        return [
          [
            {
              tokens: [options.maxLength],
              score: 0,
              logProb: 0,
              tokenLogProbs: [0],
              finished: false,
            },
          ],
          [],
        ];
      },
    };
    const ids = tf.tensor2d(
      [
        [4, 5, 6],
        [7, 0, 0],
      ],
      [2, 3],
      'int32',
    );
    const mask = tf.tensor2d([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    const result = await model.generate(ids, mask, probe, { maxLength: 9 });
    expect(result[0]![0]!.tokens).toEqual([9]);
    tf.dispose([ids, mask]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('hands named source inputs to the encoder and on to the decoder in memory.extras', async () => {
    const seen: unknown[] = [];
    const r = new Registry();
    registerToyPlugins(r);
    r.register({
      kind: 'encoder',
      name: 'spy',
      create: (_o, c) => {
        const inner = r.create(
          'encoder',
          { name: 'toy', size: 6 },
          { seed: c.seed, sizes: c.sizes },
        );
        return {
          outputSize: inner.outputSize,
          finalSizes: inner.finalSizes,
          encode: (source, mask, options) => {
            seen.push(Object.keys(options.inputs ?? {}));
            return inner.encode(source, mask, options);
          },
          parameters: () => inner.parameters(),
          dispose: () => inner.dispose(),
        };
      },
    });
    const model = Seq2Seq.build({ ...config, encoder: { name: 'spy' } }, r);
    const question = tf.tensor2d([[5, 6]], [1, 2], 'int32');
    const ids = tf.tensor2d([[4, 5]], [1, 2], 'int32');
    const mask = tf.ones([1, 2]) as tf.Tensor2D;
    const memory = model.encode(ids, mask, { training: false, inputs: { question } });
    expect(seen).toEqual([['question']]);
    expect(memory.extras?.question).toBe(question);
    const probe: SearchStrategy = {
      name: 'probe',
      search: async (_m, mem) => {
        expect(Object.keys(mem.extras ?? {})).toEqual(['question']);
        return [[]];
      },
    };
    await model.generate(ids, mask, probe, { maxLength: 2 }, { question });
    tf.dispose([question, ids, mask, memory.states, memory.mask, ...memory.final]);
    model.dispose();
  });

  it('its step model owns what it prepares: disposing the cache leaves the memory intact', () => {
    const model = Seq2Seq.build(config, registry);
    const ids = tf.tensor2d([[4, 5]], [1, 2], 'int32');
    const mask = tf.ones([1, 2]) as tf.Tensor2D;
    const memory = model.encode(ids, mask, { training: false });
    const step = model.stepModel();
    const before = tf.memory().numTensors;
    const cache = step.prepare(memory);
    const state = step.initialState(cache);
    const r = step.step(tf.tensor1d([1], 'int32'), state, cache);
    disposeTree([cache, state, r]);
    expect(tf.memory().numTensors, 'only the prev-token tensor is left').toBe(before + 1);
    expect(memory.states.isDisposed).toBe(false);
    expect(memory.states.sum().dataSync()[0]).not.toBeNaN();
    disposeTree([ids, mask, memory]);
    model.dispose();
  });

  it('rejects malformed configs with errors that name the problem', () => {
    expect(() => Seq2Seq.build({ ...config, source: {} }, registry)).toThrow(
      /exactly one of 'vocabSize'/,
    );
    expect(() => Seq2Seq.build({ ...config, target: { vocabSize: 0 } }, registry)).toThrow(
      /target.vocabSize/,
    );
    expect(() => Seq2Seq.build({ ...config, encoder: { name: 'nope' } }, registry)).toThrow(
      "unknown encoder 'nope'; registered encoders: toy",
    );
    expect(() =>
      Seq2Seq.build({ ...config, output: { name: 'softmax', tie: 'yes' } }, registry),
    ).toThrow("option 'output.tie': invalid input: expected boolean, received string, got 'yes'");
    expect(() =>
      Seq2Seq.build({ ...config, output: { name: 'softmax', tei: true } }, registry),
    ).toThrow(/unknown option 'output.tei' \(did you mean 'tie'\?\)/);
    expect(() => Seq2Seq.build({ ...config, sed: 1 } as never, registry)).toThrow(
      /model config: unknown option 'sed' \(did you mean 'seed'\?\)/,
    );
    expect(() => Seq2Seq.build({ ...config, seed: 0.5 }, registry)).toThrow(
      "model config: option 'seed': invalid input: expected int, received number, got 0.5",
    );
  });

  it('ties the output projection to the target embedding when asked', () => {
    const model = Seq2Seq.build({ ...config, output: { name: 'softmax', tie: true } }, registry);
    const names = [...model.parameters().keys()];
    expect(names).not.toContain('output.kernel');
    expect(names).toContain('output.projection');
    const batch = makeBatch([[4]], [[3]], specials);
    expect(model.loss(batch, { training: false }).dataSync()[0]).toBeGreaterThan(0);
    disposeBatch(batch);
    model.dispose();
  });
});
