import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Memory } from '../contracts/memory.js';
import type { OutputContext, OutputLayer } from '../contracts/output.js';
import { disposeTree } from '../tree/tensor-tree.js';
import {
  expectClose,
  expectGradientsReachEveryParameter,
  expectNoLeaks,
  pinBackend,
  randomLengths,
} from './helpers.js';
import { randomMemory } from './memory.js';

/** Sizes an output layer under test is built for. */
export interface OutputKitSizes {
  readonly features: number;
  readonly targetVocab: number;
}

/** How {@link describeOutput} builds and feeds the output layer under test. */
export interface OutputKitOptions {
  create(seed: number, sizes: OutputKitSizes): OutputLayer;
  /** Default 5. */
  readonly features?: number;
  /** Default 9. */
  readonly targetVocab?: number;
  /** Give the layer masked random attention weights, as attentional decoders do. Default false. */
  readonly weights?: boolean;
  /** Further `Memory.extras` the layer reads (e.g. extended source ids), built for the memory. */
  extras?(memory: Memory): Readonly<Record<string, tf.Tensor>>;
  /** Default `wasm`. */
  readonly backend?: 'cpu' | 'wasm';
  /** Default 3. */
  readonly batch?: number;
  /** Default 4. */
  readonly sourceLength?: number;
  /** Default 3. */
  readonly targetLength?: number;
}

/**
 * The output-layer conformance suite: shapes for one step and for all steps, every row a
 * probability distribution, all steps at once equal to one step at a time, `logits` (when
 * offered) consistent with `logProbs`, gradient flow to every parameter, leak-freedom.
 */
export function describeOutput(name: string, options: OutputKitOptions): void {
  const b = options.batch ?? 3;
  const s = options.sourceLength ?? 4;
  const t = options.targetLength ?? 3;
  const sizes: OutputKitSizes = {
    features: options.features ?? 5,
    targetVocab: options.targetVocab ?? 9,
  };

  describe(`output conformance: ${name}`, () => {
    let layer: OutputLayer;
    let memory: Memory;
    let features: tf.Tensor3D;
    let weights: tf.Tensor3D | undefined;
    const context = (step?: number): OutputContext => {
      if (!weights) return { memory };
      const w = step === undefined ? weights : weights.slice([0, step, 0], [b, 1, s]).squeeze([1]);
      return { memory, weights: w };
    };
    beforeAll(async () => {
      await pinBackend(options.backend ?? 'wasm');
      layer = options.create(7, sizes);
      const base = randomMemory({ lengths: randomLengths(b, s, 5), size: 4, seed: 11 });
      memory = { ...base, ...(options.extras ? { extras: options.extras(base) } : {}) };
      features = tf.randomNormal([b, t, sizes.features], 0, 1, 'float32', 13) as tf.Tensor3D;
      if (options.weights) {
        weights = tf.tidy(() => {
          const scores = tf.randomNormal([b, t, s], 0, 2, 'float32', 17);
          const bias = tf.mul(tf.sub(1, memory.mask), -1e9).expandDims(1);
          return tf.softmax(tf.add(scores, bias)) as tf.Tensor3D;
        });
      }
    });

    it('returns [B, V] for one step and [B, T, V] for all steps', () => {
      tf.tidy(() => {
        expect(layer.vocabSize).toBeGreaterThanOrEqual(sizes.targetVocab);
        const step = features.slice([0, 0, 0], [b, 1, -1]).squeeze([1]);
        expect(layer.logProbs(step, context(0)).shape).toEqual([b, layer.vocabSize]);
        expect(layer.logProbs(features, context()).shape).toEqual([b, t, layer.vocabSize]);
      });
    });

    it('gives every row a probability distribution', () => {
      tf.tidy(() => {
        const p = tf.exp(layer.logProbs(features, context()));
        expect(p.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
        expectClose(tf.sum(p, -1), tf.ones([b, t]), 1e-4, 'row sums');
      });
    });

    it('scores all steps at once as it scores one step at a time', () => {
      tf.tidy(() => {
        const all = layer.logProbs(features, context());
        for (let i = 0; i < t; i++) {
          const step = features.slice([0, i, 0], [b, 1, -1]).squeeze([1]);
          const one = layer.logProbs(step, context(i));
          expectClose(one, all.slice([0, i, 0], [b, 1, -1]).squeeze([1]), 1e-5, `step ${i}`);
        }
      });
    });

    it('offers logits only when their log softmax is its log-probabilities', () => {
      if (!layer.logits) return;
      tf.tidy(() => {
        const z = layer.logits!(features, context());
        expectClose(tf.logSoftmax(z), layer.logProbs(features, context()), 1e-5);
      });
    });

    it('passes gradients to every parameter and leaves no tensor behind', async () => {
      const gold = tf.tensor1d(
        Array.from({ length: b * t }, (_, i) => (i * 5) % layer.vocabSize),
        'int32',
      );
      const loss = () =>
        tf.tidy(() => {
          const flat = layer.logProbs(features, context()).reshape([b * t, -1]);
          return tf.neg(tf.sum(tf.mul(flat, tf.oneHot(gold, layer.vocabSize)))) as tf.Scalar;
        });
      expectGradientsReachEveryParameter(layer, loss);
      await expectNoLeaks(() => tf.dispose(loss()));
      gold.dispose();
    });

    it('disposes', () => {
      layer.dispose();
      disposeTree(memory);
      tf.dispose([features, ...(weights ? [weights] : [])]);
    });
  });
}
