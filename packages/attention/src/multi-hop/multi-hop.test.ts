import { disposeTree, type Memory, Registry } from '@s2s/core';
import '../register.js';
import { describeAttention, lengthMask, pinBackend } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAttentionGradients } from '../../test/gradients.js';
import {
  add,
  dot,
  expectAttendsLike,
  type Matrix,
  softmax,
  type Vector,
  vecMat,
  weightedSum,
} from '../../test/reference.js';
import { createMultiHopAttention, MultiHopAttention, multiHopOptions } from './multi-hop.js';

describeAttention('multi-hop (adjacent)', {
  plugin: { name: 'multi-hop', options: { size: 4 } },
  create: (seed, sizes) =>
    new MultiHopAttention({ memorySize: sizes.memory, querySize: sizes.query, size: 4 }, seed),
});

describeAttention('multi-hop (layer-wise, last hop reported)', {
  create: (seed, sizes) =>
    new MultiHopAttention(
      {
        memorySize: sizes.memory,
        querySize: sizes.query,
        size: 4,
        hops: 2,
        tying: 'layer',
        weights: 'last',
      },
      seed,
    ),
});

describeAttention('multi-hop (ReLU update)', {
  create: (seed, sizes) =>
    new MultiHopAttention(
      { memorySize: sizes.memory, querySize: sizes.query, size: 4, hops: 2, update: 'relu' },
      seed,
    ),
});

/** The hops worked out on one row in plain JS: u¹ = q W_q, p^k, o^k, u^{k+1}. */
function handHops(
  h: Matrix,
  q: Vector,
  w: Record<string, Matrix>,
  hops: number,
  tying: 'adjacent' | 'layer',
  update: 'sum' | 'linear' | 'relu' = tying === 'layer' ? 'linear' : 'sum',
): { u: Vector; alignments: Vector[] } {
  let u = vecMat(q, w.queryKernel!);
  const alignments: Vector[] = [];
  for (let k = 0; k < hops; k++) {
    const [a, c] =
      tying === 'adjacent'
        ? [w[`projection.${k}`]!, w[`projection.${k + 1}`]!]
        : [w.keyKernel!, w.valueKernel!];
    const keys = h.map((hj) => vecMat(hj, a));
    const values = h.map((hj) => vecMat(hj, c));
    const p = softmax(keys.map((kj) => dot(u, kj)));
    alignments.push(p);
    const o = weightedSum(p, values);
    if (update === 'relu') {
      const bias = w[`update.${k}.bias`]!.map((row) => row[0]!);
      u = add(vecMat([...u, ...o], w[`update.${k}.kernel`]!), bias).map((x) => Math.max(0, x));
    } else {
      u = add(update === 'linear' ? vecMat(u, w.updateKernel!) : u, o);
    }
  }
  return { u, alignments };
}

describe('MultiHopAttention', () => {
  beforeAll(() => pinBackend('wasm'));

  it('refines the query hop by hop as computed by hand (adjacent tying, mean alignment)', () => {
    const attention = new MultiHopAttention({ memorySize: 3, querySize: 2, size: 4, hops: 3 }, 5);
    expectAttendsLike(attention, { memory: 3, query: 2 }, ({ h, q, w }) => {
      const { u, alignments } = handHops(h, q, w, 3, 'adjacent');
      const mean = alignments[0]!.map((_, j) => alignments.reduce((s, p) => s + p[j]!, 0) / 3);
      return { weights: mean, context: u };
    });
    attention.dispose();
  });

  it('layer-wise tying shares A and C and carries u through H, reporting the last hop', () => {
    const attention = new MultiHopAttention(
      { memorySize: 3, querySize: 2, size: 4, hops: 2, tying: 'layer', weights: 'last' },
      7,
    );
    expectAttendsLike(attention, { memory: 3, query: 2 }, ({ h, q, w }) => {
      const { u, alignments } = handHops(h, q, w, 2, 'layer');
      return { weights: alignments[1]!, context: u };
    });
    attention.dispose();
  });

  it("a ReLU update combines u^k and o^k through each hop's own layer, as computed by hand", () => {
    const attention = new MultiHopAttention(
      { memorySize: 3, querySize: 2, size: 4, hops: 2, update: 'relu' },
      9,
    );
    expectAttendsLike(attention, { memory: 3, query: 2 }, ({ h, q, w }) => {
      const { u, alignments } = handHops(h, q, w, 2, 'adjacent', 'relu');
      return { weights: alignments[0]!.map((a, j) => (a + alignments[1]![j]!) / 2), context: u };
    });
    expect(attention.parameters().get('update.1.kernel')!.shape).toEqual([8, 4]);
    attention.dispose();
  });

  it('names and shapes its parameters by tying', () => {
    const adjacent = new MultiHopAttention({ memorySize: 3, querySize: 2, size: 4, hops: 2 }, 1);
    expect([...adjacent.parameters()].map(([n, v]) => [n, v.shape])).toEqual([
      ['queryKernel', [2, 4]],
      ['projection.0', [3, 4]],
      ['projection.1', [3, 4]],
      ['projection.2', [3, 4]],
    ]);
    expect(adjacent.contextSize).toBe(4);
    adjacent.dispose();
    const layer = new MultiHopAttention({ memorySize: 3, querySize: 2, tying: 'layer' }, 1);
    expect([...layer.parameters().keys()]).toEqual([
      'queryKernel',
      'keyKernel',
      'valueKernel',
      'updateKernel',
    ]);
    layer.dispose();
  });

  it('rejects bad options, naming them', () => {
    const sizes = { memorySize: 3, querySize: 2 };
    expect(() => new MultiHopAttention({ ...sizes, hops: 0 }, 1)).toThrow(
      /^multi-hop attention: option 'hops': too small: expected number to be >0, got 0$/,
    );
    expect(
      () => new MultiHopAttention({ ...sizes, tying: 'none' as unknown as 'layer' }, 1),
    ).toThrow(/option 'tying': invalid option: expected one of "adjacent"\|"layer", got 'none'/);
    expect(
      () => new MultiHopAttention({ ...sizes, supervision: { input: 'support', weight: -1 } }, 1),
    ).toThrow(/option 'supervision\.weight': too small: expected number to be >=0, got -1/);
    const registry = new Registry();
    registry.register({
      kind: 'attention',
      name: 'multi-hop',
      options: multiHopOptions,
      create: createMultiHopAttention,
    });
    const at = { path: 'decoder.attention', sizes: { memory: 3, query: 2 } };
    expect(() => registry.create('attention', { name: 'multi-hop', hop: 2 }, at)).toThrow(
      /^attention 'multi-hop': unknown option 'decoder\.attention\.hop' \(did you mean 'hops'\?\)/,
    );
    expect(() =>
      registry.create(
        'attention',
        { name: 'multi-hop', supervision: { input: 'support', oder: 'set' } },
        at,
      ),
    ).toThrow(
      /unknown option 'decoder\.attention\.supervision\.oder' \(did you mean 'order'\?\); known options: input, weight, order$/,
    );
    expect(() =>
      registry.create(
        'attention',
        { name: 'multi-hop', supervision: { input: 'support', order: 'any' } },
        at,
      ),
    ).toThrow(/option 'decoder\.attention\.supervision\.order': .*"ordered"\|"set", got 'any'/);
    expect(() => registry.create('attention', { name: 'multi-hop', update: 'max' }, at)).toThrow(
      /option 'decoder\.attention\.update': .*"sum"\|"linear"\|"relu", got 'max'/,
    );
    const built = registry.create(
      'attention',
      { name: 'multi-hop', hops: 2, size: 5 },
      { sizes: { memory: 3, query: 2 } },
    );
    expect(built.contextSize).toBe(5);
    built.dispose();
  });

  it('gradients match finite differences (adjacent, layer-wise, ReLU update)', async () => {
    await expectAttentionGradients(
      new MultiHopAttention({ memorySize: 3, querySize: 2, size: 2, hops: 2 }, 1),
      { memory: 3, query: 2 },
    );
    await expectAttentionGradients(
      new MultiHopAttention({ memorySize: 3, querySize: 2, size: 2, hops: 2, tying: 'layer' }, 2),
      { memory: 3, query: 2 },
    );
    await expectAttentionGradients(
      new MultiHopAttention({ memorySize: 3, querySize: 2, size: 2, hops: 2, update: 'relu' }, 3),
      { memory: 3, query: 2 },
    );
  });
});

describe('MultiHopAttention supervision', () => {
  beforeAll(() => pinBackend('wasm'));

  /** Row 0: support ranks at positions 2 (first) and 0 (second); row 1: none. */
  const ranks = () =>
    tf.tensor2d(
      [
        [2, 0, 1, 0],
        [0, 0, 0, 0],
      ],
      [2, 4],
    );

  const memoryWith = (support: tf.Tensor2D): Memory => ({
    states: tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3) as tf.Tensor3D,
    mask: lengthMask([4, 3], 4),
    final: [],
    extras: { support },
  });

  it('sends hop k to the (k+1)-th supporting position, later hops back to the last one', () => {
    const attention = new MultiHopAttention(
      { memorySize: 3, querySize: 2, hops: 3, supervision: { input: 'support' } },
      1,
    );
    const memory = memoryWith(ranks());
    const cache = attention.prepare(memory);
    expect(cache.targets!.arraySync()).toEqual([
      [
        [0, 0, 1, 0],
        [1, 0, 0, 0],
        [1, 0, 0, 0],
      ],
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ]);
    const set = new MultiHopAttention(
      { memorySize: 3, querySize: 2, hops: 2, supervision: { input: 'support', order: 'set' } },
      1,
    );
    const setCache = set.prepare(memory);
    expect(setCache.targets!.arraySync()[0]).toEqual([
      [1, 0, 1, 0],
      [1, 0, 1, 0],
    ]);
    disposeTree([memory, cache, setCache]);
    attention.dispose();
    set.dispose();
  });

  it('leaves the forward pass alone and adds λ·∇(−log Σ_support a) to the gradient', async () => {
    await pinBackend('cpu');
    const options = { memorySize: 3, querySize: 2, size: 2, hops: 2 };
    const lambda = 0.7;
    const plain = new MultiHopAttention(options, 4);
    const taught = new MultiHopAttention(
      { ...options, supervision: { input: 'support', weight: lambda } },
      4,
    );
    const memory = memoryWith(ranks());
    const query = tf.randomNormal([2, 2], 0, 1, 'float32', 8) as tf.Tensor2D;
    const probe = tf.randomNormal([2, 2], 0, 1, 'float32', 9);
    // The reference loss: the probe's NLL stand-in plus the supervision loss written out.
    const reference = () => {
      const cache = plain.prepare(memory);
      const hops = hopAlignments(plain, query, cache);
      const targets = [tf.tensor1d([0, 0, 1, 0]), tf.tensor1d([1, 0, 0, 0])];
      const supervision = hops.map((p, k) =>
        tf.neg(tf.log(tf.sum(tf.mul(p.slice(0, 1).reshape([4]), targets[k]!)))),
      );
      const context = plain.attend(query, cache).context;
      return tf.add(tf.sum(tf.mul(context, probe)), tf.mul(tf.addN(supervision), lambda / 2));
    };
    const withInjection = () =>
      tf.sum(tf.mul(taught.attend(query, taught.prepare(memory)).context, probe));
    tf.tidy(() => {
      const a = plain.attend(query, plain.prepare(memory));
      const b = taught.attend(query, taught.prepare(memory));
      expect(b.context.arraySync()).toEqual(a.context.arraySync());
      const expected = tf.variableGrads(reference as () => tf.Scalar, [
        ...plain.parameters().values(),
      ]).grads;
      const got = tf.variableGrads(withInjection as () => tf.Scalar, [
        ...taught.parameters().values(),
      ]).grads;
      const names = [...plain.parameters().keys()];
      [...plain.parameters().values()].forEach((v, i) => {
        const other = [...taught.parameters().values()][i]!;
        const diff = tf.max(tf.abs(tf.sub(expected[v.name]!, got[other.name]!))).dataSync()[0]!;
        expect(diff, `gradient of ${names[i]}`).toBeLessThan(1e-5);
      });
    });
    disposeTree([memory, query, probe]);
    plain.dispose();
    taught.dispose();
    await pinBackend('wasm');
  });
});

/** Each hop's `[B, S]` alignment, re-derived from the cache the way the module reads it. */
function hopAlignments(
  attention: MultiHopAttention,
  query: tf.Tensor2D,
  cache: ReturnType<MultiHopAttention['prepare']>,
): tf.Tensor2D[] {
  const w = attention.parameters();
  let u = tf.matMul(query, w.get('queryKernel')!);
  const out: tf.Tensor2D[] = [];
  cache.keys.forEach((keys, k) => {
    const scores = tf.squeeze(tf.matMul(u.expandDims(1), keys), [1]);
    const p = tf.softmax(tf.add(scores, cache.bias)) as tf.Tensor2D;
    out.push(p);
    u = tf.add(u, tf.squeeze(tf.matMul(p.expandDims(1), cache.values[k]!), [1]));
  });
  return out;
}
