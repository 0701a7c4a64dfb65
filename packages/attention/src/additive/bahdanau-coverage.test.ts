import { ConfigError, disposeTree, registry } from '@s2s/core';
import { describeAttention, expectClose, pinBackend, randomMemory } from '@s2s/core/testing';
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
import '../register.js';
import { BahdanauAttention, type BahdanauCoverageState } from './bahdanau.js';

describeAttention('bahdanau with coverage', {
  plugin: { name: 'bahdanau', options: { size: 4, coverage: true } },
  create: (seed, sizes) =>
    new BahdanauAttention(
      { memorySize: sizes.memory, querySize: sizes.query, size: 4, coverage: true },
      seed,
    ),
});

describe('BahdanauAttention with coverage', () => {
  beforeAll(() => pinBackend('wasm'));

  it('adds w_c·c_j to the score and carries c = Σ of past alignments, as computed by hand', () => {
    const attention = new BahdanauAttention(
      { memorySize: 3, querySize: 2, size: 4, coverage: true },
      5,
    );
    const lengths = [3, 2];
    const memory = randomMemory({ lengths, size: 3, seed: 1 });
    const queries = [
      tf.tensor2d([
        [0.5, -1],
        [2, 0.25],
      ]),
      tf.tensor2d([
        [-0.3, 0.8],
        [1, -2],
      ]),
    ];
    const w = weightsOf(attention);
    const h = memory.states.arraySync();
    const cache = attention.prepare(memory);
    let state = attention.initialState!(cache);
    const covered: Vector[] = lengths.map((len) => Array(len).fill(0));
    for (const query of queries) {
      const r = attention.attend(query, cache, state);
      const next = r.state as BahdanauCoverageState;
      const q = query.arraySync();
      covered.forEach((before, b) => {
        const e = before.map((c, j) => {
          const pre = add(
            vecMat(h[b]![j]!, w.keyKernel!),
            vecMat(q[b]!, w.queryKernel!),
            w.coverageVector![0]!.map((wc) => wc * c),
          );
          return dot(
            pre.map(Math.tanh),
            w.scoreVector!.map((v) => v[0]!),
          );
        });
        const a = softmax(e);
        expectRow(r, b, a, weightedSum(a, h[b]!));
        expectPositions(next.coverageBefore!, b, before);
        covered[b] = add(before, a);
        expectPositions(next.coverage, b, covered[b]!);
        // See et al.'s coverage loss, from the state alone.
        const loss = tf.tidy(
          () => tf.sum(tf.minimum(r.weights, next.coverageBefore!), 1).arraySync() as Vector,
        );
        expect(loss[b]).toBeCloseTo(
          a.reduce((s, aj, j) => s + Math.min(aj, before[j]!), 0),
          5,
        );
      });
      disposeTree(state);
      state = next;
      tf.dispose([r.context, r.weights]);
    }
    disposeTree([cache, state, memory, queries]);
    attention.dispose();
  });

  it('the first step equals plain Bahdanau attention, whose parameters it shares', () => {
    const [plain, covered] = [false, true].map(
      (coverage) => new BahdanauAttention({ memorySize: 3, querySize: 2, size: 4, coverage }, 7),
    );
    const memory = randomMemory({ lengths: [3, 1], size: 3, seed: 3 });
    tf.tidy(() => {
      const query = tf.randomNormal([2, 2], 0, 1, 'float32', 4) as tf.Tensor2D;
      const a = plain!.attend(query, plain!.prepare(memory));
      const cache = covered!.prepare(memory);
      const c = covered!.attend(query, cache, covered!.initialState!(cache));
      expectClose(c.weights, a.weights, 0, 'weights');
      expectClose(c.context, a.context, 0, 'context');
    });
    expect([...covered!.parameters().keys()]).toEqual([
      'keyKernel',
      'queryKernel',
      'scoreVector',
      'coverageVector',
    ]);
    disposeTree(memory);
    plain!.dispose();
    covered!.dispose();
  });

  it('off is the default and keeps today’s module: no state, attendAll, the same parameters', () => {
    const attention = new BahdanauAttention({ memorySize: 3, querySize: 2, size: 4 }, 1);
    expect(attention.initialState).toBeUndefined();
    expect(attention.attendAll).toBeTypeOf('function');
    expect([...attention.parameters().keys()]).toEqual(['keyKernel', 'queryKernel', 'scoreVector']);
    const memory = randomMemory({ lengths: [2], size: 3, seed: 3 });
    const r = attention.attend(tf.ones([1, 2]), attention.prepare(memory));
    expect(r.state).toBeUndefined();
    disposeTree([memory, r]);
    attention.dispose();
    const on = new BahdanauAttention({ memorySize: 3, querySize: 2, coverage: true }, 1);
    expect(on.attendAll).toBeUndefined();
    on.dispose();
  });

  it('rejects a coverage option that is not a boolean', () => {
    expect(() =>
      registry.create(
        'attention',
        { name: 'bahdanau', coverage: 'yes' },
        { sizes: { memory: 3, query: 2 } },
      ),
    ).toThrow(
      /option 'attention\.coverage': invalid input: expected boolean, received string, got 'yes'/,
    );
    expect(() =>
      registry.create(
        'attention',
        { name: 'bahdanau', coverag: true },
        { sizes: { memory: 3, query: 2 } },
      ),
    ).toThrow(ConfigError);
  });

  it('gradients through two steps of coverage and its loss match finite differences', () =>
    expectAttentionGradients(
      new BahdanauAttention({ memorySize: 3, querySize: 2, size: 2, coverage: true }, 1),
      { memory: 3, query: 2 },
      {
        extra: (r, state) =>
          tf.sum(tf.minimum(r.weights, (state as BahdanauCoverageState).coverageBefore!)),
      },
    ));
});
