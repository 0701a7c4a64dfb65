import { Registry } from '@s2s/core';
import { describeBridge, pinBackend, randomMemory } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBridgeGradientsMatch } from '../../test/bridge-checks.js';
import { createLastStateBridge, LastStateBridge } from './last-bridge.js';

describeBridge('last', { create: (_, s) => new LastStateBridge({ size: s.final.at(-1)! }) });
describeBridge('last, every layer', {
  create: (_, s) => new LastStateBridge({ size: s.final[0]! + s.final[1]!, from: 'all' }),
});

describe('LastStateBridge', () => {
  beforeAll(() => pinBackend('wasm'));

  it("returns the top layer's final state, or every layer's bottom first", () => {
    const memory = randomMemory({ lengths: [3, 1], size: 4, finalSizes: [2, 5], seed: 1 });
    const [bottom, top] = memory.final.map((f) => f.arraySync());
    const [c, all] = [
      new LastStateBridge({ size: 5 }).context(memory, { training: false }),
      new LastStateBridge({ size: 7, from: 'all' }).context(memory, { training: false }),
    ];
    expect(c.arraySync()).toEqual(top);
    expect(all.arraySync()).toEqual(bottom!.map((row, r) => [...row, ...top![r]!]));
    tf.dispose([c, all]);
  });

  it('passes gradients straight to the final states (finite differences)', async () => {
    await expectBridgeGradientsMatch((s) => new LastStateBridge({ size: s.final.at(-1)! }));
    await expectBridgeGradientsMatch(
      (s) => new LastStateBridge({ size: s.final[0]! + s.final[1]!, from: 'all' }),
    );
  });

  it('is built by name, its size the encoder’s, and rejects bad options by name', () => {
    const registry = new Registry();
    registry.register({ kind: 'bridge', name: 'last', create: createLastStateBridge });
    const build = (config: object, sizes: object) =>
      registry.create('bridge', { name: 'last', ...config }, { sizes });
    expect(build({}, { memory: 8, final: [4, 6], query: 12 }).outputSize).toBe(6);
    expect(build({ from: 'all' }, { memory: 8, final: [4, 6] }).outputSize).toBe(10);
    expect(() => build({ from: 'bottom' }, { final: [6] })).toThrow(
      /option 'bridge\.from': invalid option: expected one of "top"\|"all", got 'bottom'/,
    );
    expect(() => build({}, { memory: 8 })).toThrow(/sizes.final/);
    expect(() => build({ size: 6 }, { final: [6] })).toThrow(
      /unknown option 'bridge\.size'; known options: from$/,
    );
  });
});
