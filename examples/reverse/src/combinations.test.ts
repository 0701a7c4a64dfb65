import {
  type Batch,
  disposeBatch,
  type ModelConfig,
  makeBatch,
  padSequences,
  Rng,
  Seq2Seq,
  Trainer,
  useBackend,
} from '@s2s/core';
import { GreedySearch } from '@s2s/search';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digits, reverseExamples } from './reverse-task.js';
import { evaluate, train } from './train.js';

/**
 * Every encoder × decoder × attention combination a task preset uses, learning a generated
 * toy task to ≥ 95% exact match on held-out examples, in seconds each.
 */
describe('combinations used by the task presets learn a toy task', () => {
  beforeAll(() => useBackend('wasm'));
  const sizes = { embeddingSize: 16, hiddenSize: 32 };
  const tokenModel = (
    encoder: ModelConfig['encoder'],
    decoder: ModelConfig['decoder'],
  ): ModelConfig => ({
    seed: 3,
    source: { vocabSize: digits.size },
    target: { vocabSize: digits.size },
    encoder,
    decoder,
  });

  const tokenCases: [string, ModelConfig][] = [
    [
      'translation: bidirectional lstm → attentional (bahdanau), projected bridge',
      tokenModel(
        { name: 'lstm', ...sizes, bidirectional: 'concat' },
        {
          name: 'attentional',
          ...sizes,
          attention: { name: 'bahdanau', size: 32 },
          bridge: { name: 'projected' },
        },
      ),
    ],
  ];
  for (const [name, config] of tokenCases) {
    it(name, async () => {
      const lengths = { minLength: 2, maxLength: 5 };
      const model = Seq2Seq.build(config);
      train(model, reverseExamples(3000, { seed: 1, ...lengths }), {
        steps: 200,
        batchSize: 32,
        learningRate: 0.01,
        seed: 1,
      });
      const { exactMatch } = await evaluate(model, reverseExamples(200, { seed: 2, ...lengths }));
      model.dispose();
      expect(exactMatch).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('speech: pyramidal lstm over frames → attentional (location-aware)', async () => {
    const model = Seq2Seq.build({
      seed: 5,
      source: { features: FEATURES },
      target: { vocabSize: digits.size },
      encoder: { name: 'pyramidal-lstm', layers: 2, ...sizes },
      decoder: {
        name: 'attentional',
        ...sizes,
        attention: { name: 'location', size: 32, filters: 4, kernelSize: 5 },
      },
    });
    const trainer = new Trainer(model, { learningRate: 0.01, seed: 1 });
    const rng = new Rng(7);
    for (let step = 0; step < 150; step++) {
      const batch = frameBatch(
        Array.from({ length: 32 }, () => randomDigits(rng)),
        rng,
      );
      trainer.step(batch);
      disposeBatch(batch);
    }
    trainer.dispose();
    const heldOut = Array.from({ length: 100 }, () => randomDigits(rng));
    const batch = frameBatch(heldOut, rng);
    const results = await model.generate(batch.source, batch.sourceMask, new GreedySearch(), {
      maxLength: 8,
    });
    disposeBatch(batch);
    model.dispose();
    const correct = results.filter(
      ([h], i) => digits.decode(h!.tokens).join('') === heldOut[i]!.join(''),
    ).length;
    expect(correct / heldOut.length).toBeGreaterThanOrEqual(0.95);
  });
});

const FEATURES = 12;
const FRAMES_PER_DIGIT = 4;

function randomDigits(rng: Rng): string[] {
  return Array.from({ length: 1 + rng.int(4) }, () => String(rng.int(10)));
}

/**
 * Each spoken digit becomes four noisy frames: a bump on the digit's own feature, so the
 * encoder must shorten 4 frames per output token, as a pyramid does to real speech.
 */
function frameBatch(utterances: readonly string[][], rng: Rng): Batch {
  const frames = utterances.map((u) =>
    u.flatMap((d) =>
      Array.from({ length: FRAMES_PER_DIGIT }, () =>
        Array.from(
          { length: FEATURES },
          (_, f) => (f === Number(d) ? 1 : 0) + 0.3 * (rng.next() - 0.5),
        ),
      ),
    ),
  );
  const width = Math.max(...frames.map((f) => f.length));
  const source = tf.tensor3d(
    frames.map((f) => [...f, ...Array(width - f.length).fill(Array(FEATURES).fill(0))]),
  );
  const { mask } = padSequences(
    frames.map((f) => f.map(() => 1)),
    0,
  );
  const targets = makeBatch(
    utterances.map(() => [1]),
    utterances.map((u) => digits.encode(u)),
    digits,
  );
  const { source: placeholder, sourceMask, ...target } = targets;
  tf.dispose([placeholder, sourceMask]);
  return { source, sourceMask: mask, ...target };
}
