import { disposeTree, type Encoder, type Memory, Registry, ShapeError, tidyTree } from '@s2s/core';
import {
  describeEncoder,
  expectClose,
  expectGradientsMatchFiniteDifferences,
  lengthMask,
  pinBackend,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHierarchicalEncoder } from '../hierarchical/hierarchical-encoder.js';
import { createLstmEncoder, LstmEncoder } from '../lstm/lstm-encoder.js';
import { createMultiSourceEncoder, MultiSourceEncoder } from './multi-source-encoder.js';

const vocab = 9;
const small = { vocabSize: vocab, embeddingSize: 3, hiddenSize: 4 };

const twoLstms = (seed: number, final?: string) =>
  new MultiSourceEncoder(
    {
      main: new LstmEncoder(small, seed),
      sources: { question: new LstmEncoder(small, seed + 50) },
    },
    final === undefined ? {} : { final },
  );

/**
 * The kit encodes one source; this hands the encoder a question derived from each row's
 * first token t (always real): 1 + t mod 3 ids (t + 2j + 1) mod V, right-padded.
 */
function withDerivedQuestion(encoder: MultiSourceEncoder): Encoder {
  return {
    outputSize: encoder.outputSize,
    finalSizes: encoder.finalSizes,
    encode: (source, mask, options) => {
      const question = tf.tidy(() => {
        const first = source.slice([0, 0], [-1, 1]).toInt();
        const j = tf.range(0, 3, 1, 'int32').reshape([1, 3]);
        const ids = tf.mod(tf.add(first, tf.add(tf.mul(j, 2), 1)), vocab);
        const length = tf.add(tf.mod(first, 3), 1);
        return { ids, mask: tf.less(j, length).toFloat() };
      });
      const memory = encoder.encode(source, mask, {
        ...options,
        inputs: { question: question.ids, questionMask: question.mask },
      });
      disposeTree(question);
      return memory;
    },
    parameters: () => encoder.parameters(),
    dispose: () => encoder.dispose(),
  };
}

describeEncoder('multi-source (final: all)', {
  create: (seed) => withDerivedQuestion(twoLstms(seed)),
  source: { vocabSize: vocab },
});

describeEncoder('multi-source (final: question)', {
  create: (seed) => withDerivedQuestion(twoLstms(seed, 'question')),
  source: { vocabSize: vocab },
});

/** Passage lengths [4, 2], question lengths [1, 3]. */
function batch() {
  return {
    passage: tf.tensor2d(
      [
        [1, 2, 3, 4],
        [5, 6, 0, 0],
      ],
      [2, 4],
      'int32',
    ),
    passageMask: lengthMask([4, 2], 4),
    question: tf.tensor2d(
      [
        [7, 0, 0],
        [8, 3, 2],
      ],
      [2, 3],
      'int32',
    ),
    questionMask: lengthMask([1, 3], 3),
  };
}

const encodeBatch = (encoder: Encoder, b: ReturnType<typeof batch>) =>
  tidyTree(() =>
    encoder.encode(b.passage, b.passageMask, {
      training: false,
      inputs: { question: b.question, questionMask: b.questionMask },
    }),
  );

/** `x` padded to `extra` more positions on axis 1, holding random ids there. */
function withGarbage(ids: tf.Tensor2D, mask: tf.Tensor2D, extra: number, seed: number) {
  return tf.tidy(() => {
    const [b, s] = ids.shape;
    const keep = tf.concat([mask, tf.zeros([b, extra])], 1) as tf.Tensor2D;
    const garbage = tf.randomUniform([b, s + extra], 0, vocab, 'int32', seed);
    const wide = tf.pad(ids, [
      [0, 0],
      [0, extra],
    ]);
    return { ids: tf.where(keep.cast('bool'), wide, garbage) as tf.Tensor2D, mask: keep };
  });
}

describe('MultiSourceEncoder', () => {
  beforeAll(() => pinBackend('wasm'));

  it("puts each further source's memory in extras, as its own encoder alone gives it", () => {
    const question = new LstmEncoder(small, 8);
    const encoder = new MultiSourceEncoder({
      main: new LstmEncoder(small, 7),
      sources: { question },
    });
    const b = batch();
    const memory = encodeBatch(encoder, b);
    const alone = question.encode(b.question, b.questionMask, { training: false });
    const extra = memory.extras!.question as Memory;
    expectClose(extra.states, alone.states, 0, 'question states');
    expectClose(extra.mask, b.questionMask, 0, 'question mask');
    expect(memory.final.length).toBe(2);
    expectClose(memory.final[1]!, alone.final[0]!, 0, 'question final, after the main one');
    expect(encoder.sourceSizes).toEqual({ question: 4 });
    disposeTree([memory, alone, b]);
    encoder.dispose();
  });

  it('padding in the passage or the question, whatever it holds, changes nothing', () => {
    const encoder = twoLstms(3);
    const b = batch();
    const plain = encodeBatch(encoder, b);
    const q = withGarbage(b.question, b.questionMask, 3, 5);
    const p = withGarbage(b.passage, b.passageMask, 2, 6);
    const widerQuestion = encodeBatch(encoder, { ...b, question: q.ids, questionMask: q.mask });
    const widerPassage = encodeBatch(encoder, { ...b, passage: p.ids, passageMask: p.mask });
    const real = (m: Memory, width: number) =>
      tf.mul(
        m.states.slice([0, 0, 0], [-1, width, -1]),
        m.mask.slice([0, 0], [-1, width]).expandDims(2),
      );
    tf.tidy(() => {
      for (const [what, wide] of [
        ['question', widerQuestion],
        ['passage', widerPassage],
      ] as const) {
        expectClose(real(wide, 4), real(plain, 4), 1e-5, `passage states (wider ${what})`);
        const [qa, qb] = [wide.extras!.question as Memory, plain.extras!.question as Memory];
        expectClose(real(qa, 3), real(qb, 3), 1e-5, `question states (wider ${what})`);
        plain.final.forEach((f, l) => expectClose(wide.final[l]!, f, 1e-5, `final ${l} (${what})`));
      }
    });
    disposeTree([plain, widerQuestion, widerPassage, q, p, b]);
    encoder.dispose();
  });

  it('each row of the question memory is independent of the other rows', () => {
    const encoder = twoLstms(4);
    const b = batch();
    const all = encodeBatch(encoder, b);
    const row = encodeBatch(encoder, {
      passage: b.passage.slice(1, 1),
      passageMask: b.passageMask.slice(1, 1),
      question: b.question.slice(1, 1),
      questionMask: b.questionMask.slice(1, 1),
    });
    tf.tidy(() =>
      expectClose(
        (all.extras!.question as Memory).states.slice(1, 1),
        (row.extras!.question as Memory).states,
        1e-5,
        'question states of row 1',
      ),
    );
    disposeTree([all, row, b]);
    encoder.dispose();
  });

  it("carries the main source's, a named source's or every final state", () => {
    const b = batch();
    for (const [final, count] of [
      ['main', 1],
      ['question', 1],
      ['all', 2],
    ] as const) {
      const encoder = twoLstms(5, final);
      const memory = encodeBatch(encoder, b);
      expect(memory.final.length, final).toBe(count);
      expect(encoder.finalSizes).toEqual(Array(count).fill(4));
      disposeTree(memory);
      encoder.dispose();
    }
    expect(() => twoLstms(1, 'answer')).toThrow(
      /option 'final': expected 'all', 'main' or a further source's name \(question\), got 'answer'/,
    );
    disposeTree(b);
  });

  it('fails with a shape error naming a missing or mis-sized source input', () => {
    const encoder = twoLstms(1);
    const b = batch();
    expect(() => encoder.encode(b.passage, b.passageMask, { training: false })).toThrow(ShapeError);
    expect(() =>
      encoder.encode(b.passage, b.passageMask, {
        training: false,
        inputs: { question: b.question },
      }),
    ).toThrow(/named inputs 'question' and 'questionMask'/);
    const one = b.questionMask.slice(0, 1);
    expect(() =>
      encoder.encode(b.passage, b.passageMask, {
        training: false,
        inputs: { question: b.question, questionMask: one },
      }),
    ).toThrow(/ids \[2, S', …\] with a mask \[2, S'\]/);
    disposeTree([b, one]);
    encoder.dispose();
  });

  it('gradients match finite differences through both sources', async () => {
    await pinBackend('cpu');
    const tiny = { vocabSize: vocab, embeddingSize: 2, hiddenSize: 2 };
    const encoder = new MultiSourceEncoder({
      main: new LstmEncoder(tiny, 1),
      sources: { question: new LstmEncoder(tiny, 2) },
    });
    const b = batch();
    const probe = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 4);
    expectGradientsMatchFiniteDifferences(encoder, () => {
      const m = encoder.encode(b.passage, b.passageMask, {
        training: false,
        inputs: { question: b.question, questionMask: b.questionMask },
      });
      const q = m.extras!.question as Memory;
      return tf.addN([
        tf.sum(tf.mul(tf.mul(q.states, b.questionMask.expandDims(2)), probe)),
        tf.sum(m.final[0]!),
      ]) as tf.Scalar;
    });
    disposeTree([b, probe]);
    encoder.dispose();
    await pinBackend('wasm');
  });

  it('is built by name: a hierarchical passage encoder and a question encoder', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'lstm', create: createLstmEncoder });
    registry.register({ kind: 'encoder', name: 'hierarchical', create: createHierarchicalEncoder });
    registry.register({ kind: 'encoder', name: 'multi-source', create: createMultiSourceEncoder });
    const encoder = registry.create(
      'encoder',
      {
        name: 'multi-source',
        main: { name: 'hierarchical', embeddingSize: 6 },
        sources: { question: { name: 'lstm', embeddingSize: 3, hiddenSize: 5 } },
        final: 'question',
      },
      { sizes: { sourceVocab: 12 } },
    ) as MultiSourceEncoder;
    expect(encoder.outputSize).toBe(6);
    expect(encoder.sourceSizes).toEqual({ question: 5 });
    expect(encoder.finalSizes).toEqual([5]);
    const names = [...encoder.parameters().keys()];
    expect(names).toContain('main.embedding.table');
    expect(names).toContain('question.layers.0.forward.recurrentKernel');
    encoder.dispose();
    const sizes = { sizes: { sourceVocab: 12 } };
    expect(() =>
      registry.create(
        'encoder',
        { name: 'multi-source', sources: { question: { name: 'lstm' } } },
        sizes,
      ),
    ).toThrow(
      /option 'encoder\.main' is required: expected an encoder config with a string 'name'/,
    );
    expect(() =>
      registry.create(
        'encoder',
        { name: 'multi-source', main: { name: 'lstm' }, sources: ['q'] },
        sizes,
      ),
    ).toThrow(
      /option 'encoder\.sources': expected an object of encoder configs by input name.*, got \["q"\]/,
    );
    expect(() =>
      registry.create(
        'encoder',
        { name: 'multi-source', main: { name: 'lstm' }, sources: { question: { name: 'gru' } } },
        sizes,
      ),
    ).toThrow(/gru/);
  });
});
