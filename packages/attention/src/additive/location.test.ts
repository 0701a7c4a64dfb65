import { disposeTree } from '@s2s/core';
import '../register.js';
import { describeAttention, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import {
  add,
  dot,
  expectPositions,
  expectRow,
  softmax,
  type Vector,
  vecMat,
  weightedSum,
  weightsOf,
} from '../../test/reference.js';
import { LocationAttention, type LocationState } from './location.js';

describeAttention('location', {
  plugin: { name: 'location', options: { size: 4, filters: 2, kernelSize: 3 } },
  create: (seed, sizes) =>
    new LocationAttention(
      { memorySize: sizes.memory, querySize: sizes.query, size: 4, filters: 2, kernelSize: 3 },
      seed,
    ),
});

describe('LocationAttention', () => {
  beforeAll(() => pinBackend('wasm'));

  it('scores with wᵀ tanh(W s + V h_j + U (F ∗ α_prev)_j + b) as computed by hand', () => {
    const r = 5;
    const attention = new LocationAttention(
      { memorySize: 3, querySize: 2, size: 4, filters: 2, kernelSize: r },
      5,
    );
    // Random, not zero, so a wrong bias shows.
    tf.tidy(() =>
      attention
        .parameters()
        .get('bias')!
        .assign(tf.randomNormal([4], 0, 1, 'float32', 9)),
    );
    const lengths = [4, 2];
    const memory = randomMemory({ lengths, size: 3, seed: 1 });
    const queries = [0, 1].map(
      (i) => tf.randomNormal([2, 2], 0, 1, 'float32', 2 + i) as tf.Tensor2D,
    );
    const w = weightsOf(attention);
    const h = memory.states.arraySync();
    const cache = attention.prepare(memory);
    let state = attention.initialState(cache);
    // α_0 is uniform over each row's real positions.
    let previous: Vector[] = lengths.map((len) => Array(len).fill(1 / len));
    lengths.forEach((_, b) => expectPositions(state.alignment, b, previous[b]!, 6));
    for (const query of queries) {
      const result = attention.attend(query, cache, state);
      const q = query.arraySync();
      previous = previous.map((alpha, b) => {
        const e = alpha.map((_, j) => {
          // f_j = Σ_i F_i α_{j + i − (r−1)/2}, with α = 0 outside the row's real positions.
          const f = w.locationFilters!.reduce<Vector>(
            (acc, filter, i) =>
              add(
                acc,
                filter.map((x) => x * (alpha[j + i - (r - 1) / 2] ?? 0)),
              ),
            Array(2).fill(0),
          );
          const pre = add(
            vecMat(q[b]!, w.queryKernel!),
            vecMat(h[b]![j]!, w.keyKernel!),
            vecMat(f, w.locationKernel!),
            w.bias!.map((x) => x[0]!),
          );
          return dot(
            pre.map(Math.tanh),
            w.scoreVector!.map((v) => v[0]!),
          );
        });
        const a = softmax(e);
        expectRow(result, b, a, weightedSum(a, h[b]!.slice(0, alpha.length)));
        expectPositions((result.state as LocationState).alignment, b, a);
        return a;
      });
      disposeTree(state);
      state = result.state as LocationState;
      tf.dispose([result.context, result.weights]);
    }
    disposeTree([memory, queries, cache, state]);
    attention.dispose();
  });

  it('treats a missing state as the initial alignment', () => {
    const attention = new LocationAttention(
      { memorySize: 3, querySize: 2, size: 4, filters: 2, kernelSize: 3 },
      1,
    );
    const memory = randomMemory({ lengths: [3, 2], size: 3, seed: 1 });
    tf.tidy(() => {
      const cache = attention.prepare(memory);
      const query = tf.ones([2, 2]) as tf.Tensor2D;
      const given = attention.attend(query, cache, attention.initialState(cache));
      const missing = attention.attend(query, cache);
      expect(missing.weights.arraySync()).toEqual(given.weights.arraySync());
    });
    disposeTree(memory);
    attention.dispose();
  });

  it('uses the defaults of 128 units, 10 filters of width 31', () => {
    const attention = new LocationAttention({ memorySize: 3, querySize: 2 }, 1);
    const shapes = Object.fromEntries([...attention.parameters()].map(([n, v]) => [n, v.shape]));
    expect(shapes).toEqual({
      keyKernel: [3, 128],
      queryKernel: [2, 128],
      scoreVector: [128, 1],
      bias: [128],
      locationFilters: [31, 10],
      locationKernel: [10, 128],
    });
    attention.dispose();
  });

  it('rejects an even kernel size', () => {
    expect(() => new LocationAttention({ memorySize: 3, querySize: 2, kernelSize: 4 }, 1)).toThrow(
      /option 'kernelSize': expected an odd width, so each window is centred on its position, got 4/,
    );
    expect(() => new LocationAttention({ memorySize: 3, querySize: 2, filters: 1.5 }, 1)).toThrow(
      /option 'filters': invalid input: expected int, received number, got 1\.5/,
    );
  });

  it('gradients through the previous alignment match finite differences', () =>
    expectAttentionGradients(
      new LocationAttention({ memorySize: 3, querySize: 2, size: 2, filters: 2, kernelSize: 3 }, 1),
      { memory: 3, query: 2 },
      { steps: 3, lengths: [4, 2] },
    ));
});
