import {
  ConfigError,
  disposeBatch,
  type ModelConfig,
  makeBatch,
  Registry,
  Seq2Seq,
  ShapeError,
  Trainer,
} from '@s2s/core';
import { describeOutput, pinBackend, randomMemory, registerToyPlugins } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAttentionalDecoder } from '../attentional/create-attentional-decoder.js';
import { createPointerOutput, POINTER_FLOOR, PointerOutput } from './pointer-output.js';

describeOutput('pointer', {
  create: (seed, sizes) =>
    new PointerOutput({ inputSize: sizes.features, vocabSize: sizes.targetVocab }, seed),
  weights: true,
});

/** Sets the stop unit so that p = σ(w·f + b) is what a test wants. */
function setStop(layer: PointerOutput, kernel: number[], bias: number): void {
  const [w, b] = [...layer.parameters().values()];
  tf.tidy(() => {
    w!.assign(tf.tensor2d(kernel, [kernel.length, 1]));
    b!.assign(tf.tensor1d([bias]));
  });
}

describe('PointerOutput', () => {
  beforeAll(() => pinBackend('wasm'));

  it('is (1 − p)·a_j at position j and p at <eos>, by hand on 3 positions of 5', () => {
    // V = 4 specials + P = 5 positions; p = σ(ln(1/3)) = 1/4.
    const layer = new PointerOutput({ inputSize: 2, vocabSize: 9 }, 1);
    setStop(layer, [0, 9], Math.log(1 / 3));
    const memory = randomMemory({ lengths: [3], size: 2, seed: 1 });
    const features = tf.tensor2d([[1, 0]]);
    const weights = tf.tensor2d([[0.5, 0.3, 0.2]]);
    const p = tf.tidy(() => layer.logProbs(features, { memory, weights }).exp().arraySync());
    const f = POINTER_FLOOR;
    const want = [f, f, 0.25, f, 0.75 * 0.5, 0.75 * 0.3, 0.75 * 0.2, f, f];
    (p as number[][])[0]!.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose([features, weights, memory.states, memory.mask, ...memory.final]);
  });

  it('gives padded positions nothing, even when the attention does not mask them', () => {
    const layer = new PointerOutput({ inputSize: 2, vocabSize: 8, firstPosition: 3 }, 1);
    setStop(layer, [0, 0], 0); // p = 1/2
    const memory = randomMemory({ lengths: [2, 4], size: 2, seed: 2 });
    const features = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    // Row 0 has two real positions; its unmasked weights leak 0.4 onto padding.
    const weights = tf.tensor2d([
      [0.4, 0.2, 0.3, 0.1],
      [0.1, 0.2, 0.3, 0.4],
    ]);
    const p = tf.tidy(
      () => layer.logProbs(features, { memory, weights }).exp().arraySync() as number[][],
    );
    expect(p[0]![3 + 2]).toBeCloseTo(POINTER_FLOOR, 12);
    expect(p[0]![3 + 3]).toBeCloseTo(POINTER_FLOOR, 12);
    expect(p[0]![3]).toBeCloseTo(0.5 * 0.4, 5);
    expect(p[1]![3 + 3]).toBeCloseTo(0.5 * 0.4, 5);
    tf.dispose([features, weights, memory.states, memory.mask, ...memory.final]);
  });

  it('refuses more input positions than its vocabulary names, and a bad eos', () => {
    const layer = new PointerOutput({ inputSize: 2, vocabSize: 6 }, 1);
    const memory = randomMemory({ lengths: [3], size: 2, seed: 3 });
    const features = tf.tensor2d([[1, 0]]);
    const weights = tf.tensor2d([[0.5, 0.3, 0.2]]);
    expect(() => layer.logProbs(features, { memory, weights })).toThrow(ShapeError);
    expect(() => layer.logProbs(features, { memory })).toThrow(ConfigError);
    expect(() => new PointerOutput({ inputSize: 2, vocabSize: 6, eos: 4 }, 1)).toThrow(
      /^pointer output: options: 'eos' \(4\) must be an id below 'firstPosition' \(4\), got \{/,
    );
    expect(() => new PointerOutput({ inputSize: 2, vocabSize: 4 }, 1)).toThrow(
      /^pointer output: options: 'firstPosition' \(4\) must be below the vocabulary size 4, to leave room for positions/,
    );
    tf.dispose([features, weights, memory.states, memory.mask, ...memory.final]);
  });

  it('with an attentional decoder, learns to point at the positions of the largest inputs', () => {
    // Each source holds distinct ids; the target names, largest first, the positions of the
    // ids ≥ 7, then <eos>. The model has to find them by content, not by position.
    const registry = new Registry();
    registerToyPlugins(registry);
    registry.register({ kind: 'decoder', name: 'attentional', create: createAttentionalDecoder });
    registry.register({ kind: 'output', name: 'pointer', create: createPointerOutput });
    const config: ModelConfig = {
      seed: 5,
      source: { vocabSize: 12 },
      target: { vocabSize: 4 + 6 },
      encoder: { name: 'toy', size: 16 },
      decoder: {
        name: 'attentional',
        order: 'luong',
        embeddingSize: 8,
        hiddenSize: 16,
        attention: { name: 'toy' },
      },
      output: { name: 'pointer' },
    };
    const model = Seq2Seq.build(config, registry);
    const sources = [
      [4, 9, 5, 7],
      [8, 4, 6],
      [10, 5, 11, 4, 6],
      [6, 5, 4],
      [7, 11, 5, 6, 8, 4],
      [9, 4],
    ];
    const targets = sources.map((s) =>
      s
        .map((id, j) => ({ id, j }))
        .filter((x) => x.id >= 7)
        .sort((x, y) => y.id - x.id)
        .map((x) => 4 + x.j),
    );
    const trainer = new Trainer(model, { learningRate: 0.03, seed: 1 });
    const batch = makeBatch(sources, targets, { pad: 0, bos: 1, eos: 2 });
    const first = trainer.step(batch).loss;
    let last = first;
    for (let i = 0; i < 150; i++) last = trainer.step(batch).loss;
    expect(last).toBeLessThan(first / 10);
    disposeBatch(batch);
    trainer.dispose();
    model.dispose();
  });
});
