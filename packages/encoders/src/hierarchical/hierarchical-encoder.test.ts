import {
  ConfigError,
  disposeTree,
  type Encoder,
  exportWeights,
  Registry,
  tidyTree,
} from '@s2s/core';
import {
  describeEncoder,
  expectClose,
  expectGradientsMatchFiniteDifferences,
  lengthMask,
  pinBackend,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGruEncoder, GruEncoder } from '../gru/gru-encoder.js';
import { createHierarchicalEncoder, HierarchicalEncoder } from './hierarchical-encoder.js';

const words = 11;
const width = 4;

/**
 * The kit feeds `[B, S]` ids; this turns each id t into a fixed sentence of 1 + t mod 4
 * words (right-padded with 0), so the kit's checks run on real `[B, N, W]` passages, with
 * padded words and, beyond the mask, garbage sentences.
 */
function readingSentences(encoder: HierarchicalEncoder, kinds: number): Encoder {
  const table = tf.tidy(() => {
    const rows = Array.from({ length: kinds }, (_, t) =>
      Array.from({ length: width }, (_, j) =>
        j <= t % width ? 1 + ((3 * t + j) % (words - 1)) : 0,
      ),
    );
    return tf.keep(tf.tensor2d(rows, [kinds, width], 'int32'));
  });
  return {
    outputSize: encoder.outputSize,
    finalSizes: encoder.finalSizes,
    encode: (source, mask, options) =>
      tidyTree(() => encoder.encode(tf.gather(table, source.toInt()), mask, options)),
    parameters: () => encoder.parameters(),
    dispose: () => {
      table.dispose();
      encoder.dispose();
    },
  };
}

describeEncoder('hierarchical (position encoding, temporal)', {
  create: (seed) =>
    readingSentences(
      new HierarchicalEncoder({ vocabSize: words, embeddingSize: 5, maxSentences: 4 }, seed),
      9,
    ),
  source: { vocabSize: 9 },
});

/** A bidirectional GRU over `[B, N, features]` sentence vectors. */
const sentenceGru = (features: number, hiddenSize: number, seed: number) =>
  new GruEncoder({ features, embeddingSize: features, hiddenSize, bidirectional: 'concat' }, seed);

describeEncoder('hierarchical (bag of words, sentence-level bidirectional GRU)', {
  create: (seed) =>
    readingSentences(
      new HierarchicalEncoder(
        { vocabSize: words, embeddingSize: 5, words: 'bag', temporal: false },
        seed,
        sentenceGru(5, 3, seed + 1),
      ),
      9,
    ),
  source: { vocabSize: 9 },
});

/** Row 0: sentences [3, 4], [5] and [6, 7, 2]; row 1: the sentence [8, 9] and padding. */
const passage = () =>
  tf.tensor3d(
    [
      [
        [3, 4, 0],
        [5, 0, 0],
        [6, 7, 2],
      ],
      [
        [8, 9, 0],
        [4, 4, 4],
        [1, 2, 3],
      ],
    ],
    [2, 3, 3],
    'int32',
  );

describe('HierarchicalEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it('encodes each sentence with position encoding plus the temporal vector of its recency', () => {
    const encoder = new HierarchicalEncoder(
      { vocabSize: words, embeddingSize: 4, maxSentences: 3 },
      2,
    );
    const memory = encoder.encode(passage(), lengthMask([3, 1], 3), { training: false });
    const w = Object.fromEntries(
      [...exportWeights(encoder)].map(([k, v]) => [k, v.arraySync() as number[][]]),
    );
    const table = w['embedding.table']!;
    const temporal = w.temporal!;
    const e = 4;
    const byHand = (ids: number[], recency: number) => {
      const j = ids.length;
      return Array.from({ length: e }, (_, k) =>
        ids.reduce(
          (s, id, i) =>
            s + (1 - (i + 1) / j - ((k + 1) / e) * (1 - (2 * (i + 1)) / j)) * table[id]![k]!,
          temporal[recency]![k]!,
        ),
      );
    };
    const states = memory.states.arraySync();
    const expected = [
      [byHand([3, 4], 2), byHand([5], 1), byHand([6, 7, 2], 0)],
      [byHand([8, 9], 0)],
    ];
    expected.forEach((row, b) =>
      row.forEach((vector, i) =>
        vector.forEach((v, k) => expect(states[b]![i]![k]).toBeCloseTo(v, 5)),
      ),
    );
    const final = memory.final[0]!.arraySync();
    expected.forEach((row, b) =>
      row.at(-1)!.forEach((v, k) => expect(final[b]![k]).toBeCloseTo(v, 5)),
    );
    disposeTree(memory);
    encoder.dispose();
  });

  it('its mask follows the number of real sentences; padded sentences and words change nothing', () => {
    const encoder = new HierarchicalEncoder({ vocabSize: words, embeddingSize: 4 }, 3);
    const mask = lengthMask([3, 1], 3);
    const plain = encoder.encode(passage(), mask, { training: false });
    expect(plain.mask.arraySync()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    // Two more padded words in every sentence, two more padded sentences full of words.
    const wider = tf.tidy(() => {
      const words3 = tf.pad(passage(), [
        [0, 0],
        [0, 2],
        [0, 2],
      ]);
      const garbage = tf.randomUniform([2, 5, 5], 1, words, 'int32', 4);
      const real = tf.pad(mask, [
        [0, 0],
        [0, 2],
      ]);
      return {
        ids: tf.where(real.expandDims(2).cast('bool').tile([1, 1, 5]), words3, garbage),
        real,
      };
    });
    const wide = encoder.encode(wider.ids, wider.real as tf.Tensor2D, { training: false });
    tf.tidy(() => {
      const m = plain.mask.expandDims(2);
      expectClose(
        wide.states.slice([0, 0, 0], [2, 3, 4]).mul(m),
        plain.states.mul(m),
        1e-5,
        'states',
      );
      expectClose(wide.final[0]!, plain.final[0]!, 1e-5, 'final');
    });
    disposeTree([plain, wide, wider, mask]);
    encoder.dispose();
  });

  it('feeds the sentence vectors to the sentence-level encoder, whose memory it returns', () => {
    const rnn = sentenceGru(4, 3, 7);
    const encoder = new HierarchicalEncoder({ vocabSize: words, embeddingSize: 4 }, 3, rnn);
    const alone = new HierarchicalEncoder({ vocabSize: words, embeddingSize: 4 }, 3);
    expect(encoder.outputSize).toBe(6);
    expect(encoder.finalSizes).toEqual([6]);
    const mask = lengthMask([3, 1], 3);
    const both = encoder.encode(passage(), mask, { training: false });
    const vectors = alone.encode(passage(), mask, { training: false });
    const direct = rnn.encode(vectors.states, mask, { training: false });
    expectClose(both.states, direct.states, 1e-6, 'sentence-level states');
    expectClose(both.final[0]!, direct.final[0]!, 1e-6, 'sentence-level final');
    const names = [...encoder.parameters().keys()];
    expect(names.slice(0, 2)).toEqual(['temporal', 'embedding.table']);
    expect(names.slice(2).every((n) => n.startsWith('sentences.'))).toBe(true);
    disposeTree([both, vectors, direct, mask]);
    encoder.dispose();
    alone.dispose();
  });

  it('gradients match finite differences', async () => {
    await pinBackend('cpu');
    const encoder = new HierarchicalEncoder(
      { vocabSize: words, embeddingSize: 3, maxSentences: 3 },
      1,
      sentenceGru(3, 2, 2),
    );
    // [B, N, 2H] states of the bidirectional GRU.
    const source = passage();
    const mask = lengthMask([3, 1], 3);
    const probe = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    expectGradientsMatchFiniteDifferences(encoder, () => {
      const m = encoder.encode(source, mask, { training: false });
      return tf.add(
        tf.sum(tf.mul(tf.mul(m.states, mask.expandDims(2)), probe)),
        tf.sum(m.final[0]!),
      ) as tf.Scalar;
    });
    disposeTree([source, mask, probe]);
    encoder.dispose();
    await pinBackend('wasm');
  });

  it('is built by name, with its sentence-level encoder reading frames of size E', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'gru', create: createGruEncoder });
    registry.register({ kind: 'encoder', name: 'hierarchical', create: createHierarchicalEncoder });
    const encoder = registry.create(
      'encoder',
      {
        name: 'hierarchical',
        embeddingSize: 6,
        sentences: { name: 'gru', embeddingSize: 6, hiddenSize: 5 },
      },
      { sizes: { sourceVocab: 12 } },
    );
    expect(encoder.outputSize).toBe(5);
    // The GRU reads frames of size E = 6 (its front end projects them).
    expect(encoder.parameters().get('sentences.projection.kernel')!.shape[0]).toBe(6);
    encoder.dispose();
    const sizes = { sizes: { sourceVocab: 12 } };
    expect(() =>
      registry.create('encoder', { name: 'hierarchical', sentence: 'bag' }, sizes),
    ).toThrow(/unknown option 'encoder\.sentence' \(did you mean 'sentences'\?\)/);
    expect(() =>
      registry.create('encoder', { name: 'hierarchical', words: 'lstm' }, sizes),
    ).toThrow(
      /option 'encoder\.words': invalid option: expected one of "position"\|"bag", got 'lstm'/,
    );
    expect(() =>
      registry.create(
        'encoder',
        { name: 'hierarchical', sentences: { name: 'gru', hiddenSise: 4 } },
        sizes,
      ),
    ).toThrow(/unknown option 'encoder\.sentences\.hiddenSise' \(did you mean 'hiddenSize'\?\)/);
    expect(() => registry.create('encoder', { name: 'hierarchical' }, { sizes: {} })).toThrow(
      ConfigError,
    );
  });

  it('rejects a flat source, naming the expected shape', () => {
    const encoder = new HierarchicalEncoder({ vocabSize: words }, 1);
    const ids = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    expect(() => encoder.encode(ids, tf.ones([1, 2]) as tf.Tensor2D, { training: false })).toThrow(
      /\[B, N, W\]/,
    );
    ids.dispose();
    encoder.dispose();
  });
});
