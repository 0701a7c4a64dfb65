/**
 * A minimal frame-reading recurrent encoder for tests: h_t = tanh(x_t W + h_{t−1} U), padding
 * carries the state over, `final` is the state at the last real frame. It stands in for
 * whichever registered encoder reads `[B, S, F]` frames as a sentence-level encoder.
 */
import {
  carryOverPadding,
  type Encoder,
  glorotUniform,
  type Memory,
  ParameterSet,
  type Registry,
  tidyTree,
} from '@s2s/core';
import * as tf from '@tensorflow/tfjs';

/** Elman RNN over `[B, S, F]` frames. */
export class FrameRnn implements Encoder {
  readonly finalSizes: readonly number[];
  private readonly params: ParameterSet;
  private readonly inputKernel: tf.Variable;
  private readonly recurrentKernel: tf.Variable;

  constructor(
    features: number,
    readonly outputSize: number,
    seed: number,
  ) {
    this.finalSizes = [outputSize];
    this.params = new ParameterSet(seed);
    this.inputKernel = this.params.add('inputKernel', [features, outputSize], glorotUniform());
    this.recurrentKernel = this.params.add(
      'recurrentKernel',
      [outputSize, outputSize],
      glorotUniform(),
    );
  }

  encode(source: tf.Tensor, mask: tf.Tensor2D): Memory {
    return tidyTree(() => {
      const [b, s, f] = source.shape as [number, number, number];
      const x = tf.matMul(source.reshape([b * s, f]), this.inputKernel).reshape([b, s, -1]);
      const xs = tf.unstack(x, 1) as tf.Tensor2D[];
      const ms = tf.unstack(mask.expandDims(2), 1) as tf.Tensor2D[];
      let h = tf.zeros([b, this.outputSize]) as tf.Tensor2D;
      const out: tf.Tensor2D[] = [];
      xs.forEach((xt, t) => {
        const next = tf.tanh(tf.add(xt, tf.matMul(h, this.recurrentKernel))) as tf.Tensor2D;
        h = carryOverPadding(next, h, ms[t]!);
        out.push(h);
      });
      return { states: tf.stack(out, 1) as tf.Tensor3D, mask: mask.clone(), final: [h] };
    });
  }

  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.params.map();
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Registers `frame-rnn` (`{ size }`, reading `sizes.sourceFeatures`) in a test registry. */
export function registerFrameRnn(registry: Registry): void {
  registry.register({
    kind: 'encoder',
    name: 'frame-rnn',
    create: (options, context) =>
      new FrameRnn(context.sizes.sourceFeatures!, (options.size as number) ?? 4, context.seed),
  });
}
