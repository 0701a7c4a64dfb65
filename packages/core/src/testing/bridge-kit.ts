import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import type { Bridge } from '../contracts/encoder.js';
import type { Memory } from '../contracts/memory.js';
import { Rng } from '../module/seed.js';
import { disposeTree } from '../tree/tensor-tree.js';
import {
  expectClose,
  expectGradientsReachEveryParameter,
  expectNoLeaks,
  maxAbsDiff,
  pinBackend,
  randomLengths,
} from './helpers.js';
import { memoryRow, randomMemory, widenMemory } from './memory.js';

/** Sizes a bridge under test is built for, as a decoder would pass them. */
export interface BridgeKitSizes {
  /** Size H of the encoder states. */
  readonly memory: number;
  /** Sizes of the encoder's final states, bottom layer first. */
  readonly final: readonly number[];
  /** The context size the decoder asks for, which size-configurable bridges default to. */
  readonly query?: number;
}

/** How {@link describeBridge} builds and feeds the bridge under test. */
export interface BridgeKitOptions {
  create(seed: number, sizes: BridgeKitSizes): Bridge;
  /** Default `{ memory: 6, final: [5, 6] }`: two layers, the top one as wide as the states. */
  readonly sizes?: BridgeKitSizes;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Default 3. */
  readonly batch?: number;
  /** Default 5. */
  readonly sourceLength?: number;
  /** Default 1e-5. */
  readonly tolerance?: number;
}

/**
 * The bridge conformance suite: a `[B, outputSize]` context, padding invariance (and no
 * gradient into padded states), row independence, gradient flow to every parameter and
 * back into the memory, exact weight round-trips, seeding and leak-freedom.
 */
export function describeBridge(name: string, options: BridgeKitOptions): void {
  const b = options.batch ?? 3;
  const sizes = options.sizes ?? { memory: 6, final: [5, 6] };
  const s = options.sourceLength ?? 5;
  const tol = options.tolerance ?? 1e-5;
  const lengths = randomLengths(b, s, 51);
  const inference = { training: false } as const;
  const bridge = (module: Bridge, memory: Memory) =>
    tf.tidy(() => module.context(memory, inference));

  describe(`bridge conformance: ${name}`, () => {
    let memory: Memory;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      memory = randomMemory({ lengths, size: sizes.memory, finalSizes: sizes.final, seed: 12 });
    });

    it('returns a [B, outputSize] context', () => {
      const module = options.create(1, sizes);
      const c = bridge(module, memory);
      expect(c.shape).toEqual([b, module.outputSize]);
      expect(
        tf.tidy(() => tf.all(tf.isFinite(c)).dataSync()[0]),
        'finite context',
      ).toBe(1);
      c.dispose();
      module.dispose();
    });

    it('padding in the memory, whatever it holds, does not change the context', () => {
      const module = options.create(1, sizes);
      const wide = widenMemory(memory, 3, 61);
      const [plain, widened] = [bridge(module, memory), bridge(module, wide)];
      expectClose(widened, plain, tol, 'context');
      disposeTree([wide, plain, widened]);
      module.dispose();
    });

    it('each batch row is independent of the others', () => {
      const module = options.create(1, sizes);
      const all = bridge(module, memory);
      for (let r = 0; r < b; r++) {
        const row = memoryRow(memory, r, lengths[r]!);
        const alone = bridge(module, row);
        tf.tidy(() => expectClose(all.slice(r, 1), alone, tol, `context of row ${r}`));
        disposeTree([row, alone]);
      }
      all.dispose();
      module.dispose();
    });

    it('gradients reach every parameter', () => {
      const module = options.create(1, sizes);
      expectGradientsReachEveryParameter(module, () => probe(module.context(memory, inference)));
      module.dispose();
    });

    it('gradients reach the memory, and never a padded state', () => {
      const module = options.create(1, sizes);
      // Memory held in variables, so parts the bridge never reads simply get no gradient.
      const states = tf.variable(memory.states);
      const final = memory.final.map((f) => tf.variable(f));
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            probe(
              module.context(
                { states: states as tf.Tensor3D, mask: memory.mask, final: final as tf.Tensor2D[] },
                inference,
              ),
            ),
          [states, ...final],
        );
        const padding = tf.sub(1, memory.mask).expandDims(2);
        const dStates = grads[states.name];
        if (dStates) {
          expect(
            tf.abs(tf.mul(dStates, padding)).max().dataSync()[0],
            'gradient on padded states',
          ).toBe(0);
        }
        const reached = Object.values(grads).map((g) => tf.sum(tf.abs(g)));
        expect(reached.length, 'gradient into the memory').toBeGreaterThan(0);
        expect(tf.addN(reached).dataSync()[0], 'gradient into the memory').toBeGreaterThan(0);
      });
      disposeTree([states, final]);
      module.dispose();
    });

    it('weights round-trip exactly into a fresh instance, and seeds decide them', () => {
      const [a, c, d] = [
        options.create(1, sizes),
        options.create(2, sizes),
        options.create(1, sizes),
      ];
      const [ca, cc, cd] = [bridge(a, memory), bridge(c, memory), bridge(d, memory)];
      expectClose(cd, ca, 0, 'same seed');
      if (a.parameters().size > 0)
        expect(maxAbsDiff(ca, cc), 'different seeds differ').toBeGreaterThan(0);
      const weights = exportWeights(a);
      importWeights(c, weights);
      const after = bridge(c, memory);
      expectClose(after, ca, 0, 'context after import');
      disposeTree([ca, cc, cd, after, [...weights.values()]]);
      for (const m of [a, c, d]) m.dispose();
    });

    it('leaves no tensor behind', async () => {
      await expectNoLeaks(() => {
        const module = options.create(3, sizes);
        bridge(module, memory).dispose();
        tf.tidy(() => module.context(memory, { training: true, rng: new Rng(1) })).dispose();
        module.dispose();
      });
    });
  });
}

/** A scalar that depends on every element of `c` with a distinct random weight. */
function probe(c: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(c, tf.randomNormal(c.shape, 0, 1, 'float32', 13)));
}
