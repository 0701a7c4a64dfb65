import { exportWeights, Registry } from '@s2s/core';
import { describeBridge, pinBackend, randomMemory } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBridgeGradientsMatch } from '../../test/bridge-checks.js';
import { createProjectedBridge, ProjectedBridge } from './projected-bridge.js';

describeBridge('projected', {
  create: (seed, s) => new ProjectedBridge({ finalSize: s.final.at(-1)!, size: s.query! }, seed),
  sizes: { memory: 6, final: [5, 7], query: 4 },
});

describeBridge('projected, every layer', {
  create: (seed, s) =>
    new ProjectedBridge({ finalSize: s.final[0]! + s.final[1]!, size: 4, from: 'all' }, seed),
});

describe('ProjectedBridge', () => {
  beforeAll(() => pinBackend('wasm'));

  it('computes tanh(W·h + b) of the top final state', () => {
    const bridge = new ProjectedBridge({ finalSize: 3, size: 2 }, 1);
    const memory = randomMemory({ lengths: [2, 1], size: 4, finalSizes: [5, 3], seed: 2 });
    const w = Object.fromEntries([...exportWeights(bridge)].map(([k, v]) => [k, v.arraySync()]));
    const kernel = w.kernel as number[][];
    const bias = w.bias as number[];
    const top = memory.final[1]!.arraySync();
    const c = bridge.context(memory, { training: false }).arraySync();
    top.forEach((h, r) =>
      bias.forEach((b, k) =>
        expect(c[r]![k]).toBeCloseTo(
          Math.tanh(b + h.reduce((s, v, i) => s + v * kernel[i]![k]!, 0)),
          5,
        ),
      ),
    );
    bridge.dispose();
  });

  it('gradients match finite differences', async () => {
    await expectBridgeGradientsMatch(
      (s) => new ProjectedBridge({ finalSize: s.final.at(-1)!, size: 2 }, 1),
    );
  });

  it('is built by name, sized by the option or by the decoder', () => {
    const registry = new Registry();
    registry.register({ kind: 'bridge', name: 'projected', create: createProjectedBridge });
    const build = (config: object, sizes: object) =>
      registry.create('bridge', { name: 'projected', ...config }, { sizes });
    expect(build({}, { memory: 8, final: [4, 6], query: 5 }).outputSize).toBe(5);
    expect(build({ size: 3 }, { final: [6] }).outputSize).toBe(3);
    const all = build({ from: 'all' }, { final: [4, 6], query: 5 });
    expect([...all.parameters().values()][0]!.shape).toEqual([10, 5]);
    expect(() => build({}, { final: [6] })).toThrow(
      /set option 'size' or build it with the size the decoder asks for/,
    );
    expect(() => build({ size: 3 }, { final: [6], query: 5 })).toThrow(
      /option 'bridge\.size' is 3 but the decoder asks for 5/,
    );
    expect(() => build({ size: -1 }, { final: [6] })).toThrow(
      /option 'bridge\.size': too small: expected number to be >0, got -1/,
    );
    expect(() => build({ sise: 3 }, { final: [6] })).toThrow(
      /unknown option 'bridge\.sise' \(did you mean 'size'\?\)/,
    );
  });
});
