import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportWeights, importWeights } from '../checkpoint/weights.js';
import type { Encoder } from '../contracts/encoder.js';
import type { Memory } from '../contracts/memory.js';
import { Rng } from '../module/seed.js';
import { disposeTree, tidyTree } from '../tree/tensor-tree.js';
import {
  expectClose,
  expectGradientsReachEveryParameter,
  expectNoLeaks,
  lengthMask,
  maxAbsDiff,
  pinBackend,
  randomLengths,
  randomSource,
} from './helpers.js';
import { describePlugin, type PluginKitOptions } from './plugin-kit.js';

/** How {@link describeEncoder} builds and feeds the encoder under test. */
export interface EncoderKitOptions {
  /** Builds the encoder under test; each seed gives its own initial weights. */
  create(seed: number): Encoder;
  /** What the encoder reads: token ids below `vocabSize`, or frames of `features` floats. */
  readonly source: { readonly vocabSize: number } | { readonly features: number };
  /** Default `wasm`, the backend users get offline. */
  readonly backend?: 'cpu' | 'wasm';
  /** Rows per test batch. Default 3. */
  readonly batch?: number;
  /** Longest test source. Default 6. */
  readonly length?: number;
  /** Allowed difference where results are computed at different shapes. Default 1e-5. */
  readonly tolerance?: number;
  /**
   * Also build it by this registered name: the kit then checks the registry's factory,
   * option validation and loading by name ({@link describePlugin}).
   */
  readonly plugin?: PluginKitOptions;
}

/**
 * The encoder conformance suite: shapes, padding invariance, row independence, gradient
 * flow, exact weight round-trips, seeding and leak-freedom. Call it at the top level of a
 * vitest file; third-party encoders run it the same way.
 */
export function describeEncoder(name: string, options: EncoderKitOptions): void {
  const batch = options.batch ?? 3;
  const width = options.length ?? 6;
  const tol = options.tolerance ?? 1e-5;
  const lengths = randomLengths(batch, width, 11);
  const encode = (encoder: Encoder, source: tf.Tensor, mask: tf.Tensor2D): Memory =>
    tidyTree(() => encoder.encode(source, mask, { training: false }));

  describe(`encoder conformance: ${name}`, () => {
    let source: tf.Tensor;
    let mask: tf.Tensor2D;
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      source = tf.keep(randomSource(options.source, batch, width, 3));
      mask = tf.keep(lengthMask(lengths, width));
    });

    it('returns batch-major memory of the declared sizes', () => {
      const encoder = options.create(1);
      const memory = encode(encoder, source, mask);
      const s = memory.states.shape[1];
      expect(memory.states.shape).toEqual([batch, s, encoder.outputSize]);
      expect(memory.mask.shape).toEqual([batch, s]);
      expect(memory.final.map((f) => f.shape)).toEqual(encoder.finalSizes.map((h) => [batch, h]));
      const realPerRow = memory.mask.sum(1).dataSync();
      for (let r = 0; r < batch; r++)
        expect(realPerRow[r], `row ${r} has real positions`).toBeGreaterThan(0);
      disposeTree(memory);
      encoder.dispose();
    });

    it('padding, whatever it holds, does not change real states or final states', () => {
      const encoder = options.create(1);
      const plain = encode(encoder, source, mask);
      const extra = 3;
      const padded = tf.tidy(() => {
        const garbage = randomSource(options.source, batch, width + extra, 99);
        const keep = tf.concat([mask, tf.zeros([batch, extra])], 1);
        const wideSource = mixByMask(tf.pad(source, padSpec(source.rank, extra)), garbage, keep);
        return { source: wideSource, mask: keep as tf.Tensor2D };
      });
      const wide = encode(encoder, padded.source, padded.mask);
      const s = plain.states.shape[1];
      tf.tidy(() => {
        expectClose(wide.mask.slice([0, 0], [batch, s]), plain.mask, 0, 'mask');
        // A time-reducing encoder may give both the same width; a sum over the empty slice
        // then reads uninitialised memory on wasm, so only look when there is something.
        if (wide.mask.shape[1] > s)
          expect(wide.mask.slice([0, s]).sum().dataSync()[0], 'extra positions are padding').toBe(
            0,
          );
        const m = plain.mask.expandDims(2);
        expectClose(
          wide.states.slice([0, 0, 0], [batch, s, -1]).mul(m),
          plain.states.mul(m),
          tol,
          'real states',
        );
        plain.final.forEach((f, l) =>
          expectClose(wide.final[l]!, f, tol, `final state of layer ${l}`),
        );
      });
      disposeTree([plain, wide, padded]);
      encoder.dispose();
    });

    it('each batch row is independent of the others', () => {
      const encoder = options.create(1);
      const all = encode(encoder, source, mask);
      for (let r = 0; r < batch; r++) {
        const len = lengths[r]!;
        const rowSource = tf.tidy(() => source.slice(r, 1).slice(0, [1, len]));
        const rowMask = tf.ones([1, len]) as tf.Tensor2D;
        const alone = encode(encoder, rowSource, rowMask);
        const s = alone.states.shape[1];
        tf.tidy(() => {
          const m = alone.mask.expandDims(2);
          const together = all.states.slice([r, 0, 0], [1, s, -1]).mul(m);
          expectClose(together, alone.states.mul(m), tol, `states of row ${r}`);
          alone.final.forEach((f, l) =>
            expectClose(all.final[l]!.slice(r, 1), f, tol, `final ${l} of row ${r}`),
          );
        });
        disposeTree([alone, rowSource, rowMask]);
      }
      disposeTree(all);
      encoder.dispose();
    });

    it('gradients reach every parameter', () => {
      const encoder = options.create(1);
      expectGradientsReachEveryParameter(encoder, () => {
        const memory = encoder.encode(source, mask, { training: false });
        const probe = (t: tf.Tensor, seed: number) =>
          tf.sum(tf.mul(t, tf.randomNormal(t.shape, 0, 1, 'float32', seed)));
        const parts = [
          probe(tf.mul(memory.states, memory.mask.expandDims(2)), 5),
          ...memory.final.map((f, l) => probe(f, 6 + l)),
        ];
        return tf.addN(parts) as tf.Scalar;
      });
      encoder.dispose();
    });

    it('weights round-trip exactly into a fresh instance', () => {
      const a = options.create(1);
      const b = options.create(2);
      const before = [encode(a, source, mask), encode(b, source, mask)] as const;
      if (a.parameters().size > 0) {
        expect(
          maxAbsDiff(before[0].states, before[1].states),
          'different seeds differ',
        ).toBeGreaterThan(0);
      }
      const weights = exportWeights(a);
      importWeights(b, weights);
      const after = encode(b, source, mask);
      expectClose(after.states, before[0].states, 0, 'states after import');
      disposeTree([before, after, [...weights.values()]]);
      a.dispose();
      b.dispose();
    });

    it('the same seed gives the same output', () => {
      const [a, b] = [options.create(7), options.create(7)];
      const [ma, mb] = [encode(a, source, mask), encode(b, source, mask)];
      expectClose(ma.states, mb.states, 0, 'states');
      disposeTree([ma, mb]);
      a.dispose();
      b.dispose();
    });

    it('leaves no tensor behind', async () => {
      await expectNoLeaks(() => {
        const encoder = options.create(3);
        disposeTree(encoder.encode(source, mask, { training: false }));
        disposeTree(encoder.encode(source, mask, { training: true, rng: new Rng(1) }));
        encoder.dispose();
      });
    });

    if (options.plugin) {
      const source = options.source;
      describePlugin('encoder', {
        ...options.plugin,
        sizes:
          'vocabSize' in source
            ? { sourceVocab: source.vocabSize }
            : { sourceFeatures: source.features },
      });
    }
  });
}

function padSpec(rank: number, extra: number): [number, number][] {
  return Array.from({ length: rank }, (_, axis) => [0, axis === 1 ? extra : 0] as [number, number]);
}

/** Where `keep` is 1 take `real`, elsewhere `garbage` (broadcast over trailing axes). */
function mixByMask(real: tf.Tensor, garbage: tf.Tensor, keep: tf.Tensor): tf.Tensor {
  let m = keep;
  while (m.rank < real.rank) m = m.expandDims(-1);
  const cond = tf.broadcastTo(m.cast('bool'), real.shape);
  return tf.where(cond, real, garbage.cast(real.dtype));
}
