/**
 * Attentions written for the attentional decoder's tests: one that can attend with all T
 * queries at once, and a stateful coverage one. Both score e_j = h_j · (W_q s).
 */
import {
  type Attention,
  type AttentionResult,
  glorotUniform,
  type Memory,
  maskBias,
  ParameterSet,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

interface Cache {
  readonly values: tf.Tensor3D;
  readonly bias: tf.Tensor2D;
}

/** Stateless dot attention with `attendAll`; counts how it is called. */
export class AllStepsAttention implements Attention {
  readonly contextSize: number;
  readonly calls = { attend: 0, attendAll: 0 };
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;

  constructor(memorySize: number, querySize: number, seed: number) {
    this.contextSize = memorySize;
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [querySize, memorySize], glorotUniform());
  }

  prepare(memory: Memory): Cache {
    return tidyTree(() => ({
      values: memory.states.clone(),
      bias: maskBias(memory.mask) as tf.Tensor2D,
    }));
  }

  attend(query: tf.Tensor2D, cache: Cache): AttentionResult {
    this.calls.attend++;
    return tidyTree(() => {
      const q = tf.matMul(query, this.queryKernel).expandDims(2);
      const scores = tf.add(tf.matMul(cache.values, q).squeeze([2]), cache.bias);
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = tf.matMul(weights.expandDims(1), cache.values).squeeze([1]) as tf.Tensor2D;
      return { context, weights };
    });
  }

  attendAll(queries: tf.Tensor3D, cache: Cache) {
    this.calls.attendAll++;
    return tidyTree(() => {
      const [b, t, q] = queries.shape;
      const keys = tf.matMul(queries.reshape([b * t, q]), this.queryKernel).reshape([b, t, -1]);
      const scores = tf.add(tf.matMul(keys, cache.values, false, true), cache.bias.expandDims(1));
      const weights = tf.softmax(scores) as tf.Tensor3D;
      return { context: tf.matMul(weights, cache.values) as tf.Tensor3D, weights };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * Stateful coverage attention: e_j = h_j · (W_q s) + v · cov_j, and the state carries
 * cov = Σ of past weights, as See et al.'s (2017) coverage mechanism does. It also offers an
 * `attendAll` that must never be used, since its queries depend on the state.
 */
export class CoverageAttention implements Attention {
  readonly contextSize: number;
  private readonly params: ParameterSet;
  private readonly queryKernel: tf.Variable;
  private readonly coverageWeight: tf.Variable;

  constructor(memorySize: number, querySize: number, seed: number) {
    this.contextSize = memorySize;
    this.params = new ParameterSet(seed);
    this.queryKernel = this.params.add('queryKernel', [querySize, memorySize], glorotUniform());
    this.coverageWeight = this.params.add('coverageWeight', [1], () => tf.tensor1d([0.7]));
  }

  prepare(memory: Memory): Cache {
    return tidyTree(() => ({
      values: memory.states.clone(),
      bias: maskBias(memory.mask) as tf.Tensor2D,
    }));
  }

  initialState(cache: Cache): { coverage: tf.Tensor2D } {
    return { coverage: tf.zerosLike(cache.bias) };
  }

  attend(query: tf.Tensor2D, cache: Cache, state?: object): AttentionResult {
    const { coverage } = state as { coverage: tf.Tensor2D };
    return tidyTree(() => {
      const q = tf.matMul(query, this.queryKernel).expandDims(2);
      const scores = tf.add(
        tf.add(tf.matMul(cache.values, q).squeeze([2]), tf.mul(coverage, this.coverageWeight)),
        cache.bias,
      );
      const weights = tf.softmax(scores) as tf.Tensor2D;
      const context = tf.matMul(weights.expandDims(1), cache.values).squeeze([1]) as tf.Tensor2D;
      return { context, weights, state: { coverage: tf.add(coverage, weights) as tf.Tensor2D } };
    });
  }

  attendAll(): never {
    throw new Error('a stateful attention cannot attend with all queries at once');
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
