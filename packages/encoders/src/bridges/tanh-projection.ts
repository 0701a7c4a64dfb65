import { glorotUniform, type Module, ParameterSet, zeros } from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** c = tanh(x·W + b), `[B, I]` → `[B, O]`: the dense layer bridges end with. */
export class TanhProjection implements Module {
  private readonly params: ParameterSet;
  private readonly kernel: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(inputSize: number, outputSize: number, seed: number) {
    this.params = new ParameterSet(seed);
    this.kernel = this.params.add('kernel', [inputSize, outputSize], glorotUniform());
    this.bias = this.params.add('bias', [outputSize], zeros());
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.tanh(tf.add(tf.matMul(x, this.kernel), this.bias)) as tf.Tensor2D);
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}
