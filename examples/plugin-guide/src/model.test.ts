import {
  disposeBatch,
  exportWeights,
  importWeights,
  type ModelConfig,
  makeBatch,
  registry,
  Seq2Seq,
  Trainer,
} from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import { registerToyPlugins } from '@s2s/core/toy';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import './register.js';

// The three plugins named in a model config, next to core's toy encoder.
const config: ModelConfig = {
  seed: 7,
  source: { vocabSize: 6 },
  target: { vocabSize: 6 },
  encoder: { name: 'toy', size: 8 },
  decoder: { name: 'elman', hiddenSize: 8, embeddingSize: 6, attention: { name: 'bilinear' } },
};
const specials = { pad: 0, bos: 1, eos: 2 };
// Copy a sequence of tokens 3–5.
const sources = [
  [3, 4, 5],
  [5, 3],
  [4, 4, 3, 5],
  [3, 5, 5],
];

describe('the guide’s plugins in a model', () => {
  beforeAll(() => {
    registerToyPlugins(registry);
    return pinBackend('cpu');
  });

  it('learn to copy, and a model rebuilt by name from its config decodes the same', async () => {
    const model = Seq2Seq.build(config);
    const trainer = new Trainer(model, { learningRate: 0.05, seed: 1 });
    const batch = makeBatch(sources, sources, specials);
    const first = trainer.step(batch).loss;
    let last = first;
    for (let i = 0; i < 60; i++) last = trainer.step(batch).loss;
    expect(last).toBeLessThan(first / 2);

    // Save/load by name: a second model from the same config (another seed), given the weights.
    const copy = Seq2Seq.build({ ...config, seed: 99 });
    const weights = exportWeights(model);
    importWeights(copy, weights);
    tf.dispose([...weights.values()]);
    const search = registry.create('search', { name: 'min-length-greedy', minLength: 1 });
    const decode = (m: Seq2Seq) =>
      m.generate(batch.source, batch.sourceMask, search, { maxLength: 6 });
    const [ours, theirs] = [await decode(model), await decode(copy)];
    expect(theirs.map((h) => h[0]!.tokens)).toEqual(ours.map((h) => h[0]!.tokens));
    disposeBatch(batch);
    trainer.dispose();
    model.dispose();
    copy.dispose();
  });
});
