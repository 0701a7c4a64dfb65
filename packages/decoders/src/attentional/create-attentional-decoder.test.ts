import { ConfigError, Registry } from '@s2s/core';
import { registerToyPlugins } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createAttentionalDecoder } from './create-attentional-decoder.js';

const registry = new Registry();
registerToyPlugins(registry);
registry.register({ kind: 'decoder', name: 'attentional', create: createAttentionalDecoder });
const sizes = { memory: 6, final: [6], targetVocab: 9 };

describe('createAttentionalDecoder', () => {
  it('builds its attention (asked for a query of size H) and optional bridge (L·H) by name', () => {
    const decoder = registry.create(
      'decoder',
      {
        name: 'attentional',
        hiddenSize: 4,
        layers: 2,
        order: 'luong',
        attention: { name: 'toy' },
        bridge: { name: 'toy' },
      },
      { sizes },
    );
    const params = decoder.parameters();
    expect(params.get('attention.queryKernel')!.shape).toEqual([4, 6]);
    expect(params.get('bridge.kernel')!.shape).toEqual([6, 8]);
    expect(params.get('combineKernel')!.shape).toEqual([6 + 4, 4]);
    expect(decoder.outputSize).toBe(4);
    decoder.dispose();
    const plain = registry.create(
      'decoder',
      { name: 'attentional', hiddenSize: 4, attention: { name: 'toy' } },
      { sizes },
    );
    expect([...plain.parameters().keys()].some((k) => k.startsWith('bridge.'))).toBe(false);
    expect(plain.outputSize).toBe(4 + 6);
    plain.dispose();
  });

  it('rejects bad configs with errors that name the problem, leaking nothing', () => {
    const before = tf.memory().numTensors;
    const create = (options: object) =>
      registry.create('decoder', { name: 'attentional', ...options }, { sizes });
    expect(() => create({ hiddenSize: 6 })).toThrow(
      /option 'decoder\.attention' is required: expected an attention config with a string 'name'/,
    );
    expect(() => create({ init: 'final', attention: { name: 'toy' } })).toThrow(
      /option 'init' of the attentional decoder was replaced by 'bridge'/,
    );
    expect(() => create({ attention: { name: 'toy' }, inputFeed: true })).toThrow(
      /unknown option 'decoder\.inputFeed' \(did you mean 'inputFeeding'\?\)/,
    );
    expect(() => create({ attention: { name: 'nope' } })).toThrow(
      /unknown attention 'nope'; registered attentions: toy/,
    );
    expect(() => create({ attention: { name: 'toy' }, bridge: { name: 'nope' } })).toThrow(
      /unknown bridge 'nope'/,
    );
    expect(() =>
      create({ hiddenSize: 4, attention: { name: 'toy' }, bridge: { name: 'toy', size: 3 } }),
    ).toThrow(ConfigError);
    expect(() => create({ attention: { name: 'toy' }, inputFeeding: true })).toThrow(
      /option 'decoder\.inputFeeding': needs order 'luong'/,
    );
    expect(tf.memory().numTensors, 'rejected configs leave no variables behind').toBe(before);
  });
});
