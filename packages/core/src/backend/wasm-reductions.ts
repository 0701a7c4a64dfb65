import * as tf from '@tensorflow/tfjs';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `Sum` for wasm over leading axes (`[R, C]` → `[C]`: every bias gradient), as one pass
 * that adds each row into the output. The stock kernel first transposes the input so the
 * summed axes come last, a strided copy that costs more than the sum: 6.2 ms CPU for a
 * `[1280, 1024]` bias gradient of the reference model. The rows are added in the same
 * order as the stock kernel adds them. Any other reduction goes to the stock kernel.
 */
export function makeWasmSum(): ((args: WasmKernelArgs) => tf.TensorInfo) | undefined {
  const original = tf.getKernel(tf.Sum, 'wasm');
  if (!original) return undefined;
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const rank = x.shape.length;
    const axes = [attrs.axis as number | number[]]
      .flat()
      .map((a) => (a < 0 ? a + rank : a))
      .sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.every((a, i) => a === i) && axes.length < rank;
    if (!leading || x.dtype !== 'float32')
      return original.kernelFunc(args as never) as tf.TensorInfo;
    const kept = x.shape.slice(axes.length);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const width = tf.util.sizeFromShape(kept);
    const shape = attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = backend.makeOutput(shape, 'float32');
    // Views after makeOutput, whose allocation may grow (move) the heap.
    const xs = backend.typedArrayFromHeap(x);
    const sums = backend.typedArrayFromHeap(out);
    sums.fill(0);
    for (let r = 0; r < rows; r++) {
      const from = r * width;
      for (let j = 0; j < width; j++) sums[j]! += xs[from + j]!;
    }
    return out;
  };
}
