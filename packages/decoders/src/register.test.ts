import { disposeBatch, type ModelConfig, makeBatch, registry, Seq2Seq, Trainer } from '@s2s/core';
import { pinBackend, registerToyPlugins } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import './index.js';

const decoders: Record<string, ModelConfig['decoder']> = {
  'initial-context': { name: 'initial-context', bridge: { name: 'toy' } },
  'context-fed': { name: 'context-fed', bridge: { name: 'toy' } },
  attentional: { name: 'attentional', attention: { name: 'toy' } },
  'attentional (luong, input feeding, gru, 2 layers)': {
    name: 'attentional',
    order: 'luong',
    inputFeeding: true,
    cell: 'gru',
    layers: 2,
    attention: { name: 'toy' },
    bridge: { name: 'toy' },
  },
};

describe('@s2s/decoders', () => {
  beforeAll(async () => {
    await pinBackend('wasm');
    registerToyPlugins(registry);
  });

  it('registers its decoders by name on import', () => {
    expect(registry.names('decoder')).toEqual(
      expect.arrayContaining([
        'attentional',
        'context-fed',
        'initial-context',
        'pointer-generator',
      ]),
    );
    expect(registry.names('output')).toEqual(
      expect.arrayContaining(['pointer-generator', 'pointer']),
    );
  });

  for (const [what, decoder] of Object.entries(decoders)) {
    it(`${what}: ties the output layer to its embedding and fits a small batch`, () => {
      const config: ModelConfig = {
        seed: 1,
        source: { vocabSize: 8 },
        target: { vocabSize: 8 },
        encoder: { name: 'toy', size: 8 },
        decoder: { ...decoder, embeddingSize: 8, hiddenSize: 8 },
        output: { name: 'softmax', tie: true },
      };
      const model = Seq2Seq.build(config, registry);
      const names = [...model.parameters().keys()];
      expect(names).toContain('decoder.embedding');
      expect(names).not.toContain('output.kernel');
      const batch = makeBatch(
        [
          [3, 4, 5],
          [6, 7],
          [5, 3, 6],
        ],
        [
          [5, 4, 3],
          [7, 6],
          [6, 3, 5],
        ],
        { pad: 0, bos: 1, eos: 2 },
      );
      const trainer = new Trainer(model, { learningRate: 0.05, seed: 1 });
      const losses = [trainer.step(batch).loss];
      const before = tf.memory().numTensors; // after the optimiser made its slots
      for (let i = 0; i < 24; i++) losses.push(trainer.step(batch).loss);
      expect(tf.memory().numTensors, 'training leaves no tensor behind').toBe(before);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
      disposeBatch(batch);
      model.dispose();
    });
  }
});

describe('@s2s/decoders options in a model config', () => {
  beforeAll(() => {
    registerToyPlugins(registry);
    // The toy attention with a strict options schema, as every real attention declares one.
    if (!registry.has('attention', 'toy-strict')) {
      registry.register({
        kind: 'attention',
        name: 'toy-strict',
        options: z.strictObject({ size: z.int().positive().optional() }),
        create: registry.get('attention', 'toy').create,
      });
    }
  });

  const build =
    (decoder: Record<string, unknown>, output: Record<string, unknown> = {}) =>
    () =>
      Seq2Seq.build(
        {
          seed: 1,
          source: { vocabSize: 8 },
          target: { vocabSize: 8 },
          encoder: { name: 'toy', size: 8 },
          decoder:
            'name' in decoder
              ? { name: decoder.name as string, ...decoder }
              : { name: 'attentional', attention: { name: 'toy-strict' }, ...decoder },
          output: { name: 'softmax', ...output },
        } as ModelConfig,
        registry,
      );

  it("names a typo'd decoder option by its path in the model, with a did you mean", () => {
    expect(build({ hiddenSzie: 4 })).toThrow(
      /^decoder 'attentional': unknown option 'decoder\.hiddenSzie' \(did you mean 'hiddenSize'\?\); known options: .*hiddenSize/,
    );
    expect(
      build({
        name: 'context-fed',
        bridge: { name: 'toy' },
        deepOuput: false,
      }),
    ).toThrow(
      /^decoder 'context-fed': unknown option 'decoder\.deepOuput' \(did you mean 'deepOutput'\?\)/,
    );
  });

  it('names a bad value by its path, with the rule and the value', () => {
    expect(build({ coverageLoss: -0.5 })).toThrow(
      /^decoder 'attentional': option 'decoder\.coverageLoss': too small: expected number to be >=0, got -0\.5$/,
    );
    expect(build({ order: 'bahdanau', inputFeeding: true })).toThrow(
      /option 'decoder\.inputFeeding': needs order 'luong'/,
    );
  });

  it("names a nested attention's or output's option by its full path", () => {
    expect(build({ attention: { name: 'toy-strict', sise: 2 } })).toThrow(
      /^attention 'toy-strict': unknown option 'decoder\.attention\.sise' \(did you mean 'size'\?\)/,
    );
    expect(
      build(
        { name: 'pointer-generator', attention: { name: 'toy-strict' } },
        { name: 'pointer-generator', maxSourceOovs: -1 },
      ),
    ).toThrow(/^output 'pointer-generator': option 'output\.maxSourceOovs': too small/);
  });
});
