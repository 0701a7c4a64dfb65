import { ConfigError, disposeTree, Rng } from '@s2s/core';
import { pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureProjection } from './feature-projection.js';
import { createInputLayer, sourceInput } from './input-layer.js';
import { TokenEmbedding } from './token-embedding.js';

describe('input front ends', () => {
  beforeAll(() => pinBackend('wasm'));

  it('TokenEmbedding looks up rows of its table', () => {
    const embedding = new TokenEmbedding({ vocabSize: 5, embeddingSize: 3 }, 1);
    const table = embedding.table.arraySync() as number[][];
    const out = tf.tidy(() =>
      embedding
        .embed(
          tf.tensor2d(
            [
              [4, 0],
              [2, 2],
            ],
            [2, 2],
            'int32',
          ),
          { training: false },
        )
        .arraySync(),
    );
    expect(out).toEqual([
      [table[4], table[0]],
      [table[2], table[2]],
    ]);
    embedding.dispose();
  });

  it('FeatureProjection computes x·W + b for every frame', () => {
    const projection = new FeatureProjection({ features: 2, embeddingSize: 3 }, 1);
    tf.tidy(() => projection.bias.assign(tf.tensor1d([0.5, -1, 2])));
    const w = projection.kernel.arraySync() as number[][];
    const b = [0.5, -1, 2];
    const frames = [
      [
        [1, 2],
        [-3, 0.5],
      ],
    ];
    const out = tf.tidy(() =>
      projection.embed(tf.tensor3d(frames), { training: false }).arraySync(),
    ) as number[][][];
    frames[0]!.forEach((x, t) =>
      b.forEach((bk, k) =>
        expect(out[0]![t]![k]).toBeCloseTo(bk + x[0]! * w[0]![k]! + x[1]! * w[1]![k]!, 5),
      ),
    );
    projection.dispose();
  });

  it('drops out in training only, the same units for the same seed', () => {
    for (const input of [{ vocabSize: 7 }, { features: 2 }]) {
      const { layer } = createInputLayer('test', input, 200, 0.5, 1);
      const source =
        'vocabSize' in input ? tf.tensor2d([[1, 2, 3]], [1, 3], 'int32') : tf.ones([1, 3, 2]);
      const run = (training: boolean, seed: number) =>
        tf.tidy(() => layer.embed(source, { training, rng: new Rng(seed) }));
      const [plain, a, b, c] = [run(false, 1), run(true, 1), run(true, 1), run(true, 2)];
      tf.tidy(() => {
        const zeros = tf.equal(a, 0).sum().dataSync()[0]!;
        expect(zeros / a.size, 'dropped fraction').toBeGreaterThan(0.35);
        expect(zeros / a.size, 'dropped fraction').toBeLessThan(0.65);
        // Kept units are scaled by 1/(1 − rate), so the expectation is unchanged.
        const kept = tf.notEqual(a, 0);
        expect(
          tf
            .where(kept, tf.sub(a, tf.mul(plain, 2)), 0)
            .abs()
            .max()
            .dataSync()[0],
        ).toBeLessThan(1e-6);
        expect(tf.equal(a, b).all().dataSync()[0], 'same seed, same mask').toBe(1);
        expect(tf.equal(a, c).all().dataSync()[0], 'other seed, other mask').toBe(0);
      });
      disposeTree([plain, a, b, c, source]);
      layer.dispose();
    }
  });

  it('reads the input kind from the model config and rejects bad options by name', () => {
    expect(sourceInput('e', { sourceVocab: 5 })).toEqual({ vocabSize: 5 });
    expect(sourceInput('e', { sourceFeatures: 40 })).toEqual({ features: 40 });
    expect(() => sourceInput('e', {})).toThrow(/source.vocabSize .* or source.features/);
    expect(() => sourceInput('e', { sourceVocab: 5, sourceFeatures: 40 })).toThrow(ConfigError);
    expect(() => createInputLayer('e', {}, 4, 0, 1)).toThrow(/exactly one of 'vocabSize'/);
    expect(() => new FeatureProjection({ features: 0, embeddingSize: 3 }, 1)).toThrow(
      /option 'features'/,
    );
    expect(() => new TokenEmbedding({ vocabSize: 4, embeddingSize: 3, dropout: 1 }, 1)).toThrow(
      /option 'dropout'/,
    );
  });
});
