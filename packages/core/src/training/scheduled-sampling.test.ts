import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutputLayer } from '../contracts/output.js';
import { type Batch, disposeBatch, makeBatch } from '../model/batch.js';
import { type ModelConfig, Seq2Seq } from '../model/seq2seq.js';
import { createSoftmaxOutput } from '../model/softmax-output.js';
import { Rng } from '../module/seed.js';
import { Registry } from '../registry/registry.js';
import { pinBackend } from '../testing/helpers.js';
import { registerToyPlugins } from '../testing/toy-modules.js';
import { mixTokens, sampleTokens, scheduledSamplingLoss } from './scheduled-sampling.js';
import { Trainer } from './trainer.js';

const registry = new Registry();
registerToyPlugins(registry);
// A softmax output layer that hides its logits, like a copy mechanism's mixture: the loss
// then goes through log-probabilities instead of the fused cross-entropy.
registry.register({
  kind: 'output',
  name: 'log-probs-only',
  create: (_o, c): OutputLayer => {
    const inner = createSoftmaxOutput({}, c.sizes, c.parts.decoder, c.seed);
    return {
      vocabSize: inner.vocabSize,
      logProbs: (features, context) => inner.logProbs(features, context),
      parameters: () => inner.parameters(),
      dispose: () => inner.dispose(),
    };
  },
});
const config: ModelConfig = {
  seed: 2,
  source: { vocabSize: 9 },
  target: { vocabSize: 9 },
  encoder: { name: 'toy', size: 6 },
  decoder: { name: 'toy', hidden: 6 },
};
const specials = { pad: 0, bos: 1, eos: 2 };
const sources = [
  [3, 4, 5, 6],
  [7, 8],
  [5, 3, 4],
];
const targets = [
  [6, 5, 4, 3],
  [8, 7],
  [4, 3, 5],
];

/**
 * The inputs a model feeds itself, found step by step on the host: `<bos>`, then at each
 * step the token `choose` picks from that step's log-probabilities.
 */
function feedByHand(
  model: Seq2Seq,
  batch: Batch,
  choose: (logProbs: tf.Tensor2D) => number[],
): number[][] {
  const width = batch.targetIn.shape[1];
  const rows = batch.targetIn.shape[0];
  const fed: number[][] = Array.from({ length: rows }, () => [specials.bos]);
  const memory = model.encode(batch.source, batch.sourceMask, { training: false });
  const step = model.stepModel();
  const cache = step.prepare(memory);
  let state = step.initialState(cache);
  for (let t = 0; t + 1 < width; t++) {
    const prev = tf.tensor1d(
      fed.map((f) => f[t]!),
      'int32',
    );
    const r = step.step(prev, state, cache);
    choose(r.logProbs).forEach((token, row) => fed[row]!.push(token));
    state = r.state;
  }
  return fed;
}

const argmaxRows = (logProbs: tf.Tensor2D) =>
  (logProbs.arraySync() as number[][]).map((row) => row.indexOf(Math.max(...row)));

/** The teacher-forced loss and gradients of `batch` with its decoder inputs replaced. */
function teacherForced(model: Seq2Seq, batch: Batch, inputs: number[][]) {
  const targetIn = tf.tensor2d(inputs, undefined, 'int32');
  const out = lossAndGrads(model, () => model.loss({ ...batch, targetIn }, { training: false }));
  targetIn.dispose();
  return out;
}

function lossAndGrads(model: Seq2Seq, loss: () => tf.Scalar) {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, [...model.parameters().values()]);
    return {
      loss: value.dataSync()[0]!,
      grads: Object.values(grads).map((g) => Array.from(g.dataSync())),
    };
  });
}

describe('scheduled sampling', () => {
  let model: Seq2Seq;
  let batch: Batch;
  beforeAll(async () => {
    await pinBackend('wasm');
    model = Seq2Seq.build(config, registry);
    batch = makeBatch(sources, targets, specials);
  });
  afterAll(() => {
    disposeBatch(batch);
    model.dispose();
  });

  it.each([
    ['logits (fused cross-entropy)', config],
    ['log-probabilities only', { ...config, output: { name: 'log-probs-only' } }],
  ])('with p = 0 equals the teacher-forced loss exactly: output with %s', (_, cfg) => {
    const m = Seq2Seq.build(cfg, registry);
    for (const labelSmoothing of [0, 0.1]) {
      const forced = m.loss(batch, { training: true, rng: new Rng(1), labelSmoothing });
      for (const feed of ['sample', 'argmax'] as const) {
        const options = { probability: 0, feed, rng: new Rng(1), labelSmoothing };
        const sampled = scheduledSamplingLoss(m, batch, options);
        expect(sampled.dataSync()[0]).toBe(forced.dataSync()[0]);
        sampled.dispose();
      }
      forced.dispose();
    }
    m.dispose();
  });

  it("hands a batch's named source inputs to the encoder, as Seq2Seq.loss does", () => {
    const seen: unknown[] = [];
    const encode = model.encoder.encode.bind(model.encoder);
    const spy = vi.spyOn(model.encoder, 'encode').mockImplementation((src, mask, options) => {
      seen.push(options.inputs);
      return encode(src, mask, options);
    });
    const ids = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const withInputs = { ...batch, inputs: { ids } };
    try {
      tf.dispose(scheduledSamplingLoss(model, withInputs, { probability: 0, rng: new Rng(1) }));
      expect(seen).toEqual([{ ids }]);
    } finally {
      spy.mockRestore();
      ids.dispose();
    }
  });

  it('with p = 1 and argmax equals teacher forcing on the argmax tokens fed by hand, gradients too', () => {
    const fed = feedByHand(model, batch, argmaxRows);
    const gold = batch.targetIn.arraySync();
    expect(fed, 'the untrained model does not already predict the gold tokens').not.toEqual(gold);
    const reference = teacherForced(model, batch, fed);
    const ours = lossAndGrads(model, () =>
      scheduledSamplingLoss(model, batch, { probability: 1, feed: 'argmax', rng: new Rng(3) }),
    );
    expect(ours.loss).toBeCloseTo(reference.loss, 5);
    ours.grads.forEach((g, i) =>
      g.forEach((v, j) => expect(v).toBeCloseTo(reference.grads[i]![j]!, 5)),
    );
  });

  it('with p = 1 and sample equals feeding the seeded samples by hand', () => {
    // The documented draw order: for each t ≥ 1, a seed for the sample, then one for the coins.
    const seeds = new Rng(11);
    const fed = feedByHand(model, batch, (logProbs) => {
      const tokens = sampleTokens(logProbs, seeds.nextSeed());
      seeds.nextSeed();
      return Array.from(tokens.dataSync());
    });
    const reference = teacherForced(model, batch, fed);
    const ours = scheduledSamplingLoss(model, batch, {
      probability: 1,
      feed: 'sample',
      rng: new Rng(11),
    });
    expect(ours.dataSync()[0]).toBeCloseTo(reference.loss, 5);
    ours.dispose();
  });

  it('the same seed gives the same loss; another seed feeds other samples', () => {
    const run = (seed: number) =>
      tf.tidy(
        () =>
          scheduledSamplingLoss(model, batch, {
            probability: 0.5,
            rng: new Rng(seed),
          }).dataSync()[0]!,
      );
    expect(run(4)).toBe(run(4));
    const values = new Set([4, 5, 6, 7, 8].map(run));
    expect(values.size).toBeGreaterThan(1);
  });

  it('rejects a probability outside [0, 1]', () => {
    expect(() =>
      scheduledSamplingLoss(model, batch, { probability: 1.5, rng: new Rng(0) }),
    ).toThrow(
      "scheduledSamplingLoss: option 'probability': too big: expected number to be <=1, got 1.5",
    );
    expect(() =>
      scheduledSamplingLoss(model, batch, {
        probability: 0.5,
        rng: new Rng(0),
        fed: 'argmax',
      } as never),
    ).toThrow(/unknown option 'fed' \(did you mean 'feed'\?\)/);
  });

  it('sampleTokens draws token v with probability p_v (Gumbel-max)', () => {
    const n = 20_000;
    const p = [0.5, 0.3, 0.15, 0.05];
    const tokens = tf.tidy(() => {
      const logProbs = tf.log(tf.tile(tf.tensor2d([p]), [n, 1])) as tf.Tensor2D;
      return sampleTokens(logProbs, 123).dataSync();
    });
    const counts = [0, 0, 0, 0];
    for (const t of tokens) counts[t]!++;
    // 4 standard deviations of a binomial proportion at n = 20000 is at most 0.0142.
    counts.forEach((c, v) => expect(Math.abs(c / n - p[v]!)).toBeLessThan(0.0142));
  });

  it('mixTokens takes the prediction with probability p, else the gold token', () => {
    const n = 20_000;
    const gold = tf.fill([n], 3, 'int32') as tf.Tensor1D;
    const predicted = tf.fill([n], 7, 'int32') as tf.Tensor1D;
    const share = (p: number) =>
      tf.tidy(() => {
        const mixed = Array.from(mixTokens(gold, predicted, p, 9).dataSync());
        expect(mixed.every((t) => t === 3 || t === 7)).toBe(true);
        return mixed.filter((t) => t === 7).length / n;
      });
    expect(share(0)).toBe(0);
    expect(share(1)).toBe(1);
    expect(Math.abs(share(0.3) - 0.3)).toBeLessThan(0.013);
    tf.dispose([gold, predicted]);
  });
});

describe('Trainer with scheduled sampling', () => {
  beforeAll(() => pinBackend('wasm'));

  it('learns a copy task and leaks nothing after the first step', () => {
    const m = Seq2Seq.build(config, registry);
    const trainer = new Trainer(m, {
      learningRate: 0.05,
      seed: 3,
      scheduledSampling: { probability: (t) => Math.min(0.5, t / 40) },
    });
    const copy = makeBatch(sources, sources, specials);
    const first = trainer.step(copy);
    expect(first.samplingProbability).toBe(1 / 40);
    const settled = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 50; i++) last = trainer.step(copy);
    expect(tf.memory().numTensors).toBe(settled);
    expect(last.samplingProbability).toBe(0.5);
    expect(last.loss).toBeLessThan(first.loss / 3);
    disposeBatch(copy);
    trainer.dispose();
    m.dispose();
  });
});
