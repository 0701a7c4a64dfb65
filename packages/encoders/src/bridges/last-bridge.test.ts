import { Registry } from '@s2s/core';
import { describeBridge, pinBackend, randomMemory } from '@s2s/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectBridgeGradientsMatch } from '../../test/bridge-checks.js';
import { createLastStateBridge, LastStateBridge } from './last-bridge.js';

describeBridge('last', { create: (_, s) => new LastStateBridge(s.final.at(-1)!) });

describe('LastStateBridge', () => {
  beforeAll(() => pinBackend('wasm'));

  it("returns the top layer's final state", () => {
    const memory = randomMemory({ lengths: [3, 1], size: 4, finalSizes: [2, 5], seed: 1 });
    const c = new LastStateBridge(5).context(memory, { training: false });
    expect(c.arraySync()).toEqual(memory.final[1]!.arraySync());
    c.dispose();
  });

  it('passes gradients straight to the final state (finite differences)', async () => {
    await expectBridgeGradientsMatch((s) => new LastStateBridge(s.final.at(-1)!));
  });

  it('is built by name and needs the decoder size to match', () => {
    const registry = new Registry();
    registry.register({ kind: 'bridge', name: 'last', create: createLastStateBridge });
    const build = (config: object, sizes: object) =>
      registry.create('bridge', { name: 'last', ...config }, { sizes });
    expect(build({}, { memory: 8, final: [4, 6], query: 6 }).outputSize).toBe(6);
    expect(() => build({}, { memory: 8, final: [4, 6], query: 5 })).toThrow(
      /top final state has size 6 but the decoder needs 5; use the 'projected' bridge/,
    );
    expect(() => build({}, { memory: 8 })).toThrow(/sizes.final/);
    expect(() => build({ size: 6 }, { final: [6] })).toThrow(/unknown option 'size'/);
  });
});
