import * as tf from '@tensorflow/tfjs';

/** Makes a parameter's initial value; `seed` is derived from the model seed and the path. */
export type Initializer = (shape: readonly number[], seed: number) => tf.Tensor;

/** U(−scale, scale), the classic choice for seq2seq LSTMs (scale 0.08, Sutskever et al.). */
export function uniform(scale: number): Initializer {
  return (shape, seed) => tf.randomUniform([...shape], -scale, scale, 'float32', seed);
}

/** Glorot/Xavier uniform over the last two axes: U(±√(6 / (fanIn + fanOut))). */
export function glorotUniform(): Initializer {
  return (shape, seed) => {
    const fanIn = shape.length > 1 ? shape[shape.length - 2]! : shape[0]!;
    const fanOut = shape[shape.length - 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform([...shape], -limit, limit, 'float32', seed);
  };
}

/** N(0, stddev²), used for embeddings. */
export function normal(stddev: number): Initializer {
  return (shape, seed) => tf.randomNormal([...shape], 0, stddev, 'float32', seed);
}

/** All zeros. */
export function zeros(): Initializer {
  return (shape) => tf.zeros([...shape]);
}

/** Every element set to `value` (e.g. an LSTM forget-gate bias of 1). */
export function constant(value: number): Initializer {
  return (shape) => tf.fill([...shape], value);
}
