import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import type { Decoder, DecoderForwardOutput } from '../contracts/decoder.js';
import type { Memory } from '../contracts/memory.js';
import { forwardByStepping } from '../model/forward-by-stepping.js';
import { Rng } from '../module/seed.js';
import { disposeTree, gatherTree, tidyTree } from '../tree/tensor-tree.js';
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

/** Sizes a decoder under test is built for. */
export interface DecoderKitSizes {
  readonly memory: number;
  readonly final: readonly number[];
  readonly targetVocab: number;
}

/** How {@link describeDecoder} builds and feeds the decoder under test. */
export interface DecoderKitOptions {
  create(seed: number, sizes: DecoderKitSizes): Decoder;
  /** Size H of the random encoder states. Default 6. */
  readonly memorySize?: number;
  /** Sizes of the random final encoder states. Default `[memorySize]`. */
  readonly finalSizes?: readonly number[];
  /** Default 7. */
  readonly targetVocab?: number;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Default 3. */
  readonly batch?: number;
  /** Default 5. */
  readonly sourceLength?: number;
  /** Default 4. */
  readonly targetLength?: number;
  /** Default 1e-5. */
  readonly tolerance?: number;
  /**
   * Also build it by this registered name: the kit then checks the registry's factory,
   * option validation and loading by name ({@link describePlugin}).
   */
  readonly plugin?: PluginKitOptions;
}

/**
 * The decoder conformance suite: shapes, masked attention, teacher forcing equal to
 * stepping, padding invariance, row independence, reordering by gather (what beam search
 * relies on), gradient flow, exact weight round-trips, seeding and leak-freedom.
 */
export function describeDecoder(name: string, options: DecoderKitOptions): void {
  const b = options.batch ?? 3;
  const sizes: DecoderKitSizes = {
    memory: options.memorySize ?? 6,
    final: options.finalSizes ?? [options.memorySize ?? 6],
    targetVocab: options.targetVocab ?? 7,
  };
  const sourceLength = options.sourceLength ?? 5;
  const t = options.targetLength ?? 4;
  const tol = options.tolerance ?? 1e-5;
  const lengths = randomLengths(b, sourceLength, 21);
  const inference = { training: false } as const;
  const teacherForce = (
    decoder: Decoder,
    memory: Memory,
    targetIn: tf.Tensor2D,
    useForward = true,
  ) =>
    tidyTree((): DecoderForwardOutput => {
      const cache = decoder.prepare(memory, inference);
      return useForward && decoder.forward
        ? decoder.forward(targetIn, cache, inference)
        : forwardByStepping(decoder, targetIn, cache, inference);
    });

  describe(`decoder conformance: ${name}`, () => {
    let memory: Memory;
    let targetIn: tf.Tensor2D;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      memory = randomMemory({ lengths, size: sizes.memory, finalSizes: sizes.final, seed: 4 });
      targetIn = tf.keep(tf.randomUniform([b, t], 0, sizes.targetVocab, 'int32', 5)) as tf.Tensor2D;
    });

    it('steps to [B, D] outputs, with attention rows summing to 1 and zero on padding', () => {
      const decoder = options.create(1, sizes);
      const step = tidyTree(() => {
        const cache = decoder.prepare(memory, inference);
        const state = decoder.initialState(cache, inference);
        return decoder.step(
          targetIn.slice([0, 0], [b, 1]).reshape([b]) as tf.Tensor1D,
          state,
          cache,
          inference,
        );
      });
      expect(step.output.shape).toEqual([b, decoder.outputSize]);
      if (step.weights) expectAlignment(step.weights, memory.mask);
      disposeTree(step);
      decoder.dispose();
    });

    it('teacher forcing equals stepping', () => {
      const decoder = options.create(1, sizes);
      const forced = teacherForce(decoder, memory, targetIn);
      const stepped = teacherForce(decoder, memory, targetIn, false);
      expect(forced.output.shape).toEqual([b, t, decoder.outputSize]);
      expectClose(forced.output, stepped.output, tol, 'outputs');
      if (stepped.weights) expectClose(forced.weights!, stepped.weights, tol, 'attention weights');
      disposeTree([forced, stepped]);
      decoder.dispose();
    });

    it('padding in the memory, whatever it holds, does not change outputs', () => {
      const decoder = options.create(1, sizes);
      const wide = widenMemory(memory, 3, 77);
      const [plain, widened] = [
        teacherForce(decoder, memory, targetIn),
        teacherForce(decoder, wide, targetIn),
      ];
      expectClose(widened.output, plain.output, tol, 'outputs');
      if (plain.weights) {
        tf.tidy(() => {
          expectClose(
            widened.weights!.slice([0, 0, 0], plain.weights!.shape),
            plain.weights!,
            tol,
            'weights',
          );
          expect(
            widened.weights!.slice([0, 0, sourceLength]).sum().dataSync()[0],
            'weight on added padding',
          ).toBe(0);
        });
      }
      disposeTree([wide, plain, widened]);
      decoder.dispose();
    });

    it('each batch row is independent of the others', () => {
      const decoder = options.create(1, sizes);
      const all = teacherForce(decoder, memory, targetIn);
      for (let r = 0; r < b; r++) {
        const row = memoryRow(memory, r, lengths[r]!);
        const rowTarget = targetIn.slice(r, 1);
        const alone = teacherForce(decoder, row, rowTarget);
        tf.tidy(() =>
          expectClose(all.output.slice(r, 1), alone.output, tol, `outputs of row ${r}`),
        );
        disposeTree([row, rowTarget, alone]);
      }
      disposeTree(all);
      decoder.dispose();
    });

    it('reordering state and cache rows by gather reorders the next step', () => {
      const decoder = options.create(1, sizes);
      tf.tidy(() => {
        const cache = decoder.prepare(memory, inference);
        const cols = tf.unstack(targetIn, 1) as tf.Tensor1D[];
        const first = decoder.step(
          cols[0]!,
          decoder.initialState(cache, inference),
          cache,
          inference,
        );
        const next = decoder.step(cols[1]!, first.state, cache, inference);
        const perm = tf.tensor1d([...Array(b).keys()].reverse(), 'int32');
        const moved = decoder.step(
          tf.gather(cols[1]!, perm),
          gatherTree(first.state, perm),
          gatherTree(cache, perm),
          inference,
        );
        expectClose(moved.output, tf.gather(next.output, perm), tol, 'reordered outputs');
      });
      decoder.dispose();
    });

    it('gradients reach every parameter', () => {
      const decoder = options.create(1, sizes);
      expectGradientsReachEveryParameter(decoder, () => {
        const cache = decoder.prepare(memory, inference);
        const out = decoder.forward
          ? decoder.forward(targetIn, cache, inference)
          : forwardByStepping(decoder, targetIn, cache, inference);
        const probe = tf.randomNormal(out.output.shape, 0, 1, 'float32', 8);
        const loss = tf.sum(tf.mul(out.output, probe));
        return (out.extraLoss ? tf.add(loss, out.extraLoss) : loss) as tf.Scalar;
      });
      decoder.dispose();
    });

    it('weights round-trip exactly into a fresh instance', () => {
      const [a, c] = [options.create(1, sizes), options.create(2, sizes)];
      const before = teacherForce(a, memory, targetIn);
      const other = teacherForce(c, memory, targetIn);
      expect(maxAbsDiff(before.output, other.output), 'different seeds differ').toBeGreaterThan(0);
      const weights = exportWeights(a);
      importWeights(c, weights);
      const after = teacherForce(c, memory, targetIn);
      expectClose(after.output, before.output, 0, 'outputs after import');
      disposeTree([before, other, after, [...weights.values()]]);
      a.dispose();
      c.dispose();
    });

    it('the same seed gives the same output', () => {
      const [a, c] = [options.create(7, sizes), options.create(7, sizes)];
      const [x, y] = [teacherForce(a, memory, targetIn), teacherForce(c, memory, targetIn)];
      expectClose(x.output, y.output, 0, 'outputs');
      disposeTree([x, y]);
      a.dispose();
      c.dispose();
    });

    it('leaves no tensor behind', async () => {
      await expectNoLeaks(() => {
        const decoder = options.create(3, sizes);
        disposeTree(teacherForce(decoder, memory, targetIn));
        disposeTree(teacherForce(decoder, memory, targetIn, false));
        const training = { training: true, rng: new Rng(1) };
        disposeTree(
          tidyTree(() => {
            const cache = decoder.prepare(memory, training);
            return decoder.forward
              ? decoder.forward(targetIn, cache, training)
              : forwardByStepping(decoder, targetIn, cache, training);
          }),
        );
        decoder.dispose();
      });
    });

    if (options.plugin) {
      describePlugin(
        'decoder',
        {
          ...options.plugin,
          sizes: { memory: sizes.memory, final: sizes.final, targetVocab: sizes.targetVocab },
        },
        (decoder) => {
          const step = tidyTree(() => {
            const cache = decoder.prepare(memory, inference);
            const state = decoder.initialState(cache, inference);
            const first = targetIn.slice([0, 0], [b, 1]).reshape([b]) as tf.Tensor1D;
            return decoder.step(first, state, cache, inference);
          });
          const values = [...step.output.dataSync(), ...(step.weights?.dataSync() ?? [])];
          disposeTree(step);
          return values;
        },
      );
    }
  });
}

/** Asserts `[B, S]` (or `[B, T, S]`) weights are a distribution over real positions only. */
export function expectAlignment(weights: tf.Tensor, mask: tf.Tensor2D): void {
  tf.tidy(() => {
    const sums = weights.sum(-1);
    expectClose(sums, tf.onesLike(sums), 1e-5, 'attention row sums');
    let m: tf.Tensor = mask;
    if (weights.rank === 3) m = m.expandDims(1);
    const onPadding = tf.mul(weights, tf.sub(1, m)).abs().max().dataSync()[0];
    expect(onPadding, 'attention weight on padding').toBe(0);
    expect(
      weights.min().dataSync()[0],
      'attention weights are non-negative',
    ).toBeGreaterThanOrEqual(0);
  });
}
