import * as tf from '@tensorflow/tfjs';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `OneHot` for wasm that honours its dtype. The stock kernel always writes int32 values,
 * so a float32 one-hot (`tf.oneHot(ids, v, 0.9, 0.025, 'float32')`, as label smoothing
 * needs) comes back as denormal garbage. int32 requests keep the stock kernel.
 */
export function makeWasmOneHot(): ((args: WasmKernelArgs) => tf.TensorInfo) | undefined {
  const stock = tf.getKernel(tf.OneHot, 'wasm');
  if (!stock) return undefined;
  return (args) => {
    const { inputs, backend, attrs } = args;
    const dtype = attrs.dtype as tf.DataType;
    if (dtype === 'int32') return stock.kernelFunc(args as never) as tf.TensorInfo;
    const indices = inputs.indices!;
    const depth = attrs.depth as number;
    const out = backend.makeOutput([...indices.shape, depth], dtype);
    const ids = backend.typedArrayFromHeap(indices);
    const values = backend.typedArrayFromHeap(out);
    values.fill(attrs.offValue as number);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id >= 0 && id < depth) values[i * depth + id] = attrs.onValue as number;
    }
    return out;
  };
}
