import {
  type Batch,
  type Bridge,
  disposeBatch,
  makeBatch,
  Registry,
  registry,
  Seq2Seq,
  Trainer,
} from '@s2s/core';
import { lengthMask, pinBackend, registerToyPlugins } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';

/** The global registry's encoders and bridges beside core's toy decoder. */
function registryWithToys(): Registry {
  const fresh = new Registry();
  for (const plugin of registry.list()) if (plugin.kind !== 'output') fresh.register(plugin);
  registerToyPlugins(fresh);
  return fresh;
}

describe('the encoders inside a model', () => {
  beforeAll(() => pinBackend('wasm'));

  it('registers every encoder and bridge by name', () => {
    expect(registry.names('encoder')).toEqual(
      expect.arrayContaining(['gru', 'lstm', 'pyramidal-gru', 'pyramidal-lstm']),
    );
    expect(registry.names('bridge')).toEqual(
      expect.arrayContaining(['last', 'pooled', 'projected']),
    );
  });

  it.each([
    { name: 'lstm', layers: 2, bidirectional: 'concat', residual: true },
    { name: 'gru', bidirectional: 'sum' },
    { name: 'pyramidal-lstm', layers: 3 },
    { name: 'pyramidal-gru', layers: 2, bidirectional: false },
  ])('$name learns a feature-frame task in a Seq2Seq, leaving no tensor behind', (encoder) => {
    const model = Seq2Seq.build(
      {
        seed: 1,
        source: { features: 3 },
        target: { vocabSize: 7 },
        encoder: { ...encoder, embeddingSize: 6, hiddenSize: 6 },
        decoder: { name: 'toy', hidden: 6 },
      },
      registryWithToys(),
    );
    const targets = makeBatch(
      [[3], [3]],
      [
        [3, 4, 5],
        [6, 5],
      ],
      { pad: 0, bos: 1, eos: 2 },
    );
    tf.dispose([targets.source, targets.sourceMask]);
    const batch: Batch = {
      ...targets,
      source: tf.randomNormal([2, 7, 3], 0, 1, 'float32', 1),
      sourceMask: lengthMask([7, 4], 7),
    };
    const trainer = new Trainer(model, { learningRate: 0.02 });
    const first = trainer.step(batch).loss; // creates the optimizer's slots
    const before = tf.memory().numTensors;
    const losses = [first, ...Array.from({ length: 30 }, () => trainer.step(batch).loss)];
    expect(tf.memory().numTensors, 'training leaves no tensor behind').toBe(before);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 4);
    disposeBatch(batch);
    trainer.optimizer.dispose();
    model.dispose();
  });

  it('hands a decoder its bridge by name, sized by the decoder', () => {
    const fresh = registryWithToys();
    let bridge: Bridge | undefined;
    fresh.register({
      kind: 'decoder',
      name: 'bridged',
      create: (options, context) => {
        bridge = context.build('bridge', options.bridge as { name: string }, 'bridge', {
          ...context.sizes,
          query: 5,
        });
        return fresh.create('decoder', { name: 'toy', hidden: 5 }, { sizes: context.sizes });
      },
    });
    const model = Seq2Seq.build(
      {
        seed: 1,
        source: { vocabSize: 9 },
        target: { vocabSize: 7 },
        encoder: { name: 'gru', hiddenSize: 4, bidirectional: 'concat' },
        decoder: { name: 'bridged', bridge: { name: 'projected' } },
      },
      fresh,
    );
    expect(bridge!.outputSize).toBe(5);
    expect([...bridge!.parameters().values()][0]!.shape).toEqual([8, 5]);
    bridge!.dispose();
    model.dispose();
  });
});
