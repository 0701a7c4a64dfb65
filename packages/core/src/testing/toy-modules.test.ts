import { describe, expect, it } from 'vitest';
import { Registry } from '../registry/registry.js';
import { describeAttention } from './attention-kit.js';
import { describeBridge } from './bridge-kit.js';
import { describeDecoder } from './decoder-kit.js';
import { describeEncoder } from './encoder-kit.js';
import {
  registerToyPlugins,
  ToyAttention,
  ToyBridge,
  ToyDecoder,
  ToyEncoder,
} from './toy-modules.js';

// The kit checks itself on the toy modules, which the rest of core's tests rely on.
describeEncoder('toy', { create: (seed) => new ToyEncoder(9, 5, seed), source: { vocabSize: 9 } });
describeAttention('toy', { create: (seed, s) => new ToyAttention(s.memory, s.query, seed) });
describeDecoder('toy', {
  create: (seed, s) =>
    new ToyDecoder(s.targetVocab, 4, new ToyAttention(s.memory, 4, seed + 1), seed),
});
describeBridge('toy', { create: (seed, s) => new ToyBridge(s.memory, s.query ?? 4, seed) });

describe('registerToyPlugins', () => {
  it('registers the four toy plugins, and a second call (another test file) is a no-op', () => {
    const registry = new Registry();
    registerToyPlugins(registry);
    expect(() => registerToyPlugins(registry)).not.toThrow();
    for (const kind of ['encoder', 'attention', 'bridge', 'decoder'] as const) {
      expect(registry.has(kind, 'toy'), kind).toBe(true);
    }
  });
});
