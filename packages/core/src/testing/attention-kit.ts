import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import type { Attention, AttentionResult } from '../contracts/attention.js';
import type { Memory } from '../contracts/memory.js';
import { disposeTree, gatherTree, tidyTree } from '../tree/tensor-tree.js';
import { expectAlignment } from './decoder-kit.js';
import {
  expectClose,
  expectGradientsReachEveryParameter,
  expectNoLeaks,
  maxAbsDiff,
  pinBackend,
  randomLengths,
} from './helpers.js';
import { memoryRow, randomMemory, widenMemory } from './memory.js';
import { describePlugin, type PluginKitOptions } from './plugin-kit.js';

/** Sizes an attention module under test is built for. */
export interface AttentionKitSizes {
  readonly memory: number;
  readonly query: number;
}

/** How {@link describeAttention} builds and feeds the module under test. */
export interface AttentionKitOptions {
  create(seed: number, sizes: AttentionKitSizes): Attention;
  /** Default `{ memory: 6, query: 5 }`. Modules that need equal sizes (dot) say so here. */
  readonly sizes?: AttentionKitSizes;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Default 3. */
  readonly batch?: number;
  /** Default 5. */
  readonly sourceLength?: number;
  /** Default 1e-5. */
  readonly tolerance?: number;
  /**
   * Also build it by this registered name: the kit then checks the registry's factory,
   * option validation and loading by name ({@link describePlugin}).
   */
  readonly plugin?: PluginKitOptions;
}

/**
 * The attention conformance suite: a distribution over real positions only, contexts of
 * the declared size, padding invariance, row independence, reordering by gather,
 * `attendAll` equal to per-step attention, gradient flow, round-trips, seeding, no leaks.
 */
export function describeAttention(name: string, options: AttentionKitOptions): void {
  const b = options.batch ?? 3;
  const sizes = options.sizes ?? { memory: 6, query: 5 };
  const s = options.sourceLength ?? 5;
  const tol = options.tolerance ?? 1e-5;
  const lengths = randomLengths(b, s, 31);
  /** Attends twice, threading state, so stateful modules are exercised too. */
  const attendTwice = (attention: Attention, memory: Memory, queries: tf.Tensor3D) =>
    tidyTree((): AttentionResult[] => {
      const cache = attention.prepare(memory);
      let state = attention.initialState?.(cache);
      const out: AttentionResult[] = [];
      for (const q of tf.unstack(queries, 1) as tf.Tensor2D[]) {
        const r = attention.attend(q, cache, state);
        out.push(r);
        state = r.state;
      }
      return out;
    });

  describe(`attention conformance: ${name}`, () => {
    let memory: Memory;
    let queries: tf.Tensor3D;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      memory = randomMemory({ lengths, size: sizes.memory, seed: 6 });
      queries = tf.keep(tf.randomNormal([b, 2, sizes.query], 0, 1, 'float32', 7)) as tf.Tensor3D;
    });

    it('returns a distribution over real positions and a context of the declared size', () => {
      const attention = options.create(1, sizes);
      const results = attendTwice(attention, memory, queries);
      for (const r of results) {
        expect(r.context.shape).toEqual([b, attention.contextSize]);
        expect(r.weights.shape).toEqual([b, s]);
        expectAlignment(r.weights, memory.mask);
      }
      disposeTree(results);
      attention.dispose();
    });

    it('padding in the memory, whatever it holds, does not change the result', () => {
      const attention = options.create(1, sizes);
      const wide = widenMemory(memory, 2, 41);
      const [plain, widened] = [
        attendTwice(attention, memory, queries),
        attendTwice(attention, wide, queries),
      ];
      plain.forEach((r, i) => {
        expectClose(widened[i]!.context, r.context, tol, `context ${i}`);
        tf.tidy(() =>
          expectClose(widened[i]!.weights.slice([0, 0], [b, s]), r.weights, tol, `weights ${i}`),
        );
      });
      disposeTree([wide, plain, widened]);
      attention.dispose();
    });

    it('each batch row is independent of the others', () => {
      const attention = options.create(1, sizes);
      const all = attendTwice(attention, memory, queries);
      for (let r = 0; r < b; r++) {
        const row = memoryRow(memory, r, lengths[r]!);
        const q = queries.slice(r, 1);
        const alone = attendTwice(attention, row, q);
        alone.forEach((res, i) =>
          tf.tidy(() =>
            expectClose(all[i]!.context.slice(r, 1), res.context, tol, `row ${r} context ${i}`),
          ),
        );
        disposeTree([row, q, alone]);
      }
      disposeTree(all);
      attention.dispose();
    });

    it('reordering cache and state rows by gather reorders the result', () => {
      const attention = options.create(1, sizes);
      tf.tidy(() => {
        const cache = attention.prepare(memory);
        const state = attention.initialState?.(cache);
        const q = queries.slice([0, 0, 0], [b, 1, -1]).reshape([b, sizes.query]) as tf.Tensor2D;
        const plain = attention.attend(q, cache, state);
        const perm = tf.tensor1d([...Array(b).keys()].reverse(), 'int32');
        const moved = attention.attend(
          tf.gather(q, perm),
          gatherTree(cache, perm),
          state && gatherTree(state, perm),
        );
        expectClose(moved.context, tf.gather(plain.context, perm), tol, 'reordered context');
      });
      attention.dispose();
    });

    it('attendAll, where offered, equals attending step by step', () => {
      const attention = options.create(1, sizes);
      if (attention.attendAll) {
        const stepwise = attendTwice(attention, memory, queries);
        tf.tidy(() => {
          const all = attention.attendAll!(queries, attention.prepare(memory));
          stepwise.forEach((r, i) => {
            expectClose(
              all.context.slice([0, i, 0], [b, 1, -1]).reshape(r.context.shape),
              r.context,
              tol,
              `context ${i}`,
            );
            expectClose(
              all.weights.slice([0, i, 0], [b, 1, -1]).reshape(r.weights.shape),
              r.weights,
              tol,
              `weights ${i}`,
            );
          });
        });
        disposeTree(stepwise);
      }
      attention.dispose();
    });

    it('gradients reach every parameter', () => {
      const attention = options.create(1, sizes);
      expectGradientsReachEveryParameter(attention, () => {
        const cache = attention.prepare(memory);
        let state = attention.initialState?.(cache);
        const parts: tf.Scalar[] = [];
        for (const [i, q] of (tf.unstack(queries, 1) as tf.Tensor2D[]).entries()) {
          const r = attention.attend(q, cache, state);
          state = r.state;
          parts.push(
            tf.sum(tf.mul(r.context, tf.randomNormal(r.context.shape, 0, 1, 'float32', 9 + i))),
          );
        }
        return tf.addN(parts) as tf.Scalar;
      });
      attention.dispose();
    });

    it('weights round-trip exactly into a fresh instance, and seeds decide them', () => {
      const [a, c, d] = [
        options.create(1, sizes),
        options.create(2, sizes),
        options.create(1, sizes),
      ];
      const [ra, rc, rd] = [
        attendTwice(a, memory, queries),
        attendTwice(c, memory, queries),
        attendTwice(d, memory, queries),
      ];
      expectClose(rd[1]!.context, ra[1]!.context, 0, 'same seed');
      if (a.parameters().size > 0)
        expect(
          maxAbsDiff(ra[1]!.context, rc[1]!.context),
          'different seeds differ',
        ).toBeGreaterThan(0);
      const weights = exportWeights(a);
      importWeights(c, weights);
      const after = attendTwice(c, memory, queries);
      expectClose(after[1]!.context, ra[1]!.context, 0, 'context after import');
      disposeTree([ra, rc, rd, after, [...weights.values()]]);
      for (const m of [a, c, d]) m.dispose();
    });

    it('leaves no tensor behind', async () => {
      await expectNoLeaks(() => {
        const attention = options.create(3, sizes);
        disposeTree(attendTwice(attention, memory, queries));
        attention.dispose();
      });
    });

    if (options.plugin) {
      describePlugin(
        'attention',
        { ...options.plugin, sizes: { memory: sizes.memory, query: sizes.query } },
        (attention) => {
          const out = attendTwice(attention, memory, queries);
          const values = out.flatMap((r) => [...r.context.dataSync(), ...r.weights.dataSync()]);
          disposeTree(out);
          return values;
        },
      );
    }
  });
}
