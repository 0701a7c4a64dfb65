import { disposeTree, type Memory, Registry } from '@s2s/core';
import { describeBridge, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBridgeGradientsMatch } from '../../test/bridge-checks.js';
import { createPooledBridge, PooledBridge } from './pooled-bridge.js';

for (const pool of ['mean', 'max'] as const) {
  describeBridge(`pooled ${pool}`, {
    create: (seed, s) => new PooledBridge({ memorySize: s.memory, pool }, seed),
  });
  describeBridge(`pooled ${pool}, projected`, {
    create: (seed, s) => new PooledBridge({ memorySize: s.memory, pool, size: s.query! }, seed),
    sizes: { memory: 6, final: [6], query: 3 },
  });
}

describe('PooledBridge', () => {
  beforeAll(() => pinBackend('wasm'));

  // Row 0: 3 real states of 4; row 1: 1 real state. Padding holds NaN and ±Infinity.
  const hand = (): Memory => ({
    states: tf.tensor3d([
      [
        [1, -2],
        [3, 4],
        [-5, 0.5],
        [Number.NaN, Number.POSITIVE_INFINITY],
      ],
      [
        [-1, 7],
        [Number.POSITIVE_INFINITY, 100],
        [Number.NaN, 1],
        [9, 9],
      ],
    ]),
    mask: tf.tensor2d([
      [1, 1, 1, 0],
      [1, 0, 0, 0],
    ]),
    final: [tf.zeros([2, 2])],
  });

  it('takes the masked mean and max by hand, whatever the padding holds', () => {
    const memory = hand();
    const mean = new PooledBridge({ memorySize: 2, pool: 'mean' }, 1).context(memory, {
      training: false,
    });
    const max = new PooledBridge({ memorySize: 2, pool: 'max' }, 1).context(memory, {
      training: false,
    });
    // Row 0: mean ((1+3−5)/3, (−2+4+0.5)/3), max (3, 4); row 1: its single state.
    expect(mean.arraySync()[0]![0]).toBeCloseTo(-1 / 3, 6);
    expect(mean.arraySync()[0]![1]).toBeCloseTo(2.5 / 3, 6);
    expect(mean.arraySync()[1]).toEqual([-1, 7]);
    expect(max.arraySync()).toEqual([
      [3, 4],
      [-1, 7],
    ]);
    disposeTree([memory, mean, max]);
  });

  it('gradients match finite differences', async () => {
    for (const pool of ['mean', 'max'] as const) {
      await expectBridgeGradientsMatch((s) => new PooledBridge({ memorySize: s.memory, pool }, 1));
      await expectBridgeGradientsMatch(
        (s) => new PooledBridge({ memorySize: s.memory, pool, size: 2 }, 1),
      );
    }
  });

  it('is built by name: the state size, or with project the size asked for', () => {
    const registry = new Registry();
    registry.register({ kind: 'bridge', name: 'pooled', create: createPooledBridge });
    const build = (config: object, sizes: object) =>
      registry.create('bridge', { name: 'pooled', ...config }, { sizes });
    expect(build({}, { memory: 8, final: [8], query: 16 }).outputSize).toBe(8);
    expect(build({ pool: 'max', project: true }, { memory: 8, query: 5 }).outputSize).toBe(5);
    expect(build({ project: true, size: 4 }, { memory: 8 }).outputSize).toBe(4);
    expect(() => build({ size: 4 }, { memory: 8 })).toThrow(
      /option 'bridge\.size': needs 'project' true; .*, got 4/,
    );
    expect(() => build({ pool: 'median' }, { memory: 8 })).toThrow(
      /option 'bridge\.pool': invalid option: expected one of "mean"\|"max", got 'median'/,
    );
    expect(() => build({ project: 1 }, { memory: 8 })).toThrow(
      /option 'bridge\.project': invalid input: expected boolean, .*got 1/,
    );
    expect(() => build({ project: true }, { memory: 8 })).toThrow(/set option 'size'/);
    expect(() => build({}, {})).toThrow(/sizes.memory/);
  });
});
