/**
 * Attentions written for the attentional decoder's tests, both around core's ToyAttention
 * (e_j = h_j · (W_q s)): one that can also attend with all T queries at once, and a
 * stateful coverage one.
 */
import type { Attention, AttentionResult, Memory } from '@s2s/core';
import { ToyAttention } from '@s2s/core/testing';
import * as tf from '@tensorflow/tfjs';

interface Cache {
  readonly values: tf.Tensor3D;
  readonly bias: tf.Tensor2D;
}

/** ToyAttention plus `attendAll`; counts how it is called. */
export class AllStepsAttention implements Attention {
  readonly contextSize: number;
  readonly calls = { attend: 0, attendAll: 0 };
  private readonly toy: ToyAttention;

  constructor(memorySize: number, querySize: number, seed: number) {
    this.toy = new ToyAttention(memorySize, querySize, seed);
    this.contextSize = this.toy.contextSize;
  }

  prepare(memory: Memory): Cache {
    return this.toy.prepare(memory);
  }

  attend(query: tf.Tensor2D, cache: Cache): AttentionResult {
    this.calls.attend++;
    return this.toy.attend(query, cache);
  }

  attendAll(queries: tf.Tensor3D, cache: Cache) {
    this.calls.attendAll++;
    return tf.tidy(() => {
      const [b, t, q] = queries.shape;
      const wq = this.toy.parameters().get('queryKernel')!;
      const keys = tf.matMul(queries.reshape([b * t, q]), wq).reshape([b, t, -1]);
      const scores = tf.add(tf.matMul(keys, cache.values, false, true), cache.bias.expandDims(1));
      const weights = tf.softmax(scores) as tf.Tensor3D;
      return { context: tf.matMul(weights, cache.values) as tf.Tensor3D, weights };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.toy.parameters();
  }

  dispose(): void {
    this.toy.dispose();
  }
}

/**
 * Stateful coverage attention: e_j = h_j · (W_q s) + v · cov_j, and the state carries
 * cov = Σ of past weights, as See et al.'s (2017) coverage mechanism does. It also offers an
 * `attendAll` that must never be used, since its scores depend on the state.
 */
export class CoverageAttention implements Attention {
  readonly contextSize: number;
  private readonly toy: ToyAttention;
  private readonly coverageWeight = tf.tidy(() => tf.variable(tf.tensor1d([0.7])));

  constructor(memorySize: number, querySize: number, seed: number) {
    this.toy = new ToyAttention(memorySize, querySize, seed);
    this.contextSize = this.toy.contextSize;
  }

  prepare(memory: Memory): Cache {
    return this.toy.prepare(memory);
  }

  initialState(cache: Cache): { coverage: tf.Tensor2D } {
    return { coverage: tf.zerosLike(cache.bias) };
  }

  attend(query: tf.Tensor2D, cache: Cache, state?: object): AttentionResult {
    const { coverage } = state as { coverage: tf.Tensor2D };
    return tf.tidy(() => {
      const wq = this.toy.parameters().get('queryKernel')!;
      const q = tf.matMul(query, wq).expandDims(2);
      const scores = tf.add(
        tf.add(tf.matMul(cache.values, q).squeeze([2]), tf.mul(coverage, this.coverageWeight)),
        cache.bias,
      );
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = tf.matMul(weights.expandDims(1), cache.values).squeeze([1]) as tf.Tensor2D;
      return { context, weights, state: { coverage: tf.add(coverage, weights) as tf.Tensor2D } };
    }) as AttentionResult;
  }

  attendAll(): never {
    throw new Error('a stateful attention cannot attend with all queries at once');
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return new Map([...this.toy.parameters(), ['coverageWeight', this.coverageWeight]]);
  }

  dispose(): void {
    this.toy.dispose();
    this.coverageWeight.dispose();
  }
}
