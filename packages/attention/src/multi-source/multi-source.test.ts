import {
  type Attention,
  ConfigError,
  disposeTree,
  type Memory,
  Registry,
  ShapeError,
  tidyTree,
} from '@s2s/core';
import {
  describeAttention,
  expectClose,
  expectGradientsMatchFiniteDifferences,
  lengthMask,
  pinBackend,
  randomMemory,
  widenMemory,
} from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  dot,
  expectPositions,
  type Matrix,
  softmax,
  type Vector,
  vecMat,
  weightedSum,
  weightsOf,
} from '../../test/reference.js';
import { bahdanauOptions, createBahdanauAttention } from '../additive/bahdanau.js';
import { createScaledDotAttention, scaledDotOptions } from '../dot-product/scaled-dot.js';
import { createMultiSourceAttention, multiSourceOptions } from './create-multi-source.js';
import type { MultiSourceAttention, SourceCombination } from './multi-source.js';

const registry = new Registry();
registry.register({
  kind: 'attention',
  name: 'bahdanau',
  options: bahdanauOptions,
  create: createBahdanauAttention,
});
registry.register({
  kind: 'attention',
  name: 'scaled-dot',
  options: scaledDotOptions,
  create: createScaledDotAttention,
});
registry.register({
  kind: 'attention',
  name: 'multi-source',
  options: multiSourceOptions,
  create: createMultiSourceAttention,
});

/** Builds a multi-source attention by name, the question's states of size `questionSize`. */
function build(
  combine: SourceCombination,
  sizes: { memory: number; query: number },
  seed: number,
  questionSize = sizes.memory,
): MultiSourceAttention {
  const inner = { name: 'scaled-dot', size: 3 };
  const config =
    combine === 'flat'
      ? { name: 'multi-source', combine, attention: inner, sources: ['question'] }
      : { name: 'multi-source', combine, size: 3, attention: inner, sources: { question: inner } };
  const encoder = { sourceSizes: { question: questionSize } } as never;
  return registry.create('attention', config, {
    seed,
    sizes,
    parts: { encoder },
  }) as MultiSourceAttention;
}

/**
 * The kit feeds one memory; this gives it a second source derived from it (the states with
 * their features reversed, the same mask), so every kit check runs through both sources.
 */
function withDerivedQuestion(attention: MultiSourceAttention): Attention {
  return {
    contextSize: attention.contextSize,
    prepare: (memory) =>
      tidyTree(() =>
        attention.prepare({
          ...memory,
          extras: { question: { states: tf.reverse(memory.states, 2), mask: memory.mask } },
        }),
      ),
    attend: (query, cache, state) => attention.attend(query, cache as never, state as never),
    ...(attention.attendAll
      ? { attendAll: (queries, cache) => attention.attendAll!(queries, cache as never) }
      : {}),
    parameters: () => attention.parameters(),
    dispose: () => attention.dispose(),
  };
}

for (const combine of ['concat', 'hierarchical', 'flat', 'cascade'] as const) {
  describeAttention(`multi-source (${combine})`, {
    create: (seed, sizes) => withDerivedQuestion(build(combine, sizes, seed)),
  });
}

/** A batch whose main source has lengths [3, 1] and question lengths [2, 4]. */
function twoSources(): Memory {
  const main = randomMemory({ lengths: [3, 1], size: 4, seed: 1 });
  const question = randomMemory({ lengths: [2, 4], size: 4, seed: 2 });
  return { ...main, extras: { question } };
}

describe('MultiSourceAttention', () => {
  beforeAll(() => pinBackend('wasm'));
  afterAll(() => pinBackend('wasm'));

  for (const combine of ['concat', 'hierarchical', 'flat', 'cascade'] as const) {
    it(`${combine}: padding in either source, whatever it holds, changes nothing`, () => {
      const attention = build(combine, { memory: 4, query: 5 }, 3);
      const query = tf.randomNormal([2, 5], 0, 1, 'float32', 4) as tf.Tensor2D;
      const attendOnce = (memory: Memory) =>
        tidyTree(() => attention.attend(query, attention.prepare(memory)));
      const plain = twoSources();
      const base = attendOnce(plain);
      const widerQuestion = {
        ...plain,
        extras: { question: widenMemory(plain.extras!.question as Memory, 3, 8) },
      };
      const widerMain = { ...widenMemory(plain, 3, 9), extras: plain.extras };
      for (const [what, memory] of [
        ['question', widerQuestion],
        ['main', widerMain],
      ] as const) {
        const r = attendOnce(memory);
        expectClose(r.context, base.context, 1e-5, `context with a wider ${what}`);
        tf.tidy(() =>
          expectClose(r.weights.slice([0, 0], [2, 3]), base.weights, 1e-5, `weights (${what})`),
        );
        disposeTree(r);
      }
      disposeTree([plain, widerQuestion.extras, widerMain.states, widerMain.mask, base, query]);
      attention.dispose();
    });
  }

  it('concat joins the contexts of each source attention, each alone on its own source', () => {
    const attention = build('concat', { memory: 4, query: 5 }, 3, 2);
    expect(attention.contextSize).toBe(4 + 2);
    expectByHand(attention, 2, ({ main, other, q, w }) => ({
      context: [...scaledDot(main, q, w, 'main'), ...scaledDot(other, q, w, 'question')],
    }));
  });

  it('cascade reads the question first and queries the main source with [s; C_question]', () => {
    const attention = build('cascade', { memory: 4, query: 5 }, 3, 2);
    expectByHand(attention, 2, ({ main, other, q, w }) => {
      expect(w['main.queryKernel']!.length).toBe(5 + 2);
      const cq = scaledDot(other, q, w, 'question');
      return { context: [...scaledDot(main, [...q, ...cq], w, 'main'), ...cq] };
    });
  });

  it('hierarchical weighs the source contexts by a second attention, as computed by hand', () => {
    const attention = build('hierarchical', { memory: 4, query: 5 }, 3);
    expectByHand(attention, 4, ({ main, other, q, w }) => {
      const contexts = [scaledDot(main, q, w, 'main'), scaledDot(other, q, w, 'question')];
      const s = vecMat(q, w['combine.queryKernel']!);
      const labels = ['main', 'question'];
      const v = w['combine.scoreVector']!.map((row) => row[0]!);
      const e = contexts.map((c, k) =>
        dot(add(s, vecMat(c, w[`combine.keyKernel.${labels[k]}`]!)).map(Math.tanh), v),
      );
      const beta = softmax(e);
      const parts = contexts.map((c, k) =>
        vecMat(c, w[`combine.valueKernel.${labels[k]}`]!).map((x) => beta[k]! * x),
      );
      return { context: add(...parts) };
    });
  });

  it('flat attends once over both sources with the joint mask; weights are the main share', () => {
    const attention = build('flat', { memory: 4, query: 5 }, 3);
    expectByHand(attention, 4, ({ main, other, q, w }) => {
      const joint = [...main, ...other];
      const qd = vecMat(q, w['joint.queryKernel']!);
      const key = (h: Vector) => vecMat(h, w['joint.keyKernel']!);
      const a = softmax(joint.map((h) => dot(qd, key(h)) / Math.sqrt(3)));
      const share = a.slice(0, main.length);
      const total = share.reduce((x, y) => x + y, 0);
      return { context: weightedSum(a, joint), weights: share.map((x) => x / total) };
    });
  });

  it('threads the state of a stateful source attention and then offers no attendAll', () => {
    const attention = registry.create(
      'attention',
      {
        name: 'multi-source',
        attention: { name: 'bahdanau', size: 3 },
        sources: { question: { name: 'bahdanau', size: 3, coverage: true } },
      },
      { seed: 1, sizes: { memory: 4, query: 5 } },
    ) as MultiSourceAttention;
    expect(attention.attendAll).toBeUndefined();
    const memory = twoSources();
    const query = tf.randomNormal([2, 5], 0, 1, 'float32', 4) as tf.Tensor2D;
    tf.tidy(() => {
      const cache = attention.prepare(memory);
      const s0 = attention.initialState!(cache) as {
        sources: { question: { coverage: tf.Tensor } };
      };
      expect(s0.sources.question.coverage.arraySync()).toEqual([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]);
      const r = attention.attend(query, cache, s0 as never);
      const coverage = (r.state as { sources: { question: { coverage: tf.Tensor } } }).sources
        .question.coverage;
      expectClose(coverage.sum(1), tf.ones([2]), 1e-5, 'coverage after one step');
    });
    disposeTree([memory, query]);
    attention.dispose();
  });

  it('fails with a shape error naming a missing or mis-sized source', () => {
    const concat = build('concat', { memory: 4, query: 5 }, 1);
    const main = randomMemory({ lengths: [2], size: 4, seed: 1 });
    expect(() => concat.prepare(main)).toThrow(ShapeError);
    expect(() => concat.prepare(main)).toThrow(/source 'question'.*no extras at all/);
    const flat = build('flat', { memory: 4, query: 5 }, 1);
    const odd = { ...main, extras: { question: randomMemory({ lengths: [2], size: 3, seed: 2 }) } };
    expect(() => flat.prepare(odd)).toThrow(/main source's size 4/);
    disposeTree([main, odd.extras]);
    concat.dispose();
    flat.dispose();
  });

  it('rejects bad configs, naming the option by its path in the model', () => {
    const sizes = { memory: 4, query: 5 };
    const inner = { name: 'scaled-dot' };
    const create = (config: Record<string, unknown>) =>
      registry.create(
        'attention',
        { name: 'multi-source', ...config },
        { path: 'decoder.attention', sizes },
      );
    expect(() => create({ sources: { question: inner } })).toThrow(
      /^attention 'multi-source': option 'decoder\.attention\.attention' is required: expected an attention config with a string 'name'/,
    );
    expect(() => create({ attention: inner, sources: ['question'] })).toThrow(
      /option 'decoder\.attention\.sources': with combine 'concat', expected an object of attention configs by source name.*, got \["question"\]/,
    );
    expect(() =>
      create({ attention: inner, combine: 'flat', sources: { question: inner } }),
    ).toThrow(
      /option 'decoder\.attention\.sources': with combine 'flat', expected a list of source names/,
    );
    expect(() => create({ attention: inner, sources: {} })).toThrow(
      /option 'decoder\.attention\.sources': expected at least one source, got \{\}/,
    );
    expect(() => create({ attention: inner, sources: { main: inner } })).toThrow(
      /option 'decoder\.attention\.sources': a source cannot be called 'main' \(reserved: main, joint, combine\)/,
    );
    expect(() => create({ attention: inner, sources: { question: 'bahdanau' } })).toThrow(
      /option 'decoder\.attention\.sources\.question': expected an attention config with a string 'name'.*, got 'bahdanau'/,
    );
    expect(() =>
      create({ attention: inner, sources: { question: inner }, combine: 'sum' }),
    ).toThrow(ConfigError);
    expect(() =>
      create({ attention: inner, sources: { question: inner }, combine: 'sum' }),
    ).toThrow(
      /option 'decoder\.attention\.combine': .*"concat"\|"hierarchical"\|"flat"\|"cascade", got 'sum'/,
    );
    expect(() => create({ attention: inner, sources: { question: inner }, sise: 2 })).toThrow(
      /unknown option 'decoder\.attention\.sise' \(did you mean 'size'\?\)/,
    );
  });

  it("names a nested attention's bad option by its full path", () => {
    const sizes = { memory: 4, query: 5 };
    const create = (config: Record<string, unknown>) =>
      registry.create(
        'attention',
        { name: 'multi-source', ...config },
        { path: 'decoder.attention', sizes },
      );
    expect(() =>
      create({
        attention: { name: 'scaled-dot', sise: 4 },
        sources: { question: { name: 'bahdanau' } },
      }),
    ).toThrow(
      /^attention 'scaled-dot': unknown option 'decoder\.attention\.main\.sise' \(did you mean 'size'\?\)/,
    );
    expect(() =>
      create({
        attention: { name: 'scaled-dot' },
        sources: { question: { name: 'bahdanau', size: -1 } },
      }),
    ).toThrow(
      /^attention 'bahdanau': option 'decoder\.attention\.question\.size': too small: expected number to be >0, got -1$/,
    );
    expect(() =>
      create({
        attention: { name: 'bahdanau', coverage: 'yes' },
        combine: 'flat',
        sources: ['question'],
      }),
    ).toThrow(/option 'decoder\.attention\.joint\.coverage': .*boolean.*, got 'yes'/);
  });

  for (const combine of ['concat', 'hierarchical', 'flat', 'cascade'] as const) {
    it(`${combine}: gradients match finite differences, through both sources`, async () => {
      await pinBackend('cpu');
      const attention = build(combine, { memory: 3, query: 2 }, 1);
      const main = tf.variable(tf.randomNormal([2, 3, 3], 0, 1, 'float32', 11));
      const other = tf.variable(tf.randomNormal([2, 2, 3], 0, 1, 'float32', 12));
      const query = tf.variable(tf.randomNormal([2, 2], 0, 1, 'float32', 13));
      const probe = tf.randomNormal([2, attention.contextSize], 0, 1, 'float32', 14);
      const memory: Memory = {
        states: main as tf.Tensor3D,
        mask: lengthMask([3, 2], 3),
        final: [],
        extras: { question: { states: other, mask: lengthMask([1, 2], 2) } },
      };
      const inputs = new Map([
        ...attention.parameters(),
        ['main', main],
        ['question', other],
        ['query', query],
      ]);
      expectGradientsMatchFiniteDifferences(
        { parameters: () => inputs, dispose: () => undefined },
        () => {
          const r = attention.attend(query as tf.Tensor2D, attention.prepare(memory));
          return tf.sum(tf.mul(r.context, probe)) as tf.Scalar;
        },
        { samplesPerParameter: 3 },
      );
      disposeTree([main, other, query, probe, memory.mask, memory.extras]);
      attention.dispose();
    });
  }
});

/** Scaled-dot attention of one row by hand, with the weights of the sub-attention `prefix`. */
function scaledDot(h: Matrix, q: Vector, w: Record<string, Matrix>, prefix: string): Vector {
  const qd = vecMat(q, w[`${prefix}.queryKernel`]!);
  const a = softmax(h.map((hj) => dot(qd, vecMat(hj, w[`${prefix}.keyKernel`]!)) / Math.sqrt(3)));
  return weightedSum(a, h);
}

/** A question memory of size `size` with lengths [2, 4]. */
function randomQuestion(size: number): Memory {
  return randomMemory({ lengths: [2, 4], size, seed: 2 });
}

/** What a hand-worked row sees: its real main and question states, its query, the weights. */
interface HandRow {
  readonly main: Matrix;
  readonly other: Matrix;
  readonly q: Vector;
  readonly w: Record<string, Matrix>;
}

/**
 * Attends once over a main source of lengths [3, 1] and a question of lengths [2, 4] (of
 * size `questionSize`), padding full of garbage, and checks each row's context (and
 * weights, when given, exactly 0 on padding) against `expected`, worked out from that row.
 */
function expectByHand(
  attention: MultiSourceAttention,
  questionSize: number,
  expected: (row: HandRow) => { context: Vector; weights?: Vector },
): void {
  const memory = { ...twoSources(), extras: { question: randomQuestion(questionSize) } };
  const query = tf.randomNormal([2, 5], 0, 1, 'float32', 4) as tf.Tensor2D;
  const w = weightsOf(attention);
  const r = attention.attend(query, attention.prepare(memory));
  const q = query.arraySync();
  const main = memory.states.arraySync();
  const other = memory.extras.question.states.arraySync();
  [3, 1].forEach((len, b) => {
    const row = expected({
      main: main[b]!.slice(0, len),
      other: other[b]!.slice(0, [2, 4][b]),
      q: q[b]!,
      w,
    });
    const context = (r.context.arraySync() as Matrix)[b]!;
    row.context.forEach((v, k) => expect(context[k]).toBeCloseTo(v, 5));
    if (row.weights) expectPositions(r.weights, b, row.weights);
  });
  disposeTree([memory, query, r]);
  attention.dispose();
}
