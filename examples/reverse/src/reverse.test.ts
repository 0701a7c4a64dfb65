import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Seq2Seq, useBackend } from '@s2s/core';
import { loadModel, saveModel } from '@s2s/core/node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digits, reverseExamples } from './reverse-task.js';
import { evaluate, reverseModelConfig, train } from './train.js';

describe('the vertical slice: lstm encoder + bahdanau attention + attentional decoder + greedy search', () => {
  beforeAll(() => useBackend('wasm'));

  it('learns to reverse digit strings it has never seen, and survives save/load', async () => {
    const lengths = { minLength: 2, maxLength: 5 };
    const model = Seq2Seq.build(reverseModelConfig(3, { embedding: 16, hidden: 32 }));
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    train(model, reverseExamples(3000, { seed: 1, ...lengths }), {
      steps: 200,
      batchSize: 32,
      learningRate: 0.01,
      seed: 1,
      onStep: (_, loss) => losses.push(loss),
    });
    expect(tf.memory().numTensors, 'training leaves no tensor behind').toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);

    const heldOut = reverseExamples(200, { seed: 2, ...lengths });
    const { exactMatch, hypotheses } = await evaluate(model, heldOut);
    expect(exactMatch).toBeGreaterThanOrEqual(0.95);

    const dir = await mkdtemp(join(tmpdir(), 's2s-reverse-'));
    try {
      await saveModel(join(dir, 'model'), model, {
        vocabularies: { source: digits, target: digits },
      });
      const loaded = await loadModel(join(dir, 'model'));
      const again = await evaluate(loaded.model, heldOut);
      expect(again.hypotheses.map((h) => h.tokens)).toEqual(hypotheses.map((h) => h.tokens));
      expect(loaded.vocabularies.target?.toJSON()).toEqual(digits.toJSON());
      loaded.model.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      model.dispose();
    }
  });
});
